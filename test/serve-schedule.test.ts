import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { formatIssue } from '../core/config/config-issue.js';
import { openWorkspace, type Workspace } from '../core/runtime/index.js';
import { createConnectors } from '../connectors/wiring.js';
import { loadMapping } from '../cli/commands/validate.js';
import { startServer, type RunningServer } from '../cli/serve/serve-app.js';
import { writeMapping } from './support/run-mapping.js';
import { temporaryDirectory } from './support/temporary-directory.js';
import { basicAuth, WRITE_KEY } from './support/ingest-server.js';

/**
 * `segflow serve` with a `schedule:` and the profile API, in-process on a
 * loopback port with an injected clock: jobs are fired by id (as their cron
 * timer would), restarts move the clock forward instead of waiting.
 */
const API_KEY = 'pk_test_profile_0123';
const ENV = { ...process.env, SEGFLOW_STATE: '', TEST_WRITE_KEY: WRITE_KEY, TEST_PROFILE_KEY: API_KEY };

function mapping(missed: 'skip' | 'run_once'): string {
  return `version: 1
name: scheduled
sources:
  - id: web
    type: segment-api
    write_keys: ['\${env:TEST_WRITE_KEY}']
features:
  include: [frequency]
segments:
  - id: all
    model: rules
    name: Everyone
    rule: frequency >= 0
  - id: frequent
    model: rules
    name: Frequent visitors
    rule: frequency >= 2
schedule:
  timezone: Europe/Berlin
  missed: ${missed}
  jobs:
    - { id: hourly, cron: "0 * * * *", job: run }
    - { id: recluster, cron: "0 3 * * 1", job: run }
    - { id: nightly-sync, cron: "30 2 * * *", job: sync }
serve:
  profile_api:
    api_keys: ['\${env:TEST_PROFILE_KEY}']
    features: [frequency, not_computed]
    consent_categories: [personalization]
`;
}

interface Live {
  server: RunningServer;
  workspace: Workspace;
  logs: Array<Record<string, unknown>>;
  clock: { now: number };
  close(): Promise<void>;
}

const open: Live[] = [];
afterEach(async () => {
  for (const live of open.splice(0)) await live.close();
});

async function start(directory: string, now: number, missed: 'skip' | 'run_once' = 'skip'): Promise<Live> {
  const loaded = loadMapping(writeMapping(directory, mapping(missed)));
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  const clock = { now };
  const workspace = await openWorkspace({ mapping: loaded.mapping, mappingFile: `${directory}/mapping.yaml`, connectors: createConnectors(), env: ENV, stateDir: `${directory}/state`, now: () => clock.now });
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const server = await startServer(workspace, { host: '127.0.0.1', port: 0, loadIntervalMs: 60_000, logger: pino(sink), scheduleTimers: false });
  let closed = false;
  const live: Live = {
    server, workspace, logs, clock,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await server.close();
      } finally {
        await workspace.close();
      }
    },
  };
  open.push(live);
  return live;
}

