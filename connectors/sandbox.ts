import type { Mapping } from '../core/config/mapping-schema.js';
import type { SinkPropertySpec } from '../core/sync/sink.js';
import { startHubSpotSimulator } from './sinks/hubspot/index.js';
import { startMarketoSimulator } from './sinks/marketo/index.js';
import { startSalesforceSimulator, type FieldType } from './sinks/salesforce/index.js';
import { segmentSandboxConfig, startSegmentSimulator } from './sinks/segment/index.js';
import { startWebhookReceiver } from './sinks/webhook/index.js';

/**
 * Sandboxes: each vendor's simulator started on a local port, with the sink
 * fields that point the real client at it. `sandbox: true` in a sink section
 * and `segflow sandbox` use these; production wiring (registry.ts) does not.
 */
export interface RunningSandbox {
  url: string;
  /** Vendor fields that point the real client at the simulator (URLs, sandbox credentials). */
  sinkConfig: Record<string, unknown>;
  stop(): Promise<void>;
}

export type SandboxStarter = (options: { seed: number; port?: number; fields?: readonly SinkPropertySpec[] }) => Promise<RunningSandbox>;

const SALESFORCE_FIELD_TYPES: Record<SinkPropertySpec['type'], FieldType> = { string: 'string', number: 'double', bool: 'boolean', datetime: 'datetime', enumeration: 'picklist' };

export const SANDBOXES: Readonly<Record<string, SandboxStarter>> = {
  hubspot: (options) => startHubSpotSimulator(options),
  webhook: ({ seed, port }) => startWebhookReceiver({ seed, ...(port === undefined ? {} : { port }) }),
  marketo: (options) => startMarketoSimulator(options),
  async segment({ seed, port }) {
    const simulator = await startSegmentSimulator({ seed, ...(port === undefined ? {} : { port }) });
    return { url: simulator.url, sinkConfig: segmentSandboxConfig(simulator.url), stop: () => simulator.stop() };
  },
  // Salesforce custom fields are created by an admin in Setup, not by a sync: the sandbox org starts with the mapping's fields.
  async salesforce({ seed, port, fields = [] }) {
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
};

/** The property kinds a sink section writes, as field specs (option lists are only known at sync time). */
export function sandboxFields(section: Mapping['sinks'][number]): SinkPropertySpec[] {
  return Object.entries(section.properties).map(([name, source]): SinkPropertySpec => {
    if ('segments' in source) return { name, label: name, type: 'enumeration', multiple: true };
    if ('segment_of' in source) return { name, label: name, type: 'enumeration' };
    if ('feature' in source) return { name, label: name, type: 'number' };
    return { name, label: name, type: 'string' };
  });
}
