import PQueue from 'p-queue';
import type { SinkCapabilities } from './sink.js';

/**
 * One queue per vendor account: every request any sink makes to the account
 * passes here, so the published limit is applied once, ahead of time, and
 * not discovered through 429s. p-queue's `strict` mode is a sliding window:
 * no more than `requests` starts in any rolling `intervalMs`, as HubSpot's
 * TEN_SECONDLY_ROLLING and Marketo's 100-per-20-s rules count them.
 *
 * The vendor counts on arrival, which is a little after our start; a small
 * margin on the interval keeps a slow request from landing in the next
 * window's count. HubSpot's simulator showed early calls arriving up to
 * ~100 ms late (cold connections, 100-record bodies), so the margin is 2%
 * of the interval, at least 200 ms: 2% of throughput for no self-inflicted 429.
 */
export class AccountQueue {
  private readonly queue: PQueue;
  private resumeAt = 0;
  private resumeTimer: NodeJS.Timeout | undefined;
  readonly callsByLabel = new Map<string, number>();
  calls = 0;

  constructor(capabilities: Pick<SinkCapabilities, 'rateLimit' | 'concurrency'>) {
    const limit = capabilities.rateLimit;
    this.queue = new PQueue({
      concurrency: Math.max(1, capabilities.concurrency),
      ...(limit ? { intervalCap: limit.requests, interval: limit.intervalMs + Math.max(200, Math.ceil(limit.intervalMs * 0.02)), strict: true } : {}),
    });
  }

  request<T>(label: string, call: () => Promise<T>): Promise<T> {
    return this.queue.add(async () => {
      this.calls += 1;
      this.callsByLabel.set(label, (this.callsByLabel.get(label) ?? 0) + 1);
      return call();
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

  async close(): Promise<void> {
    clearTimeout(this.resumeTimer);
    this.queue.start();
    await this.queue.onIdle();
  }
}