async function send(live: Live, batch: unknown[]): Promise<void> {
  const response = await fetch(`${live.server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(WRITE_KEY) }, body: JSON.stringify({ batch }) });
  expect(response.status).toBe(200);
}

async function profile(live: Live, id: string, key: string | null = API_KEY): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${live.server.url}/v1/profiles/${encodeURIComponent(id)}`, { headers: key === null ? {} : { authorization: `Bearer ${key}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const T0 = Date.parse('2026-11-21T10:30:00Z');
// frequency counts distinct orders: Ana has two, Cy one, Bo one (but withheld consent).
const event = (n: number, fields: Record<string, unknown>) => ({ type: 'track', event: 'Order Completed', messageId: `m-${n}`, timestamp: '2026-11-20T10:00:00Z', properties: { order_id: `o-${n}`, revenue: 10 }, ...fields });
const SHOPPERS = [
  event(1, { userId: 'u-ana' }),
  event(2, { userId: 'u-ana' }),
  { type: 'identify', userId: 'u-ana', messageId: 'm-3', timestamp: '2026-11-20T10:01:00Z', traits: { email: ' Ana@Example.com ' }, context: { consent: { categoryPreferences: { personalization: true } } } },
  event(4, { anonymousId: 'anon-bo', context: { consent: { categoryPreferences: { personalization: false } } } }),
  event(5, { anonymousId: 'anon-cy' }),
];

describe('the scheduler', () => {
  it('runs a job fired by id through the work queue, recorded in the run history like a CLI run', async () => {
    const live = await start(temporaryDirectory('serve-schedule'), T0);
    await send(live, SHOPPERS);
    const outcome = await live.server.scheduler!.fire('hourly');
    expect(outcome).toMatchObject({ jobId: 'hourly', result: 'succeeded', slot: Date.parse('2026-11-21T10:00:00Z') });
    const [latest] = await live.workspace.state.runs.recent(1);
    expect(latest).toMatchObject({ runId: outcome.runId, status: 'succeeded' });
    expect((latest?.summary as { events: { stored: number } }).events.stored).toBe(5);
  });

  it('never overlaps itself: a slot that comes while the job runs is skipped, not queued', async () => {
    const live = await start(temporaryDirectory('serve-overlap'), T0);
    await send(live, SHOPPERS);
    const first = live.server.scheduler!.fire('hourly');
    const second = await live.server.scheduler!.fire('hourly');
    expect(second.result).toBe('skipped_overlap');
    expect((await first).result).toBe('succeeded');
    expect(await live.workspace.state.runs.recent(10)).toHaveLength(1);
  });

  it('never overlaps another process: a held lease in the state store skips the run', async () => {
    const live = await start(temporaryDirectory('serve-lease'), T0);
    await send(live, SHOPPERS);
    // A live holder on another machine (a dead local pid would be taken over at once).
    expect(await live.workspace.state.locks.acquire('schedule:hourly', `not-${hostname()}:1:other`, 60_000, T0)).toBe(true);
    const outcome = await live.server.scheduler!.fire('hourly');
    expect(outcome.result).toBe('skipped_locked');
    expect(outcome.reason).toMatch(/another segflow process .* is running "schedule:hourly"/);
    expect(await live.workspace.state.runs.recent(10)).toHaveLength(0);
    // The other job has its own lease.
    expect((await live.server.scheduler!.fire('recluster')).result).toBe('succeeded');
  });

  it('records a failed run in the run history and the metrics, and keeps serving', async () => {
    const live = await start(temporaryDirectory('serve-failed'), T0);
    await send(live, SHOPPERS);
    await live.server.scheduler!.fire('hourly');
    // This mapping has no sinks: the scheduled sync fails with the CLI's message.
    const outcome = await live.server.scheduler!.fire('nightly-sync');
    expect(outcome).toMatchObject({ result: 'failed', reason: expect.stringMatching(/has no sinks/) });
    const [latest] = await live.workspace.state.runs.recent(1);
    expect(latest).toMatchObject({ runId: outcome.runId, status: 'failed', summary: { error: expect.stringMatching(/has no sinks/) } });
    expect(await (await fetch(`${live.server.url}/metrics`)).text()).toMatch(/^segflow_scheduled_runs_total\{job="nightly-sync",result="failed"\} 1$/m);
    expect((await profile(live, 'u-ana')).status).toBe(200);
  });

  it('on close, a running job stops at its next checkpoint and is recorded as ended, never left running', async () => {
    const live = await start(temporaryDirectory('serve-drain'), T0);
    await send(live, SHOPPERS);
    const running = live.server.scheduler!.fire('hourly');
    await live.server.close();
    expect(['succeeded', 'aborted']).toContain((await running).result);
    const runs = await live.workspace.state.runs.recent(10);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.status).not.toBe('running');
  });

  it('missed: run_once runs one catch-up on start for the slots missed while down', async () => {
    const directory = temporaryDirectory('serve-run-once');
    const first = await start(directory, T0, 'run_once');
    await send(first, SHOPPERS);
    await first.server.scheduler!.fire('hourly');
    await first.close();
    // Down for three hourly slots (11:00, 12:00, 13:00 UTC).
    const second = await start(directory, Date.parse('2026-11-21T13:20:00Z'), 'run_once');
    await second.server.scheduler!.idle();
    const runs = await second.workspace.state.runs.recent(10);
    expect(runs.map((run) => run.status)).toEqual(['succeeded', 'succeeded']);
    const missed = second.logs.find((line) => String(line.msg).startsWith('scheduled runs missed'));
    expect(missed).toMatchObject({ job: 'hourly', missed: 3, latestMissed: '2026-11-21T13:00:00.000Z', policy: 'run_once' });
  });

  it('missed: skip logs the missed slots and runs nothing until the next one', async () => {
    const directory = temporaryDirectory('serve-skip');
    const first = await start(directory, T0, 'skip');
    await send(first, SHOPPERS);
    await first.server.scheduler!.fire('hourly');
    await first.close();
    const second = await start(directory, Date.parse('2026-11-21T13:20:00Z'), 'skip');
    await second.server.profiles!.ready;
    expect(await second.workspace.state.runs.recent(10)).toHaveLength(1);
    expect(second.logs.find((line) => String(line.msg).startsWith('scheduled runs missed'))).toMatchObject({ job: 'hourly', missed: 3, policy: 'skip' });
    await second.close();
    // Reported once: a third start does not report the same slots again.
    const third = await start(directory, Date.parse('2026-11-21T13:40:00Z'), 'skip');
    expect(third.logs.some((line) => String(line.msg).startsWith('scheduled runs missed'))).toBe(false);
  });
});

describe('the profile API', () => {
  it('serves segments and the listed features by userId, anonymousId and email hash, after a run', async () => {
    const live = await start(temporaryDirectory('serve-profiles'), T0);
    await send(live, SHOPPERS);
    expect((await profile(live, 'u-ana')).status).toBe(503); // no run yet
    await live.server.scheduler!.fire('hourly');
    const ana = await profile(live, 'u-ana');
    expect(ana).toEqual({ status: 200, body: { profileId: expect.any(String), segments: [{ id: 'all', name: 'Everyone' }, { id: 'frequent', name: 'Frequent visitors' }], features: { frequency: 2 } } });
    const hash = createHash('sha256').update('ana@example.com').digest('hex');
    expect((await profile(live, `email_sha256:${hash}`)).body).toEqual(ana.body);
    // The id is opaque: asking by email hash or anonymousId never reveals the userId.
    expect(ana.body.profileId).toMatch(/^p_[0-9a-f]{24}$/);
    expect(await profile(live, 'anon-cy')).toMatchObject({ status: 200, body: { segments: [{ id: 'all', name: 'Everyone' }], features: { frequency: 1 } } });
    // Features the mapping lists that no run computes are left out (and logged), never invented.
    expect(live.logs.some((line) => String(line.msg).includes('did not compute') && JSON.stringify(line.features) === '["not_computed"]')).toBe(true);
  });

  it('withholds segments and features from a profile whose consent does not cover the API', async () => {
    const live = await start(temporaryDirectory('serve-consent'), T0);
    await send(live, SHOPPERS);
    await live.server.scheduler!.fire('hourly');
    expect((await profile(live, 'anon-bo')).body).toEqual({ profileId: expect.any(String), segments: [], features: {}, consent: 'withheld' });
  });

  it('refuses a missing or wrong API key with 401, and logs neither the id nor the email', async () => {
    const live = await start(temporaryDirectory('serve-auth'), T0);
    await send(live, SHOPPERS);
    await live.server.scheduler!.fire('hourly');
    expect((await profile(live, 'u-ana', null)).status).toBe(401);
    expect((await profile(live, 'u-ana', `${API_KEY}x`)).status).toBe(401);
    expect((await profile(live, 'nobody')).status).toBe(404);
    const logged = JSON.stringify(live.logs);
    for (const secret of ['u-ana', 'ana@example.com', 'Ana@Example.com', API_KEY, WRITE_KEY]) expect(logged).not.toContain(secret);
  });
});

describe('/metrics', () => {
  it('exposes ingest, load, schedule and profile series in Prometheus text format', async () => {
    const live = await start(temporaryDirectory('serve-metrics'), T0);
    await send(live, SHOPPERS);
    await live.server.loader.loadNow();
    await live.server.scheduler!.fire('hourly');
    await live.server.scheduler!.fire('hourly').then(() => undefined);
    await profile(live, 'u-ana');
    await profile(live, 'u-ana', null);
    const response = await fetch(`${live.server.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('segflow_events_accepted_total{source="web"}')).toBe(5);
    expect(value('segflow_loaded_events_total')).toBe(5);
    expect(value('segflow_loads_total')).toBeGreaterThanOrEqual(1);
    expect(value('segflow_quarantined_events_total')).toBe(0);
    expect(value('segflow_scheduled_runs_total{job="hourly",result="succeeded"}')).toBe(2);
    expect(value('segflow_scheduled_run_duration_seconds_count{job="hourly"}')).toBe(2);
    expect(value('segflow_scheduled_last_run_timestamp_seconds{job="hourly"}')).toBe(T0 / 1000);
    expect(value('segflow_profile_requests_total{status="200"}')).toBe(1);
    expect(value('segflow_profile_requests_total{status="401"}')).toBe(1);
    expect(value('segflow_profile_snapshot_profiles')).toBe(3);
    expect(text).toContain('# TYPE segflow_journal_backlog_bytes gauge');
  });
});
