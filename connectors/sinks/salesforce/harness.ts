import type { Sink, SinkPropertySpec } from '../../../core/sync/sink.js';
import { storedText, type RunningSimulator, type SinkHarness } from '../../../core/sync/simulation/index.js';
import { createSalesforceSink } from './salesforce-sink.js';
import { startSalesforceSimulator, type FieldType, type SalesforceSimulator } from './simulator/index.js';

const running = new Map<string, SalesforceSimulator>();

const FIELD_TYPES: Record<SinkPropertySpec['type'], FieldType> = { string: 'string', number: 'double', bool: 'boolean', datetime: 'datetime', enumeration: 'picklist' };

/**
 * The Salesforce sink for the shared contract, fault, crash and benchmark
 * suites. Bulk API is off (maxBatch 200) unless a test sets `bulk_threshold`
 * in the config; calls take 5 ms unless `limits.latencyMs` says otherwise.
 *
 * Salesforce fields cannot be created through the API a sync uses, so an
 * admin creates them before the first sync; the harness plays that admin:
 * before `prepare`, it creates on the simulator the custom fields the spec
 * names (with their types) that the org does not have yet, and before the
 * actions' `prepare`, the Platform Events (Text fields) the triggers name.
 */
export const harness: SinkHarness = {
  name: 'salesforce',
  // Custom fields carry Salesforce's `__c` suffix.
  fields: { segments: 'Segflow_Segments__c', score: 'Segflow_Score__c' },
  writtenAs: (_field, value) => storedText(value),
  supports: {},
  async startSimulator({ seed, limits }): Promise<RunningSimulator> {
    const simulator = await startSalesforceSimulator({ seed, limits: { ...limits, latencyMs: limits?.latencyMs ?? 5 } });
    running.set(simulator.url, simulator);
    const concurrency = Math.min(10, limits?.concurrency ?? 10);
    return {
      url: simulator.url,
      view: simulator.view,
      sinkConfig: {
        type: 'salesforce',
        login_url: simulator.url,
        client_id: simulator.clientId,
        client_secret: simulator.clientSecret,
        object: 'Contact',
        external_id_field: simulator.externalIdField,
        bulk_threshold: null,
        bulk_poll_interval_ms: 10,
        limits: { concurrency, ...(limits?.requests ? { requests: limits.requests, interval_ms: limits.intervalMs ?? 86_400_000 } : {}) },
      },
      async stop() {
        running.delete(simulator.url);
        await simulator.stop();
      },
    };
  },
  createSink(config): Sink {
    const sink = createSalesforceSink(config);
    const simulator = running.get(String(config.login_url));
    if (!simulator) return sink;
    const object = config.object === 'Lead' ? 'Lead' : 'Contact';
    const actions = sink.actions;
    const actionIdField = typeof config.action_id_field === 'string' ? config.action_id_field : 'Segflow_Action_Id__c';
    return {
      ...sink,
      ...(actions
        ? {
            actions: {
              ...actions,
              // The admin again: Platform Events (and their Text fields) are created in Setup, never by segflow.
              prepare(targets, context) {
                for (const spec of targets) {
                  if (spec.kind === 'salesforce:platform-event' && spec.target.endsWith('__e')) simulator.definePlatformEvent(spec.target, [...spec.fields, actionIdField].map((name) => ({ name })));
                }
                return actions.prepare?.(targets, context) ?? Promise.resolve();
              },
            },
          }
        : {}),
      prepare(spec, context) {
        const missing = spec.properties.filter((property) => !simulator.hasField(object, property.name));
        simulator.defineCustomFields(
          object,
          missing.map((property) => ({ name: property.name, type: property.type === 'enumeration' && property.multiple ? 'multipicklist' : FIELD_TYPES[property.type] })),
        );
        return sink.prepare(spec, context);
      },
    };
  },
};
