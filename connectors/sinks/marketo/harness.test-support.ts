import type { SinkHarness } from '../../../test/support/sink-harness.js';
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
  startSimulator: ({ seed, limits }) => startMarketoSimulator({ seed, limits }),
  createSink: (config) => createMarketoSink(config),
};
