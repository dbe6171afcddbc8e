/**
 * segflow's side of bench/dbscan, run as its own process (its own peak RSS).
 * Prints one JSON line (sides.ts).
 */
import { createHash } from 'node:crypto';
import { readSharedMatrix } from '../kmeans/dataset.js';
import { dbscan } from '../../core/models/dbscan.js';
import { suggestEps } from '../../core/models/dbscan-eps.js';
import { dbscanParallel } from '../../core/models/dbscan-parallel.js';
import type { DbscanSideRequest, DbscanSideResult } from './sides.js';

const request = JSON.parse(process.argv[2] ?? '') as DbscanSideRequest;
const matrix = readSharedMatrix(request.path, request.rows, request.columns);
const started = performance.now();
const cpuBefore = process.cpuUsage();
const measure = (): Pick<DbscanSideResult, 'seconds' | 'cpuSeconds'> => {
  const cpu = process.cpuUsage(cpuBefore);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
};
let result: DbscanSideResult;
if (request.mode === 'eps') {
  const { eps } = suggestEps(matrix, request.minSamples, { seed: 0 });
  result = { ...measure(), eps };
} else {
  const options = { eps: request.eps!, minSamples: request.minSamples };
  const clustering = request.mode === 'parallel' ? await dbscanParallel(matrix, options) : dbscan(matrix, options);
  const timing = measure();
  const labelsSha256 = createHash('sha256').update(new Uint8Array(clustering.labels.buffer)).digest('hex');
  result = { ...timing, clusters: clustering.clusters, noise: clustering.noise, labelsSha256 };
}
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0); // warm DBSCAN workers are unref'd, but do not wait for them
