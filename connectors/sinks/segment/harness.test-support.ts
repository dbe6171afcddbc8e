import type { SinkHarness } from '../../../test/support/sink-harness.js';
import { createSegmentSink } from './segment-sink.js';
import { startSegmentSimulator } from './simulator/segment-simulator.js';

/**
 * The Segment entry of the shared sink suites. Two things differ from the
 * CRM sinks, by the vendor's nature: Segment never says whether an identify
 * created a profile (so `created` is never reported), and a membership is
 * the boolean trait `<list key>` (the view resolves the display name from
 * the `context.segflow` the sink sends with membership calls).
 */
export const harness: SinkHarness = {
  name: 'segment',
  startSimulator: ({ seed, limits }) => startSegmentSimulator({ seed, limits }),
  createSink: (config) => createSegmentSink(config),
};
