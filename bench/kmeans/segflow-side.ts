/**
 * segflow's side of bench/kmeans, run as its own process by run.ts (so GNU
 * time measures its peak RSS alone). Argument: one JSON SideRequest. Prints
 * one JSON line. Loads k-means from the compiled build (dist/) when asked,
 * else from the TypeScript sources under tsx.
 */
import type * as kSelectionSource from '../../core/models/k-selection.js';
import type * as kmeansSource from '../../core/models/kmeans.js';
import { readSharedMatrix } from './dataset.js';

export interface SideRequest {
  mode: 'fit' | 'k-selection';
  path: string;
  rows: number;
  columns: number;
  k: number;
  /** fit: one k-means (n_init = 1) per seed. k-selection: the first seed. */
  seeds: number[];
  fromBuild: boolean;
  /** fit: seed on all rows instead of the default sample (scikit-learn's seeding work). */
  seedingOnAllRows: boolean;
  kMin: number;
  kMax: number;
  silhouetteSampleSize: number;
  /** k-selection: restarts per k (both sides). */
  kSelectionNInit: number;
}

export interface FitRecord {
  seed: number;
  ms: number;
  inertia: number;
  iterations: number;
  threads: number;
}

export interface KSelectionRecord {
  ms: number;
  threads: number;
  rows: { k: number; inertia: number; silhouette: number; calinskiHarabasz: number; daviesBouldin: number }[];
  elbowK: number | null;
  chosenK: number;
  reason: string;
}

type KmeansModule = typeof kmeansSource;
type KSelectionModule = typeof kSelectionSource;

async function load<Module>(relativeSource: string, fromBuild: boolean): Promise<Module> {
  const path = fromBuild ? `../../dist/${relativeSource}.js` : `../../${relativeSource}.js`;
  return (await import(new URL(path, import.meta.url).href)) as Module;
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '') as SideRequest;
  const matrix = readSharedMatrix(request.path, request.rows, request.columns);
  const collectGarbage = (globalThis as { gc?: () => void }).gc;

  if (request.mode === 'fit') {
    const { kmeans } = await load<KmeansModule>('core/models/kmeans', request.fromBuild);
    const fits: FitRecord[] = [];
    for (const seed of request.seeds) {
      // Between fits, so the peak RSS is that of one fit, not of garbage from the previous ones.
      collectGarbage?.();
      const started = performance.now();
      const result = await kmeans(matrix, {
        k: request.k,
        seed,
        nInit: 1,
        ...(request.seedingOnAllRows ? { seedingSampleSize: request.rows } : {}),
      });
      fits.push({ seed, ms: performance.now() - started, inertia: result.inertia, iterations: result.iterations, threads: result.threads });
    }
    process.stdout.write(`${JSON.stringify({ fits })}\n`);
    return;
  }

  const { selectK } = await load<KSelectionModule>('core/models/k-selection', request.fromBuild);
  const started = performance.now();
  const selection = await selectK(matrix, {
    seed: request.seeds[0] ?? 0,
    nInit: request.kSelectionNInit,
    kMin: request.kMin,
    kMax: request.kMax,
    silhouetteSampleSize: request.silhouetteSampleSize,
  });
  const record: KSelectionRecord = {
    ms: performance.now() - started,
    threads: selection.chosen.threads,
    rows: selection.rows,
    elbowK: selection.elbowK,
    chosenK: selection.chosenK,
    reason: selection.reason,
  };
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

await main();
