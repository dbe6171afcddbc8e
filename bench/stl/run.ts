/**
 * STL benchmark: robust STL (period 7) on 10,000 synthetic series of 365 days.
 *
 *   npx tsx bench/stl/run.ts [series=10000] [workers=2]
 *
 * Prints the wall-clock seconds with `workers` worker threads (target: under
 * 10 s on the 2-core CI machine) and, as the baseline measured in the same
 * run, one thread on the main thread over a 1,000-series sample,
 * extrapolated. Series are generated inside each worker, outside the timing.
 */
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { stl } from '../../core/analysis/trends/stl.js';
import { PERIOD, syntheticSeries } from './synthetic-series.js';

interface WorkerReport {
  readonly seconds: number;
  readonly checksum: number;
}

function runWorker(from: number, to: number): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    // Workers do not inherit tsx's loader: register it before importing the TypeScript entry.
    const entry = new URL('./worker.ts', import.meta.url).href;
    const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
    const worker = new Worker(bootstrap, { eval: true, workerData: { from, to } });
    worker.once('message', (report: WorkerReport) => resolve(report));
    worker.once('error', reject);
  });
}

async function parallel(count: number, workers: number): Promise<{ wall: number; cpu: number; perWorker: number[] }> {
  // process.cpuUsage counts every thread of the process: the workers' STL plus their start-up (loading tsx, generating series).
  const cpu = process.cpuUsage();
  const started = performance.now();
  const chunk = Math.ceil(count / workers);
  const jobs: Promise<WorkerReport>[] = [];
  for (let from = 0; from < count; from += chunk) jobs.push(runWorker(from, Math.min(count, from + chunk)));
  const reports = await Promise.all(jobs);
  const used = process.cpuUsage(cpu);
  return { wall: (performance.now() - started) / 1000, cpu: (used.user + used.system) / 1e6, perWorker: reports.map((report) => report.seconds) };
}

function singleThread(sample: number): { wall: number; cpu: number } {
  const series = Array.from({ length: sample }, (_, index) => syntheticSeries(index));
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const y of series) stl(y, { period: PERIOD, robust: true });
  const used = process.cpuUsage(cpu);
  return { wall: (performance.now() - started) / 1000, cpu: (used.user + used.system) / 1e6 };
}

const count = Number(process.argv[2] ?? 10_000);
const workers = Number(process.argv[3] ?? Math.min(2, availableParallelism()));
const sample = Math.min(1000, count);
const loadBefore = loadavg();
const single = singleThread(sample);
const baseline = (single.wall * count) / sample;
const { wall: total, cpu, perWorker } = await parallel(count, workers);
console.log(`robust STL, period ${PERIOD}, ${count} series × 365 days`);
console.log(`  load average before: ${loadBefore.map((value) => value.toFixed(2)).join(' ')}`);
console.log(`  ${workers} worker threads: ${total.toFixed(2)} s total (${((total / count) * 1000).toFixed(3)} ms/series), ${cpu.toFixed(2)} CPU-s in all threads`);
// If each worker's own time is close to the wall time with 2 workers but twice its
// 1-worker share, the cores were busy with something else (a shared CI box).
console.log(`  time inside each worker: ${perWorker.map((seconds) => seconds.toFixed(2)).join(', ')} s`);
console.log(`  baseline, 1 thread (from ${sample} series): ${baseline.toFixed(2)} s (${((single.cpu / sample) * 1000).toFixed(3)} CPU-ms/series)`);
console.log(`  speed-up ${(baseline / total).toFixed(2)}×`);
