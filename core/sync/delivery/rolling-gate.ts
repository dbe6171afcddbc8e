/**
 * A vendor's "N calls per rolling interval", enforced so that no call can
 * ever land in a window the vendor would refuse. The vendor counts a call
 * when it arrives; we cannot see arrival, but we can see the response, which
 * comes after it. So a call holds its slot from its start until `interval`
 * after its response: the next call in that slot starts after the previous
 * one's arrival + interval, whatever the network or the event loop did in
 * between. (Counting from the start, p-queue's strict mode let 1–2% of calls
 * land early in the benchmark: a slow first call arrived late, a fast 101st
 * early.) The cost is one round trip per window, under 1% at these limits.
 */
export class RollingWindowGate {
  private active = 0;
  /** Response times still inside the window, oldest first. */
  private readonly released: number[] = [];
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly limit: number,
    readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Waits for a slot; call the returned function when the response has arrived (or the call failed). */
  async acquire(): Promise<() => void> {
    for (;;) {
      const now = this.now();
      while (this.released.length > 0 && now - (this.released[0] as number) >= this.intervalMs) this.released.shift();
      if (this.active + this.released.length < this.limit) {
        this.active += 1;
        let done = false;
        return () => {
          if (done) return;
          done = true;
          this.active -= 1;
          this.released.push(this.now());
          this.notify();
        };
      }
      await this.waitForChange();
    }
  }

  private waitForChange(): Promise<void> {
    return new Promise((resolve) => {
      const previous = this.wake;
      this.wake = () => {
        previous?.();
        resolve();
      };
      if (this.timer === undefined && this.released.length > 0) {
        const due = (this.released[0] as number) + this.intervalMs - this.now();
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.notify();
        }, Math.max(1, Math.ceil(due)));
      }
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
