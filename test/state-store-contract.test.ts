import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../core/errors/connector-error.js';
import { openStateStore } from '../core/store/state/open-state-store.js';
import type { StateStore } from '../core/store/state/state-store.js';
import type { SinkChange } from '../core/sync/sink.js';
import { STATE_DRIVERS } from './support/state-drivers.js';

/**
 * The StateStore contract, run against every driver (SQLite, PostgreSQL):
 * what a workspace, the sync and erasure rely on. Each test opens a fresh,
 * empty location.
 */
const record = (index: number, key = `p${index}@example.com`) => ({ profileId: `u:${index}`, key });
const upsert = (index: number, properties: Record<string, string | number | null> = { tier: 'gold' }, key?: string): SinkChange => ({ op: 'upsert', record: record(index, key), properties });
const listAdd = (index: number, list: string): SinkChange => ({ op: 'list-add', record: { ...record(index), vendorId: `v${index}` }, list });

describe.each(STATE_DRIVERS)('state store contract: $name', (driver) => {
  const opened: StateStore[] = [];
  const open = async (label: string, location = driver.location(label)) => {
    const store = await openStateStore(location, () => Date.parse('2026-12-01T00:00:00Z'));
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('meta values are read back, overwritten, and written together', async () => {
    const state = await open('meta');
    expect(await state.meta.get('missing')).toBeUndefined();
    await state.meta.set('a', '1');
    await state.meta.set('a', '2');
    await state.meta.setMany([['b', 'x'], ['c', 'y']]);
    expect([await state.meta.get('a'), await state.meta.get('b'), await state.meta.get('c')]).toEqual(['2', 'x', 'y']);
  });

  it('identity links and their cursor are stored together; erasure removes a profile\'s identifiers', async () => {
    const state = await open('identity');
    expect(await state.identity.lastSeq()).toBe(0);
    await state.identity.save({ assignments: [['u:ann', 'u:ann'], ['a:c1', 'u:ann'], ['u:bob', 'u:bob']], merges: [{ from: 'a:c1', into: 'u:ann' }], runId: 'r1', at: '2026-12-01T00:00:00Z', lastSeq: 42 });
    await state.identity.save({ assignments: [['a:c1', 'u:bob']], merges: [], runId: 'r2', at: '2026-12-01T00:00:00Z', lastSeq: 50 });
    expect(await state.identity.lastSeq()).toBe(50);
    const nodes = (await state.identity.nodes()).sort((a, b) => a.identifier.localeCompare(b.identifier));
    expect(nodes).toEqual([{ identifier: 'a:c1', profileId: 'u:bob' }, { identifier: 'u:ann', profileId: 'u:ann' }, { identifier: 'u:bob', profileId: 'u:bob' }]);
    expect(await state.identity.removeProfiles(['u:bob'])).toBe(2);
    expect(await state.identity.nodes()).toEqual([{ identifier: 'u:ann', profileId: 'u:ann' }]);
  });

  it('a large identity graph is saved in one call', async () => {
    const state = await open('identity-bulk');
    const assignments = Array.from({ length: 20_000 }, (_, index) => [`a:${index}`, `u:${index % 5_000}`] as const);
    await state.identity.save({ assignments, merges: [], runId: 'r', at: 'now', lastSeq: 1 });
    expect((await state.identity.nodes()).length).toBe(20_000);
  });

  it('runs are recorded with their outcome and listed newest first', async () => {
    const state = await open('runs');
    await state.runs.start({ runId: 'r1', mapping: '/m/a.yaml', startedAt: '2026-12-01T00:00:00Z' });
    await state.runs.finish('r1', { status: 'succeeded', finishedAt: '2026-12-01T00:01:00Z', summary: { profiles: 3 } });
    await state.runs.start({ runId: 'r2', mapping: '/m/a.yaml', startedAt: '2026-12-02T00:00:00Z' });
    const runs = await state.runs.recent(5);
    expect(runs.map((run) => [run.runId, run.status])).toEqual([['r2', 'running'], ['r1', 'succeeded']]);
    expect(runs[1]?.summary).toEqual({ profiles: 3 });
    expect(await state.runs.mappings()).toEqual(['/m/a.yaml']);
  });

  it('suppressions hold hashes once', async () => {
    const state = await open('suppressions');
    expect(await state.suppressions.add('h1', 'erasure')).toBe(true);
    expect(await state.suppressions.add('h1', 'erasure')).toBe(false);
    expect(await state.suppressions.hashes()).toEqual(new Set(['h1']));
  });

  it('acknowledgements, pending values and memberships are kept per account', async () => {
    const state = await open('accounts');
    const a = state.account('hubspot:api:portal-1');
    const b = state.account('hubspot:api:portal-2');
    expect(await a.isNew()).toBe(true);
    await a.markPending([upsert(1), listAdd(1, 'vip')]);
    let acked = await a.loadAcked();
    expect(acked.get('u:1')).toMatchObject({ properties: null, pendingProperties: { tier: 'gold' } });
    expect(acked.get('u:1')?.lists.get('vip')).toBe('pending');
    await a.acknowledge([{ change: upsert(1), vendorId: '101' }, { change: listAdd(1, 'vip') }]);
    await a.noteSynced('crm', 'hubspot');
    acked = await a.loadAcked();
    expect(acked.get('u:1')).toMatchObject({ key: 'p1@example.com', vendorId: '101', properties: { tier: 'gold' }, pendingProperties: null });
    expect(acked.get('u:1')?.lists.get('vip')).toBe('member');
    expect(await a.isNew()).toBe(false);
    // Another account sees none of it.
    expect((await b.loadAcked()).size).toBe(0);
    expect(await b.isNew()).toBe(true);
    await a.acknowledge([{ change: { op: 'list-remove', record: record(1), list: 'vip' } }]);
    expect((await a.loadAcked()).get('u:1')?.lists.size).toBe(0);
    await a.acknowledge([{ change: { op: 'delete', record: record(1) } }]);
    expect((await a.loadAcked()).size).toBe(0);
  });

  it('follows vendor records when a key moves: the old record is retired, a shared key is handed over', async () => {
    const state = await open('keys');
    const account = state.account('acct');
    await account.acknowledge([{ change: upsert(1), vendorId: '1' }, { change: listAdd(1, 'vip') }, { change: upsert(2), vendorId: '2' }]);
    await account.reconcileKeys([{ profileId: 'u:1', key: 'new1@example.com' }, { profileId: 'u:3', key: 'p2@example.com' }]);
    const acked = await account.loadAcked();
    const retired = [...acked.keys()].find((profileId) => profileId.startsWith('u:1~'));
    expect(retired).toBeDefined();
    expect(acked.get(retired as string)?.key).toBe('p1@example.com');
    expect(acked.get(retired as string)?.lists.get('vip')).toBe('member');
    expect(acked.has('u:1')).toBe(false);
    expect(acked.get('u:3')?.key).toBe('p2@example.com');
    expect(acked.has('u:2')).toBe(false);
  });

  it('dead letters park a change until retried; discarded ones stay parked but leave the list; erasure purges them', async () => {
    const state = await open('dlq');
    const account = state.account('acct');
    const failure = new ConnectorError('permanent', 'vendor.invalid', 'Email address p1@example.com is invalid');
    await account.deadLetter('run-1', 'crm', [{ change: upsert(1), error: failure }, { change: upsert(2), error: failure }]);
    const open1 = await state.deadLetters.open();
    expect(open1.map((letter) => [letter.sinkId, letter.profileId, letter.op, letter.errorCode])).toEqual([['crm', 'u:1', 'upsert', 'vendor.invalid'], ['crm', 'u:2', 'upsert', 'vendor.invalid']]);
    expect(open1[0]?.errorMessage).not.toContain('p1@example.com');
    expect((await account.parkedFingerprints()).size).toBe(2);
    expect(await state.deadLetters.open({ sinkId: 'other' })).toEqual([]);

    expect(await state.deadLetters.discard({ id: open1[0]?.id as number })).toBe(1);
    expect((await state.deadLetters.open()).map((letter) => letter.profileId)).toEqual(['u:2']);
    expect((await account.parkedFingerprints()).size).toBe(2);
    expect(await state.deadLetters.retry({ sinkId: 'crm' })).toBe(1);
    expect((await account.parkedFingerprints()).size).toBe(1);

    await account.deadLetter('run-2', 'crm', [{ change: upsert(3), error: failure }]);
    expect(await state.deadLetters.purge('p3@example.com', [])).toBe(1);
    expect(await state.deadLetters.open()).toEqual([]);
  });

  it('a change that went through resolves its dead letter', async () => {
    const state = await open('dlq-resolve');
    const account = state.account('acct');
    await account.deadLetter('run-1', 'crm', [{ change: upsert(1), error: new ConnectorError('permanent', 'x.y', 'bad') }]);
    await account.acknowledge([{ change: upsert(1, { tier: 'silver' }), vendorId: '1' }]);
    expect(await state.deadLetters.open()).toEqual([]);
  });

  it('reset empties one account only; legacy state is adopted once by its sink id', async () => {
    const state = await open('reset');
    await state.account('sandbox:hubspot:crm').acknowledge([{ change: upsert(1), vendorId: '1' }]);
    await state.account('real').acknowledge([{ change: upsert(2), vendorId: '2' }]);
    await state.account('sandbox:hubspot:crm').reset();
    expect((await state.account('sandbox:hubspot:crm').loadAcked()).size).toBe(0);
    expect((await state.account('real').loadAcked()).size).toBe(1);

    await state.account('legacy-sink:crm').acknowledge([{ change: upsert(3), vendorId: '3' }]);
    expect(await state.account('real').adoptLegacy('crm')).toBe(0); // it has state of its own
    expect(await state.account('hubspot:new').adoptLegacy('crm')).toBe(1);
    expect((await state.account('hubspot:new').loadAcked()).has('u:3')).toBe(true);
    expect(await state.account('hubspot:other').adoptLegacy('crm')).toBe(0);
  });

  it('a lock has one holder until released or expired', async () => {
    const state = await open('locks');
    expect(await state.locks.acquire('sync', 'a', 1_000, 0)).toBe(true);
    expect(await state.locks.acquire('sync', 'b', 1_000, 500)).toBe(false);
    expect(await state.locks.acquire('sync', 'a', 1_000, 600)).toBe(true); // renewed
    expect(await state.locks.holder('sync', 700)).toBe('a');
    expect(await state.locks.acquire('sync', 'b', 1_000, 1_700)).toBe(true); // expired
    await state.locks.release('sync', 'a');
    expect(await state.locks.holder('sync', 1_800)).toBe('b');
    await state.locks.release('sync', 'b');
    expect(await state.locks.holder('sync', 1_800)).toBeUndefined();
  });

  it('concurrent writers to one store never interleave their transactions', async () => {
    const state = await open('concurrency');
    const accounts = ['a', 'b', 'c', 'd'].map((name) => state.account(name));
    await Promise.all(accounts.map((account, index) => account.acknowledge(Array.from({ length: 200 }, (_, row) => ({ change: upsert(index * 1_000 + row), vendorId: String(row) })))));
    for (const account of accounts) expect((await account.loadAcked()).size).toBe(200);
  });

  it('a second process opening the same location sees the same state (and migrations run once)', async () => {
    const location = driver.location('shared');
    const first = await open('shared', location);
    await first.meta.set('k', 'v');
    const second = await open('shared', location);
    expect(await second.meta.get('k')).toBe('v');
  });
});
