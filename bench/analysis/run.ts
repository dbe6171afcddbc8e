/**
 * Analysis benchmark (issue 12, speed): segflow's journey transitions,
 * funnel and daily revenue series against hand-written DuckDB SQL for the
 * same answers, on one generated store, in the same run.
 *
 *   npx tsx bench/analysis/run.ts [profiles=1000000] [events=10000000] [rounds=2]
 *
 * Each side runs `rounds` times, alternating, and its best round counts
 * (wall seconds, and CPU seconds of the whole process: DuckDB's threads
 * included). Both sides' answers are compared before any figure is
 * printed. Not part of `npm test`; no timed assertions.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { loadavg } from 'node:os';
import { generateStore } from './dataset.js';
import { loadSequences, segflowDailyRevenue, segflowFunnel, segflowTransitions } from './segflow-side.js';
import { sqlDailyRevenue, sqlFunnel, sqlTransitions } from './sql-side.js';

interface Timing {
  wall: number;
  cpu: number;
}

async function measure<T>(work: () => Promise<T> | T): Promise<{ result: T; timing: Timing }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const used = process.cpuUsage(cpu);
  return { result, timing: { wall: (performance.now() - started) / 1000, cpu: (used.user + used.system) / 1e6 } };
}

const best = (timings: Timing[]): Timing => timings.reduce((a, b) => (b.wall < a.wall ? b : a));

function sameCounts(a: Map<string, number>, b: Map<string, number>): boolean {
  return a.size === b.size && [...a].every(([key, value]) => b.get(key) === value);
}

async function journeysSegflow(duck: DuckDBConnection) {
  const loaded = await loadSequences(duck);
  return { loaded, transitions: segflowTransitions(loaded), funnel: segflowFunnel(loaded) };
}

const profiles = Number(process.argv[2] ?? 1_000_000);
const events = Number(process.argv[3] ?? 10_000_000);
const rounds = Number(process.argv[4] ?? 2);
const duck = await (await DuckDBInstance.create(':memory:')).connect();
const generated = await measure(() => generateStore(duck, profiles, events));
console.log(`store: ${profiles.toLocaleString('en-US')} profiles, ${events.toLocaleString('en-US')} events, generated in ${generated.timing.wall.toFixed(1)} s; load ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);

const timings: Record<string, Timing[]> = {};
const note = (name: string, timing: Timing) => (timings[name] ??= []).push(timing);
for (let round = 0; round < rounds; round++) {
  const ours = await measure(() => journeysSegflow(duck));
  note('segflow journeys (load + transitions + funnel)', ours.timing);
  const compute = await measure(() => ({ transitions: segflowTransitions(ours.result.loaded), funnel: segflowFunnel(ours.result.loaded) }));
  note('  of which transitions + funnel on typed arrays', compute.timing);
  const transitions = await measure(() => sqlTransitions(duck));
  note('sql transitions', transitions.timing);
  const funnelSql = await measure(() => sqlFunnel(duck));
  note('sql funnel', funnelSql.timing);
  const dailyOurs = await measure(() => segflowDailyRevenue(duck));
  note('segflow daily revenue', dailyOurs.timing);
  const dailySql = await measure(() => sqlDailyRevenue(duck));
  note('sql daily revenue', dailySql.timing);
  if (round === 0) {
    if (!sameCounts(ours.result.transitions, transitions.result)) throw new Error('transition counts differ between segflow and SQL');
    if (ours.result.funnel.join() !== funnelSql.result.join()) throw new Error(`funnel differs: segflow ${ours.result.funnel.join()} vs SQL ${funnelSql.result.join()}`);
    if (dailyOurs.result.length !== dailySql.result.length || dailyOurs.result.some((value, day) => Math.abs(value - (dailySql.result[day] as number)) > 1e-6 * Math.abs(value))) {
      throw new Error('daily revenue differs between segflow and SQL');
    }
    console.log(`answers agree: ${ours.result.transitions.size} transitions, funnel ${ours.result.funnel.join(' → ')}, ${dailyOurs.result.length} days`);
  }
}
for (const [name, list] of Object.entries(timings)) {
  const { wall, cpu } = best(list);
  console.log(`  ${name.padEnd(48)} ${wall.toFixed(2).padStart(7)} s wall  ${cpu.toFixed(2).padStart(7)} s CPU`);
}
const ratio = (ours: string, theirs: string[]) => {
  const a = best(timings[ours] ?? []);
  const b = theirs.map((name) => best(timings[name] ?? [])).reduce((sum, timing) => ({ wall: sum.wall + timing.wall, cpu: sum.cpu + timing.cpu }), { wall: 0, cpu: 0 });
  return `${(a.wall / b.wall).toFixed(2)}× wall, ${(a.cpu / b.cpu).toFixed(2)}× CPU`;
};
console.log(`ratio segflow / SQL, journeys (transitions + funnel): ${ratio('segflow journeys (load + transitions + funnel)', ['sql transitions', 'sql funnel'])}`);
console.log(`ratio segflow / SQL, daily revenue series:            ${ratio('segflow daily revenue', ['sql daily revenue'])}`);
console.log(`(target: within 2×; load ${loadavg().map((value) => value.toFixed(2)).join(' ')})`);
