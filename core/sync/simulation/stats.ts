/** What a simulator counts, so tests and benchmarks can check calls, throttles and faults. */
export interface SimulatorStats {
  /** Every call that reached the vendor API (auth calls excluded). */
  requests: number;
  /** Calls answered with the vendor's throttle response because the published limit was exceeded. */
  rateLimited: number;
  /** Throttle responses injected by a fault switch (a storm), counted apart from `rateLimited`. */
  injectedThrottles: number;
  serverErrors: number;
  /** Per-record rejections sent back. */
  rejectedRecords: number;
  /** Calls per route label, e.g. `contacts.batch.upsert`. */
  byRoute: Record<string, number>;
}

export function emptyStats(): SimulatorStats {
  return { requests: 0, rateLimited: 0, injectedThrottles: 0, serverErrors: 0, rejectedRecords: 0, byRoute: {} };
}

export function countRoute(stats: SimulatorStats, route: string): void {
  stats.requests += 1;
  stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
}
