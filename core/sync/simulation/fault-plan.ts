import { createRng, type Rng } from '../../random/rng.js';

/**
 * Switches for fault injection, shared by every vendor simulator. Decisions
 * are seeded, so a failing test replays the same faults.
 */
export interface SimulatorFaults {
  /** Share of calls answered with a 5xx (0..1). */
  serverErrorRate?: number;
  /** Every call is throttled (the vendor's 429 shape) until this epoch ms: a "429 storm". */
  throttleUntil?: number;
  /** Extra delay before each response, ms. */
  latencyMs?: number;
  /** Record keys (email / external id) the vendor rejects per record, with its validation reason. */
  rejectKeys?: ReadonlySet<string>;
  /**
   * The next N calls to an action endpoint (event send, Platform Event
   * publish, campaign request, webhook) are applied and then the connection
   * is destroyed without an answer: a vendor timeout after acceptance. The
   * client must not produce a second action when it retries.
   */
  lostResponses?: number;
}

export class FaultPlan {
  private faults: SimulatorFaults = {};
  private rng: Rng;

  constructor(
    seed: number,
    private readonly now: () => number = Date.now,
  ) {
    this.rng = createRng(seed);
  }

  set(faults: SimulatorFaults): void {
    this.faults = { ...faults };
  }

  get current(): Readonly<SimulatorFaults> {
    return this.faults;
  }

  shouldThrottle(): boolean {
    return this.faults.throttleUntil !== undefined && this.now() < this.faults.throttleUntil;
  }

  shouldFailServer(): boolean {
    const rate = this.faults.serverErrorRate ?? 0;
    return rate > 0 && this.rng.chance(rate);
  }

  /** True (and counts one down) when this call's answer is to be lost after the call is applied. */
  takeLostResponse(): boolean {
    const left = this.faults.lostResponses ?? 0;
    if (left <= 0) return false;
    this.faults = { ...this.faults, lostResponses: left - 1 };
    return true;
  }

  rejects(key: string): boolean {
    return this.faults.rejectKeys?.has(key) ?? false;
  }

  async delay(): Promise<void> {
    const ms = this.faults.latencyMs ?? 0;
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }
}
