import { storedText, type SinkHarness } from '../../../core/sync/simulation/index.js';
import { createMarketoSink } from './marketo-sink.js';
import { startMarketoSimulator } from './simulator/marketo-simulator.js';

/**
 * The Marketo entry of the shared sink suites. The simulator's sinkConfig
 * sets `create_missing_fields: true`, so `prepare` creates the mapping's
 * custom lead fields through the API on a fresh instance (a real instance
 * would have them from Field Management or the same API call).
 */
export const harness: SinkHarness = {
  name: 'marketo',
  // Marketo's REST names for custom lead fields are camelCase.
  fields: { segments: 'segflowSegments', score: 'segflowScore' },
  writtenAs: (_field, value) => storedText(value),
  supports: {},
  startSimulator: ({ seed, limits }) => startMarketoSimulator({ seed, limits }),
  createSink: (config) => createMarketoSink(config),
};
