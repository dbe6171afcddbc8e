/**
 * Each segment's share of the profiles, run after run, from the run
 * history's summaries (oldest first), plus the run in progress: the series
 * the per-segment EWMA and CUSUM charts watch (drift/kpi-monitor.ts). A
 * segment's series starts at the first run it appears in; a later run
 * without it counts as a share of 0 (it emptied).
 */
export interface RunSegments {
  profiles: number;
  segments: ReadonlyArray<{ id: string; size: number }>;
}

export function segmentShareSeries(history: readonly unknown[], current?: RunSegments): Record<string, number[]> {
  const runs = history.map(asRunSegments).filter((run): run is RunSegments => run !== undefined);
  if (current) runs.push(current);
  const series: Record<string, number[]> = {};
  runs.forEach((run) => {
    const sizes = new Map(run.segments.map((segment) => [segment.id, segment.size]));
    for (const id of sizes.keys()) series[id] ??= new Array<number>(0);
    for (const [id, values] of Object.entries(series)) {
      // A segment not seen yet has no points; one seen before but missing now emptied.
      if (values.length === 0 && !sizes.has(id)) continue;
      values.push(run.profiles > 0 ? (sizes.get(id) ?? 0) / run.profiles : 0);
    }
  });
  return series;
}

/** A stored run summary, if it has the fields the series needs (older or failed runs may not). */
function asRunSegments(summary: unknown): RunSegments | undefined {
  if (typeof summary !== 'object' || summary === null) return undefined;
  const { profiles, segments } = summary as { profiles?: unknown; segments?: unknown };
  if (typeof profiles !== 'number' || !Array.isArray(segments)) return undefined;
  const parsed = segments.flatMap((segment: unknown) => {
    const { id, size } = (segment ?? {}) as { id?: unknown; size?: unknown };
    return typeof id === 'string' && typeof size === 'number' ? [{ id, size }] : [];
  });
  return { profiles, segments: parsed };
}
