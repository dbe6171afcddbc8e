import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

export interface SelfTime {
  /** `name (file:line)`, file relative to the repository. */
  function: string;
  selfMs: number;
  /** Of all sampled main-thread time (idle included). */
  share: number;
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

/**
 * Top self-time functions of a V8 .cpuprofile (what `node --cpu-prof`
 * writes). Time DuckDB spends on its own threads (inserts, the feature
 * query) is not in it: the main thread shows it as `(idle)` while it awaits.
 */
export function topSelfTime(file: string, repoRoot: string, limit = 15): SelfTime[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const labelOf = new Map<number, string>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    // tsx-compiled modules report line 0 (their code is not line-mapped): name the file only.
    const line = lineNumber > 0 ? `:${lineNumber + 1}` : '';
    const where = url === '' ? '' : ` (${shortUrl(url, repoRoot)}${line})`;
    labelOf.set(node.id, `${functionName || '(anonymous)'}${where}`);
  }
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((nodeId, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    const label = labelOf.get(nodeId) ?? '(unknown)';
    totals.set(label, (totals.get(label) ?? 0) + micros);
    all += micros;
  });
  return [...totals]
    .sort((left, right) => right[1] - left[1])
    .slice(0, limit)
    .map(([label, micros]) => ({ function: label, selfMs: micros / 1000, share: all === 0 ? 0 : micros / all }));
}

function shortUrl(url: string, repoRoot: string): string {
  const path = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  return path.startsWith(repoRoot) ? relative(repoRoot, path) : path;
}
