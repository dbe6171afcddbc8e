import { parentPort, workerData } from 'node:worker_threads';
import { stl } from '../../core/analysis/trends/stl.js';
import { PERIOD, syntheticSeries } from './synthetic-series.js';

/** Decomposes series [from, to) and reports seconds spent and a checksum. */
interface Job {
  readonly from: number;
  readonly to: number;
}

const { from, to } = workerData as Job;
const series = [];
for (let index = from; index < to; index += 1) series.push(syntheticSeries(index));
const started = performance.now();
let checksum = 0;
for (const y of series) checksum += stl(y, { period: PERIOD, robust: true }).trend[0] as number;
parentPort?.postMessage({ seconds: (performance.now() - started) / 1000, checksum });
