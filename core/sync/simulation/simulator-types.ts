import type { SimulatorFaults } from './fault-plan.js';
import type { SimulatorStats } from './stats.js';

/**
 * What every vendor simulator exposes to tests, benchmarks and the sandbox:
 * its URL, a view of the vendor's state, and the sink config that points the
 * real client at it.
 */
export interface VendorRecord {
  /** The vendor's record id. */
  vendorId: string;
  /** Field values as the vendor stores them (HubSpot keeps strings). */
  properties: Record<string, unknown>;
}

export interface VendorView {
  /** Current records by matching key (email / external id). */
  records(): Map<string, VendorRecord>;
  /** Keys for which the vendor holds more than one record (must stay empty). */
  duplicateKeys(): string[];
  /** Keys of the members of the list/campaign segflow created under this display name; empty if none. */
  listMembers(listName: string): Set<string>;
  stats(): SimulatorStats;
  resetStats(): void;
  setFaults(faults: SimulatorFaults): void;
  /** Invalidate every issued access token now (a token expiry mid-run). */
  expireTokens(): void;
}

export interface SimulatorLimits {
  /** Calls allowed per rolling interval (defaults: the vendor's published figure). */
  requests?: number;
  intervalMs?: number;
  /** Concurrent calls allowed (Marketo 10; Salesforce long-running 25). */
  concurrency?: number;
  /** Fixed latency per call, ms, so throughput ceilings are meaningful (Salesforce). */
  latencyMs?: number;
}

export interface RunningSimulator {
  url: string;
  view: VendorView;
  /**
   * The sink section of a mapping that points the real client at this
   * simulator (credentials included, for the sandbox account), with the same
   * limits the simulator enforces.
   */
  sinkConfig: Record<string, unknown>;
  stop(): Promise<void>;
}

