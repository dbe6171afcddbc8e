import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStateStore, type StateLocation } from '../core/store/state/open-state-store.js';
import { HOUR, MINUTE, DAY, T0, profileLookup, track } from '../core/triggers/trigger-fixtures.test-support.js';
import { inBatches } from '../core/triggers/mixed-history.test-support.js';
import { TriggerEngine } from '../core/triggers/trigger-engine.js';
import { measureChildCostMs, timeoutInChildCosts } from './support/child-cost.js';
import { STATE_DRIVERS } from './support/state-drivers.js';
import { CRASH_TRIGGERS } from './support/trigger-crash-fixtures.js';

/**
 * Durable timers across SIGKILL: 10,000 abandoned-cart waits are committed
 * to the state store, then an engine in a child process, a day later, fires
 * them 100 profiles per commit and dies mid-way four times: three times at
 * exact places inside a commit's transaction (it kills itself there, see
 * support/trigger-child.ts), once by a SIGKILL from here as it begins a
 * commit; a fifth run finishes. Every timer must fire exactly
 * once (one outbox row per cart, no id twice, none pending), and the ones
 * fired after a restart still carry the due time they had before the crash.
 */
const TIMERS = 10_000;
const PROFILES = 2_500;
const WITHIN = 30 * MINUTE;
const CHILD = join(import.meta.dirname, 'support', 'trigger-child.ts');
// Timeouts in units of what one child costs to start here and now (see child-cost.ts).
const CHILD_COST_MS = await measureChildCostMs([join(import.meta.dirname, '..', 'core', 'store', 'state', 'open-state-store.ts'), join(import.meta.dirname, 'support', 'trigger-crash-fixtures.ts')], import.meta.dirname);
const TIMEOUT_MS = timeoutInChildCosts(40, CHILD_COST_MS);

interface ChildOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Commits the child had started when it ended. */
  started: number;
  /** Commits the child saw finish. */
  finished: number;
  /** Action ids its finished commits found already in the outbox (a timer fired twice). */
  duplicates: number;
  result: { actions: number; timersFired: number; duplicateActions: number; commits: number } | undefined;
  stderr: string;
}

/**
 * Runs one engine child at wall clock `now`. `kill` is where it dies: a point
 * inside a commit's transaction where it kills itself (`<commit>:<statement>`,
 * `<commit>:end`), or `{ atCommit }`: SIGKILLed from here as soon as it
 * announces that commit.
 */
function runChild(location: StateLocation, now: number, kill?: string | { atCommit: number }): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(location), String(now), typeof kill === 'string' ? kill : 'none'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let started = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      started = [...stdout.matchAll(/^committing (\d+)$/gm)].length;
      if (typeof kill === 'object' && started >= kill.atCommit && !child.killed) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      const finished = [...stdout.matchAll(/^committed \d+ (\d+)$/gm)];
      resolve({ code, signal, started, finished: finished.length, duplicates: finished.reduce((sum, match) => sum + Number(match[1]), 0), stderr, result: last.startsWith('{') ? (JSON.parse(last) as ChildOutcome['result']) : undefined });
    });
  });
}

async function readOutbox(location: StateLocation) {
  const state = await openStateStore(location);
  try {
    return { outbox: await state.triggers.outbox(), pending: await state.triggers.pendingTimers() };
  } finally {
    await state.close();
  }
}

describe.each(STATE_DRIVERS)('trigger timers across SIGKILL: $name', (driver) => {
  it(`fires ${TIMERS} committed timers exactly once through four kills, late ones with their original due time`, async () => {
    const location = driver.location('trigger-crash');
    // The waits begin: 4 carts per profile, each due 30 minutes after its Product Added.
    const seeding = await openStateStore(location);
    const engine = new TriggerEngine({ triggers: CRASH_TRIGGERS, repository: seeding.triggers, profiles: profileLookup(), now: () => T0 });
    const events = Array.from({ length: TIMERS }, (_, index) => track(`p${index % PROFILES}`, 'Product Added', T0 + index * 100, { cart_id: `c${index}` }));
    for (const batch of inBatches(events, 1_000)) await engine.processEvents(batch);
    expect(await seeding.triggers.pendingTimers()).toHaveLength(TIMERS);
    await seeding.close();

    // A day later the engine starts and fires; it dies four times, each restart an hour later than the one before.
    const kills: Array<string | { atCommit: number }> = [
      '3:2', // in its 3rd commit, the clock written, the profile states not yet
      '2:7', // in its 2nd commit, timers deleted, before the outbox rows
      '2:end', // in its 2nd commit, every statement run, before COMMIT
      { atCommit: 2 }, // wherever a signal from outside lands as it begins its 2nd commit
    ];
    const walls = Array.from({ length: kills.length + 1 }, (_, run) => T0 + DAY + run * HOUR);
    const firedBy: number[] = [0];
    for (const [run, kill] of kills.entries()) {
      const killed = await runChild(location, walls[run] as number, kill);
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      expect(killed.duplicates).toBe(0);
      const { outbox } = await readOutbox(location);
      const grown = outbox.length - (firedBy.at(-1) as number);
      firedBy.push(outbox.length);
      // Every commit is 100 profiles × 4 timers, whole or not at all: a killed commit left nothing.
      if (typeof kill === 'string') expect(grown).toBe(killed.finished * 400);
      else expect([killed.finished * 400, (killed.finished + 1) * 400]).toContain(grown);
      expect(grown).toBeGreaterThan(0);
      expect(outbox.length).toBeLessThan(TIMERS);
    }
    const beforeLast = firedBy.at(-1) as number;
    const finished = await runChild(location, walls.at(-1) as number);
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.duplicates).toBe(0);
    // The last run fires exactly what the killed ones had not committed, and finds no action already in the outbox.
    expect(finished.result).toMatchObject({ actions: TIMERS - beforeLast, timersFired: TIMERS - beforeLast, duplicateActions: 0 });
    firedBy.push(TIMERS);

    const { outbox, pending } = await readOutbox(location);
    expect(pending).toEqual([]);
    expect(outbox).toHaveLength(TIMERS);
    expect(new Set(outbox.map((action) => action.id)).size).toBe(TIMERS);
    // One action per cart: every wait fired, none twice.
    expect(new Set(outbox.map((action) => action.matchKey))).toEqual(new Set(events.map((event) => event.event.properties.cart_id)));
    const anchorOf = new Map(events.map((event) => [event.event.properties.cart_id, event.event.timestamp]));
    for (const action of outbox) {
      expect(action.anchorAt).toBe(anchorOf.get(action.matchKey));
      expect(action.dueAt).toBe(action.anchorAt + WITHIN);
    }
    // Each run's actions carry its own wall clock: the restarted runs fired late, a day and more after the due time.
    const byWall = new Map<number, number>();
    for (const action of outbox) byWall.set(action.firedAt, (byWall.get(action.firedAt) ?? 0) + 1);
    const expected = walls.map((wall, run): [number, number] => [wall, (firedBy[run + 1] as number) - (firedBy[run] as number)]);
    expect(byWall).toEqual(new Map(expected));
    expect(outbox.every((action) => action.firedAt - (action.dueAt as number) > DAY - HOUR)).toBe(true);
  }, TIMEOUT_MS);
});
