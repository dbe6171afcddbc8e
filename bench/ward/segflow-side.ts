/**
 * segflow's side of bench/ward, run as its own process (so its peak RSS is its
 * own): reads the points, builds the exact Ward tree and cuts it at every k.
 * Prints one JSON line.
 */
import { readSharedMatrix } from '../kmeans/dataset.js';
import { cutDendrogram } from '../../core/models/hierarchical.js';
import { wardLinkage } from '../../core/models/hierarchical-ward.js';
import type { WardSideRequest, WardSideResult } from './sides.js';

const request = JSON.parse(process.argv[2] ?? '') as WardSideRequest;
const matrix = readSharedMatrix(request.path, request.rows, request.columns);
const started = performance.now();
const cpuBefore = process.cpuUsage();
const dendrogram = wardLinkage(matrix);
const cpu = process.cpuUsage(cpuBefore);
const seconds = (performance.now() - started) / 1000;
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const sizesByK: Record<string, number[]> = {};
for (const k of request.ks) {
  const sizes = new Array<number>(k).fill(0);
  for (const label of cutDendrogram(dendrogram, k)) sizes[label]!++;
  sizesByK[k] = sizes.sort((a, b) => a - b);
}
process.stdout.write(`${JSON.stringify({ seconds, cpuSeconds, sizesByK } satisfies WardSideResult)}\n`);
