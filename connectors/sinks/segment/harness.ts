import { storedText, type SinkHarness } from '../../../core/sync/simulation/index.js';
import { createSegmentSink } from './segment-sink.js';
import { startSegmentSimulator } from './simulator/segment-simulator.js';

/**
 * The Segment entry of the shared sink suites. A record is a profile's
 * merged identify traits keyed by userId (the matching key); a property is
 * the trait of the same name, stored as sent (`null` clears it); a
 * membership is the boolean trait `<list key>` (Engage's audience shape),
 * and the view resolves a list's display name from the `context.segflow`
 * the sink sends with membership calls. Write keys never expire, so the
 * view's `expireTokens()` is a no-op.
 *
 * What the vendor cannot do, by its nature (the suites skip those checks):
 * - `perRecordRejection`: the Tracking API answers a whole batch 200 and
 *   drops an event it will not store without saying so (it shows only in
 *   the Debugger), so a refused record never comes back as a failure.
 * - `reportsCreated`: every identify creates or merges, and the answer does
 *   not say which.
 * - `updatesUnconfirmedRecords`: the sink sends an `update` only for a user
 *   it holds proof of (an acknowledged upsert), since an identify would
 *   create a missing one. A run killed after its identify reached Segment
 *   but before the acknowledgement leaves a profile no later run clears
 *   if that profile then leaves the sink's scope.
 */
export const harness: SinkHarness = {
  name: 'segment',
  // Trait names: snake_case, as Engage names audience and computed traits.
  fields: { segments: 'segflow_segments', score: 'segflow_score' },
  writtenAs: (_field, value) => storedText(value),
  supports: { perRecordRejection: false, reportsCreated: false, updatesUnconfirmedRecords: false },
  startSimulator: ({ seed, limits }) => startSegmentSimulator({ seed, limits }),
  createSink: (config) => createSegmentSink(config),
};
