import type { SinkPropertySpec } from '../core/sync/sink.js';
import type { SinkRegistration } from './sink-registry.js';
import { createMarketoSink, MarketoSinkSchema, startMarketoSimulator } from './sinks/marketo/index.js';
import { createSalesforceSink, SalesforceSinkSchema, startSalesforceSimulator, type FieldType } from './sinks/salesforce/index.js';

const SALESFORCE_FIELD_TYPES: Record<SinkPropertySpec['type'], FieldType> = { string: 'string', number: 'double', bool: 'boolean', datetime: 'datetime', enumeration: 'picklist' };

/** Every sink connector segflow ships. Adding one touches this file and its own folder. */
export const SINKS: Record<string, SinkRegistration> = {
  marketo: {
    schema: MarketoSinkSchema,
    create: (config) => createMarketoSink(config),
    startSandbox: (options) => startMarketoSimulator(options),
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
