import type { PropertyValue, Sink } from '../sink.js';
import type { RunningSimulator, SimulatorLimits } from './simulator-types.js';
import type { ScenarioFields } from './sync-scenario.js';

/**
 * What each sink folder exports as `connectors/sinks/<vendor>/harness.ts`,
 * so the contract, fault and crash suites and the sync benchmark run against
 * every vendor the same way: start its simulator, build the real sink (real
 * SDK, real HTTP) pointed at it, read the vendor's state back. What only the
 * vendor knows (its field names, how it stores a value) is answered here, by
 * the sink's folder, rather than by tables in the suites.
 */
export interface SinkHarness {
  /** `hubspot`, `salesforce`, `marketo`, `segment`. */
  readonly name: string;
  /** The scenario's vendor field names, under the vendor's naming rules (custom field suffixes, casing). */
  readonly fields: ScenarioFields;
  /**
   * How the vendor stores a value segflow sent, as the text
   * {@link storedText} makes of the stored value: HubSpot keeps option
   * internal values (slugs) for enumerations, a cleared value reads as "".
   */
  writtenAs(field: string, value: PropertyValue): string;
  /** What the shared suites may assume of the vendor; each flag is an explicit opt-out. */
  readonly supports: HarnessSupport;
  startSimulator(options: { seed: number; limits?: SimulatorLimits }): Promise<RunningSimulator>;
  /** Builds the sink from a (parsed) sink config, as the registry would. */
  createSink(config: Record<string, unknown>): Sink;
}

/**
 * Behaviour a vendor may lack, as in unstorage's `testDriver`: a suite skips
 * (and says so) the assertions that need a flag set to `false`, so a vendor
 * is never dropped from a suite for one thing it cannot do.
 */
export interface HarnessSupport {
  /**
   * The vendor can refuse one record (validation) while taking its
   * neighbours, and says which: the refused record is dead-lettered.
   * @default true
   */
  perRecordRejection?: boolean;
  /** The vendor says whether an upsert created the record, so `created` counts new records. @default true */
  reportsCreated?: boolean;
  /**
   * The sink can update (clear) a record whose creation was sent but never
   * acknowledged (a crash before the answer), so such a record that then
   * leaves the sink's scope is cleared like any other.
   * @default true
   */
  updatesUnconfirmedRecords?: boolean;
}

/** A vendor's stored value as text, the form {@link SinkHarness.writtenAs} answers in: absent and null read as "". */
export function storedText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value);
}
