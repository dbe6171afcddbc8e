/**
 * bench/triggers: events/s through the trigger engine with 100k active
 * profiles and 5 triggers (absence, repetition, sequence, inactivity,
 * segment), on the in-memory repository by default, so the figure is the
 * engine's own cost; `--repository sqlite` runs it on the SQLite state store
 * (a fresh file in the temp directory), as `segflow serve` does. The baseline in the
 * same run is the bare loop that only groups the batch by profile: the
 * ratio says what the triggers cost on top of touching each event once.
 * Also prints the wall time from a timer becoming fireable to its action
 * leaving the engine (p50/p99), measured per advance.
 *
 *   npx tsx bench/triggers/run.ts [--profiles 100000] [--events 1000000] [--batch 1000] [--repository memory|sqlite]
 *     [--sqlite-cache-mb N] [--sqlite-autocheckpoint PAGES] [--json]
 *
 * The two SQLite knobs are connection pragmas the state store's client does
 * not set (it keeps SQLite's 2 MB page cache and 1000-page checkpoints):
 * here to measure what they would buy, not settings of the engine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TriggersSection } from '../../core/config/trigger-schema.js';
import { openSqliteClient } from '../../core/store/sql/sqlite-client.js';
import { createTriggerState } from '../../core/store/state/trigger-state.js';
import { compileTriggers } from '../../core/triggers/compile-triggers.js';
import type { TriggerProfile } from '../../core/triggers/guards/guard-types.js';
import { InMemoryTriggerStateRepository } from '../../core/triggers/in-memory-trigger-state-repository.js';
import { TriggerEngine } from '../../core/triggers/trigger-engine.js';
import type { TriggerStateRepository } from '../../core/triggers/trigger-state-repository.js';
import type { ProfileEvent, SegmentChange } from '../../core/triggers/trigger-types.js';

const { values } = parseArgs({
  options: {
    profiles: { type: 'string', default: '100000' },
    events: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '1000' },
    repository: { type: 'string', default: 'memory' },
    'sqlite-cache-mb': { type: 'string' },
    'sqlite-autocheckpoint': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const PROFILES = Number(values.profiles);
const EVENTS = Number(values.events);
const BATCH = Number(values.batch);
const REPOSITORY = values.repository;
if (REPOSITORY !== 'memory' && REPOSITORY !== 'sqlite') throw new Error(`--repository ${REPOSITORY}: expected memory or sqlite`);
const MINUTE = 60_000;
const START = Date.parse('2026-06-10T06:00:00Z');

const triggers = compileTriggers(
  TriggersSection.parse({
    allowed_lateness: '2m',
    frequency_cap: { max: 3, per: '1d' },
    quiet_hours: { start: '21:00', end: '08:00', default_timezone: 'Europe/Berlin' },
    rules: [
      { id: 'abandoned_cart', kind: 'absence', purpose: 'marketing', after: ['Product Added', 'Checkout Started'], absent: 'Order Completed', within: '30m', key: 'cart_id', cooldown: '1d', actions: [{ sink: 'hubspot', kind: 'hubspot:event', payload: { cart: 'event.properties.cart_id', email: 'profile.traits.email' } }] },
      { id: 'expensive_again', kind: 'repetition', purpose: 'marketing', event: { event: 'Product Viewed', where: { price: { gte: 200 } } }, at_least: 3, within: 'session', key: 'product_id', actions: [{ sink: 'marketo', kind: 'marketo:campaign', target: '1001' }] },
      { id: 'a_then_b', kind: 'sequence', purpose: 'marketing', first: { event: 'Product Viewed', where: { category: 'shoes' } }, then: 'Product Added', without: 'Order Completed', within: '10m', actions: [{ sink: 'hubspot', kind: 'hubspot:list-add', target: 'shoes-then-cart' }] },
      { id: 'gone_quiet', kind: 'inactivity', purpose: 'marketing', inactive_for: '14d', actions: [{ sink: 'hubspot', kind: 'hubspot:property', target: 'segflow_gone_quiet' }] },
      { id: 'churn_risk', kind: 'segment', purpose: 'marketing', segment: 'churn_risk', on: 'entered', actions: [{ sink: 'salesforce', kind: 'salesforce:platform-event', target: 'Churn__e' }] },
    ],
  }),
);

/** A deterministic shop stream: each event picks a profile and moves time ~4 ms forward (≈ 250 events/s of shop traffic). */
function* stream(): Generator<ProfileEvent> {
  let seed = 42;
  const next = () => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296);
  const names = ['Product Viewed', 'Product Viewed', 'Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed', 'Page Viewed'];
  const categories = ['shoes', 'bags', 'hats'];
  for (let index = 0; index < EVENTS; index++) {
    const profile = Math.floor(next() * PROFILES);
    const name = names[Math.floor(next() * names.length)] as string;
    const product = Math.floor(next() * 20);
    // 5% of events arrive up to 90 s late (inside the 2-minute lateness).
    const late = next() < 0.05 ? Math.floor(next() * 90_000) : 0;
    yield {
      profileId: `p${profile}`,
      event: {
        messageId: `m${index}`,
        type: 'track',
        event: name,
        timestamp: START + index * 4 - late,
        properties: { product_id: `sku${product}`, price: product * 20, category: categories[product % 3] as string, cart_id: `cart-${profile}-${Math.floor(index / 200_000)}` },
      },
    };
  }
}

