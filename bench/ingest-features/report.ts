import { RSS_TARGET_BYTES, THROUGHPUT_RATIO_TARGET } from './bench-settings.js';
import type { SelfTime } from './cpu-profile-summary.js';

export interface SideResult {
  wallSeconds: number;
  /** Input lines / wall seconds: both sides read the same lines. */
  eventsPerSecond: number;
  peakRssMiB: number;
  /** The side's own stage timings; `other` is wall minus their sum (process start, module load, setup). */
  stagesMs: Record<string, number>;
}

/** A side that did not finish (its error message, stderr included). */
export interface SideFailure {
  error: string;
}

export interface SizeResult {
  requestedEvents: number;
  /** Lines in the JSONL (the world's size rounds to whole users; retries included). */
  events: number;
  dataset: { path: string; bytes: number; generatedSeconds: number | null };
  segflow: (SideResult & { entry: string; accepted: number; duplicates: number; quarantined: number; profiles: number }) | SideFailure;
  baseline: (SideResult & { stored: number; profiles: number }) | SideFailure;
  /** segflow events/s ÷ baseline events/s; null when a side failed. */
  throughputRatio: number | null;
  /** Null when a side failed. */
  agreement: { ok: boolean; problems: string[]; profiles: number; frequency: number; monetary: number } | null;
  /** Top self-time functions of a separate, profiled segflow run (--cpu-prof). */
  cpuProfile: { file: string; wallSeconds: number; top: SelfTime[] } | null;
  /** Where the state directories were kept (--keep). */
  keptIn: string | null;
}

export function sideResult(wallMs: number, peakRssBytes: number, lines: number, stagesMs: Record<string, number>): SideResult {
  const known = Object.values(stagesMs).reduce((sum, ms) => sum + ms, 0);
  return {
    wallSeconds: wallMs / 1000,
    eventsPerSecond: lines / (wallMs / 1000),
    peakRssMiB: peakRssBytes / 1024 ** 2,
    stagesMs: { ...stagesMs, other: Math.max(0, Math.round(wallMs - known)) },
  };
}

const integer = (value: number) => Math.round(value).toLocaleString('en-US');
const fixed = (value: number, digits: number) => value.toFixed(digits);
const pad = (text: string, width: number) => text.padStart(width);

export function formatSizeResult(result: SizeResult): string {
  const { segflow, baseline } = result;
  const source = result.dataset.generatedSeconds === null ? 'reused' : `generated in ${fixed(result.dataset.generatedSeconds, 1)} s`;
  const stages = (side: SideResult) =>
    Object.entries(side.stagesMs).map(([stage, ms]) => `${stage} ${fixed(ms / 1000, 2)}`).join(' · ');
  const row = (name: string, side: SideResult | SideFailure) => 'error' in side
    ? `${name.padEnd(9)}FAILED: ${side.error.split('\n').filter((line) => line.trim() !== '').slice(0, 3).join(' / ')}`
    : `${name.padEnd(9)}${pad(fixed(side.wallSeconds, 2), 9)}${pad(integer(side.eventsPerSecond), 12)}${pad(fixed(side.peakRssMiB, 0), 14)}   ${stages(side)}`;
  const targetMiB = RSS_TARGET_BYTES / 1024 ** 2;
  const lines = [
    `== ${integer(result.events)} events (${result.dataset.path}, ${fixed(result.dataset.bytes / 1024 ** 2, 0)} MiB, ${source}) ==`,
    `${'side'.padEnd(9)}${pad('wall s', 9)}${pad('events/s', 12)}${pad('peak RSS MiB', 14)}   stages, s`,
    row('segflow', segflow),
    row('baseline', baseline),
  ];
  if (result.throughputRatio !== null) {
    const met = result.throughputRatio >= THROUGHPUT_RATIO_TARGET;
    lines.push(`throughput segflow/baseline: ${fixed(result.throughputRatio, 3)} (target ≥ ${THROUGHPUT_RATIO_TARGET}: ${met ? 'met' : 'MISSED'})`);
  }
  if (!('error' in segflow)) {
    const within = segflow.peakRssMiB * 1024 ** 2 <= RSS_TARGET_BYTES;
    const baselineRss = 'error' in baseline ? '' : `; baseline ${fixed(baseline.peakRssMiB, 0)} MiB`;
    lines.push(
      `segflow peak RSS: ${fixed(segflow.peakRssMiB, 0)} MiB of the ${targetMiB} MiB target (${within ? 'within' : 'OVER'})${baselineRss}`,
      `segflow: ${integer(segflow.accepted)} accepted, ${integer(segflow.duplicates)} duplicates, ${integer(segflow.quarantined)} quarantined${'error' in baseline ? '' : `; baseline stored ${integer(baseline.stored)}`}`,
    );
  }
  if (result.agreement?.ok === true) {
    lines.push(`agreement: ${integer(result.agreement.profiles)} profiles, sum(frequency) ${integer(result.agreement.frequency)}, sum(monetary) ${fixed(result.agreement.monetary, 2)}, and every other feature's sum and null count match`);
  } else if (result.agreement) {
    lines.push('WARNING: segflow and the baseline disagree, so the ratio compares different work:', ...result.agreement.problems.map((problem) => `  ${problem}`));
  }
  if (result.cpuProfile) {
    lines.push(`segflow CPU profile (separate run under --cpu-prof, ${fixed(result.cpuProfile.wallSeconds, 2)} s; main thread self time): ${result.cpuProfile.file}`);
    for (const entry of result.cpuProfile.top) {
      lines.push(`  ${pad(fixed(entry.selfMs / 1000, 2), 7)} s ${pad(fixed(entry.share * 100, 1), 5)}%  ${entry.function}`);
    }
  }
  if (result.keptIn) lines.push(`kept: ${result.keptIn}`);
  return `${lines.join('\n')}\n`;
}
