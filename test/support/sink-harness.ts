import type { Sink } from '../../core/sync/sink.js';
import type { RunningSimulator, SimulatorLimits } from '../../core/sync/simulation/index.js';

export type { RunningSimulator, SimulatorLimits, VendorRecord, VendorView } from '../../core/sync/simulation/index.js';

/**
 * What each sink folder exports (as `connectors/sinks/<vendor>/harness.test-support.ts`)
 * so one contract suite, the fault tests, the crash tests and the sync
 * benchmark can run against every vendor the same way: start its simulator,
 * build the real sink (real SDK, real HTTP) pointed at it, read the vendor's
 * state back.
 */
export interface SinkHarness {
  /** `hubspot`, `salesforce`, `marketo`. */
  name: string;
  startSimulator(options: { seed: number; limits?: SimulatorLimits }): Promise<RunningSimulator>;
  /** Builds the sink from a (parsed) sink config, as the registry would. */
  createSink(config: Record<string, unknown>): Sink;
}
