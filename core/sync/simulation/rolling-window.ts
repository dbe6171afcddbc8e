/**
 * A vendor's "at most N calls in any rolling interval" rule, as the vendor
 * applies it: on arrival. Simulators use it to decide 429s; keeping the
 * arrival times of the last N accepted calls makes the check O(1).
 */
export class RollingWindow {
  private readonly arrivals: Float64Array;
  private next = 0;
  private count = 0;

  constructor(
    readonly limit: number,
    readonly intervalMs: number,
  ) {
    this.arrivals = new Float64Array(limit);
  }

  /** Records the call and returns true if it fits the window, else false (and records nothing). */
  tryAcquire(now: number): boolean {
    if (this.count === this.limit) {
      const oldest = this.arrivals[this.next] ?? 0;
      if (now - oldest < this.intervalMs) return false;
    } else {
      this.count += 1;
    }
    this.arrivals[this.next] = now;
    this.next = (this.next + 1) % this.limit;
    return true;
  }

  /** Calls still allowed right now (for X-…-Remaining headers). */
  remaining(now: number): number {
    let inWindow = 0;
    for (let index = 0; index < this.count; index += 1) {
      if (now - (this.arrivals[index] ?? 0) < this.intervalMs) inWindow += 1;
    }
    return this.limit - inWindow;
  }
}