const profileCache = new Map<string, TriggerProfile>();
const lookup = {
  lookup(ids: readonly string[]) {
    const found = new Map<string, TriggerProfile>();
    for (const id of ids) {
      let profile = profileCache.get(id);
      if (profile === undefined) {
        const number = Number(id.slice(1));
        profile = { timeZone: number % 2 === 0 ? 'Europe/Berlin' : 'America/New_York', consent: { marketing: number % 10 !== 0 }, suppressed: number % 97 === 0, traits: { email: `${id}@example.com` } };
        profileCache.set(id, profile);
      }
      found.set(id, profile);
    }
    return Promise.resolve(found);
  },
};

const events = [...stream()];
const batches: ProfileEvent[][] = [];
for (let index = 0; index < events.length; index += BATCH) batches.push(events.slice(index, index + BATCH));
const lastEventTime = START + EVENTS * 4;

// Baseline: the cheapest loop that still touches every event once and groups it by profile.
const baselineStart = performance.now();
let grouped = 0;
for (const batch of batches) {
  const byProfile = new Map<string, ProfileEvent[]>();
  for (const item of batch) {
    const list = byProfile.get(item.profileId);
    if (list === undefined) byProfile.set(item.profileId, [item]);
    else list.push(item);
  }
  grouped += byProfile.size;
}
const baselineSeconds = (performance.now() - baselineStart) / 1000;

let wall = lastEventTime;
const sqliteDirectory = REPOSITORY === 'sqlite' ? mkdtempSync(join(tmpdir(), 'segflow-bench-triggers-')) : undefined;
const sqlite = sqliteDirectory === undefined ? undefined : openSqliteClient(join(sqliteDirectory, 'state.db'));
if (sqlite !== undefined && values['sqlite-cache-mb'] !== undefined) await sqlite.exec(`PRAGMA cache_size = -${Number(values['sqlite-cache-mb']) * 1024}`);
if (sqlite !== undefined && values['sqlite-autocheckpoint'] !== undefined) await sqlite.exec(`PRAGMA wal_autocheckpoint = ${Number(values['sqlite-autocheckpoint'])}`);
const repository: TriggerStateRepository = sqlite === undefined ? new InMemoryTriggerStateRepository() : createTriggerState(sqlite);
const engine = new TriggerEngine({ triggers, repository, profiles: lookup, now: () => wall });
const segmentChanges: SegmentChange[] = [];
for (let index = 0; index < PROFILES; index += 10) segmentChanges.push({ profileId: `p${index}`, changeId: `run1-${index}`, segment: 'churn_risk', change: 'entered', at: START + 1000 });

const started = performance.now();
// CPU time as well as wall time: on a shared machine wall time measures the neighbours too.
const cpuStarted = process.cpuUsage();
let actions = 0;
let held = 0;
for (const [index, batch] of batches.entries()) {
  const result = await engine.processEvents(batch, index === 0 ? segmentChanges : []);
  actions += result.actions.length;
  held += result.held.length;
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;

// Timer latency: step the clock a minute at a time over the next hour; every timer that became
// fireable in a step leaves in that step's call, so its delay is that call's wall time.
const delays: number[] = [];
let timersFired = 0;
for (let step = 1; step <= 60; step++) {
  wall = lastEventTime + step * MINUTE;
  const callStart = performance.now();
  const result = await engine.advanceTo(wall);
  const elapsed = performance.now() - callStart;
  for (let index = 0; index < result.timersFired; index++) delays.push(elapsed);
  timersFired += result.timersFired;
  actions += result.actions.length;
}
if (sqlite !== undefined) await sqlite.close();
if (sqliteDirectory !== undefined) rmSync(sqliteDirectory, { recursive: true, force: true });
delays.sort((left, right) => left - right);
const percentile = (fraction: number) => (delays.length === 0 ? 0 : (delays[Math.min(delays.length - 1, Math.floor(fraction * delays.length))] as number));

const summary = {
  profiles: PROFILES,
  events: EVENTS,
  batch: BATCH,
  repository: REPOSITORY,
  seconds: Number(seconds.toFixed(2)),
  eventsPerSecond: Math.round(EVENTS / seconds),
  eventsPerCpuSecond: Math.round(EVENTS / cpuSeconds),
  baselineEventsPerSecond: Math.round(EVENTS / baselineSeconds),
  ratioToBaseline: Number((baselineSeconds / seconds).toFixed(4)),
  actions,
  held,
  timersFired,
  timerDelayMs: { p50: Number(percentile(0.5).toFixed(1)), p99: Number(percentile(0.99).toFixed(1)) },
  groupedProfiles: grouped,
};
if (values.json) console.log(JSON.stringify(summary));
else {
  console.log(`trigger engine: ${summary.eventsPerSecond.toLocaleString('en-US')} events/s wall, ${summary.eventsPerCpuSecond.toLocaleString('en-US')} per CPU-second (${PROFILES.toLocaleString('en-US')} profiles, 5 triggers, batches of ${BATCH}; ${REPOSITORY === 'sqlite' ? 'SQLite' : 'in-memory'} repository)`);
  console.log(`  baseline (group by profile only): ${summary.baselineEventsPerSecond.toLocaleString('en-US')} events/s; engine/baseline ${summary.ratioToBaseline}`);
  console.log(`  actions ${actions.toLocaleString('en-US')}, held ${held.toLocaleString('en-US')}, timers fired after the stream ${timersFired.toLocaleString('en-US')}`);
  console.log(`  timer fireable → action out: p50 ${summary.timerDelayMs.p50} ms, p99 ${summary.timerDelayMs.p99} ms (per advance call)`);
}
