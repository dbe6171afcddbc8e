import type { SinkPropertySpec } from '../core/sync/sink.js';
import type { SinkRegistration } from './sink-registry.js';
import { createHubSpotSink, HubSpotSinkSchema, startHubSpotSimulator } from './sinks/hubspot/index.js';
import { createMarketoSink, MarketoSinkSchema, startMarketoSimulator } from './sinks/marketo/index.js';
import { createSegmentSink, SegmentSinkSchema, segmentSandboxConfig, startSegmentSimulator } from './sinks/segment/index.js';
import { createSalesforceSink, SalesforceSinkSchema, startSalesforceSimulator, type FieldType } from './sinks/salesforce/index.js';

const SALESFORCE_FIELD_TYPES: Record<SinkPropertySpec['type'], FieldType> = { string: 'string', number: 'double', bool: 'boolean', datetime: 'datetime', enumeration: 'picklist' };

/** Every sink connector segflow ships. Adding one touches this file and its own folder. */
export const SINKS: Record<string, SinkRegistration> = {
  hubspot: {
    schema: HubSpotSinkSchema,
    create: (config) => createHubSpotSink(config),
    startSandbox: (options) => startHubSpotSimulator(options),
  },
  marketo: {
    schema: MarketoSinkSchema,
    create: (config) => createMarketoSink(config),
    startSandbox: (options) => startMarketoSimulator(options),
  },
  segment: {
    schema: SegmentSinkSchema,
    create: (config) => createSegmentSink(config),
    async startSandbox({ seed, port }) {
      const simulator = await startSegmentSimulator({ seed, ...(port === undefined ? {} : { port }) });
      return { url: simulator.url, sinkConfig: segmentSandboxConfig(simulator.url), stop: () => simulator.stop() };
    },
  },
  salesforce: {
    schema: SalesforceSinkSchema,
    create: (config) => createSalesforceSink(config),
    // Salesforce custom fields are created by an admin in Setup, not by a sync: the sandbox org starts with the mapping's fields.
    async startSandbox({ seed, port, fields = [] }) {
      const simulator = await startSalesforceSimulator({
        seed,
        ...(port === undefined ? {} : { port }),
        customFields: fields.map((field) => ({ name: field.name, type: field.type === 'enumeration' && field.multiple ? 'multipicklist' : SALESFORCE_FIELD_TYPES[field.type] })),
      });
      return {
        url: simulator.url,
        sinkConfig: { login_url: simulator.url, client_id: simulator.clientId, client_secret: simulator.clientSecret, external_id_field: simulator.externalIdField },
        stop: () => simulator.stop(),
      };
    },
  },
};
