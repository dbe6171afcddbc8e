import PQueue from 'p-queue';
import { RollingWindowGate } from './rolling-gate.js';
import type { SinkCapabilities } from '../sink.js';

/**
 * One queue per vendor account: every request any sink makes to the account
 * passes here, so the published limit is applied once, ahead of time, and
 * not discovered through 429s. p-queue holds the account's concurrency; the
 * rolling window (HubSpot's TEN_SECONDLY_ROLLING, Marketo's 100 per 20 s) is
 * a gate that counts each call until `interval` after its response
 * (rolling-gate.ts says why not from its start).
 */
export class AccountQueue {
  private readonly queue: PQueue;
  private readonly gate: RollingWindowGate | undefined;
  private resumeAt = 0;
  private resumeTimer: NodeJS.Timeout | undefined;
  readonly callsByLabel = new Map<string, number>();
  calls = 0;

  constructor(capabilities: Pick<SinkCapabilities, 'rateLimit' | 'concurrency'>) {
    const limit = capabilities.rateLimit;
    this.queue = new PQueue({ concurrency: Math.max(1, capabilities.concurrency) });
    this.gate = limit ? new RollingWindowGate(limit.requests, limit.intervalMs) : undefined;
  }

  request<T>(label: string, call: () => Promise<T>): Promise<T> {
    return this.queue.add(async () => {
      const release = await this.gate?.acquire();
      // A pause that began while this call waited for its slot still applies to it.
      for (let wait = this.resumeAt - Date.now(); wait > 0; wait = this.resumeAt - Date.now()) {
        await new Promise((resolve) => setTimeout(resolve, wait).unref());
      }
      this.calls += 1;
      this.callsByLabel.set(label, (this.callsByLabel.get(label) ?? 0) + 1);
      try {
        return await call();
      } finally {
        release?.();
      }
    });
  }

  /**
   * The vendor throttled us anyway (another app on the account, a storm):
   * stop starting requests for `ms`, for every caller on the account, so the
   * queue does not pile more 429s onto the same window.
   */
  pauseFor(ms: number, now: number = Date.now()): void {
    const until = now + ms;
    if (until <= this.resumeAt) return;
    this.resumeAt = until;
    this.queue.pause();
    clearTimeout(this.resumeTimer);
    this.resumeTimer = setTimeout(() => {
      this.resumeTimer = undefined;
      this.queue.start();
    }, ms);
    this.resumeTimer.unref();
  }

  /** Ends any pause now (the run was interrupted: let in-flight work drain). */
  resume(): void {
    this.resumeAt = 0;
    clearTimeout(this.resumeTimer);
    this.resumeTimer = undefined;
    this.queue.start();
  }

  async close(): Promise<void> {
    clearTimeout(this.resumeTimer);
    this.gate?.close();
    this.queue.start();
    await this.queue.onIdle();
  }
}
