import { afterEach, describe, expect, it } from 'vitest';
import { recordApiLogin } from '../core/audit/api-logins.js';
import { recordErasure, recordKeyRotation, recordTriggersFired } from '../core/audit/record-events.js';
import { verifyTrail } from '../core/audit/audit-trail.js';
import { openSqliteClient } from '../core/store/sql/sqlite-client.js';
import { openStateStore, type StateLocation } from '../core/store/state/open-state-store.js';
import type { StateStore } from '../core/store/state/state-store.js';
import { openPostgresClient } from '../core/store/sql/postgres-client.js';
import type { SqlClient } from '../core/store/sql/sql-client.js';
import { STATE_DRIVERS } from './support/state-drivers.js';

/**
 * The audit trail's part of the StateStore contract, on every driver: one
 * chain, appended in order, refused UPDATE and DELETE, and any change made
 * around that (straight in the database, as someone with its credentials
 * could) named by `verify` at the first entry it touched.
 */
const KEY = 'audit-key-'.repeat(4);

/** The database under a store, opened separately, as an attacker with its credentials would. */
function rawClient(location: StateLocation): Promise<SqlClient> {
  return location.driver === 'sqlite' ? Promise.resolve(openSqliteClient(location.path)) : openPostgresClient({ url: location.url, schema: location.schema });
}

/** Removes the append-only triggers, as someone with owner rights can. */
async function dropGuards(client: SqlClient): Promise<void> {
  await client.exec(client.dialect === 'sqlite' ? 'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;' : 'DROP TRIGGER audit_log_append_only ON audit_log;');
}

describe.each(STATE_DRIVERS)('audit log contract: $name', (driver) => {
  const opened: Array<{ close(): Promise<void> }> = [];
  let clock = Date.parse('2026-12-01T00:00:00Z');
  const open = async (location: StateLocation) => {
    const store = await openStateStore(location, () => (clock += 1_000));
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });
  const seedTrail = async (state: StateStore, env: NodeJS.ProcessEnv = {}) => {
    await recordTriggersFired({ state, env }, { 'cart-abandoned': 3, 'win-back': 0 });
    await recordErasure({ state, env }, { requestId: 'forget-1', identifiers: ['ann@example.com'], profiles: 1, events: 4, quarantined: 0, sinks: [], pending: [{ requestId: 'forget-1', requestedAt: 'x', sinks: ['hubspot'] }] });
    await recordKeyRotation({ state, env }, { name: 'SEGFLOW_PII_ENCRYPTION_KEY', previousKey: 'old-secret-value', newKey: 'new-secret-value', reencrypted: 12 });
    await recordApiLogin({ state, env }, { credential: 'wk_live_secret', endpoint: 'profile', outcome: 'accepted', scope: 'profile:read' });
  };

  it('appends entries in seq order, chained, with the head and the newest of a kind readable', async () => {
    const state = await open(driver.location('audit-append'));
    await seedTrail(state);
    const entries = await state.audit.entries();
    expect(entries.map((entry) => [entry.seq, entry.kind])).toEqual([[1, 'triggers_fired'], [2, 'erasure'], [3, 'key_rotation'], [4, 'api_login']]);
    expect(entries[1]?.prev).toBe(entries[0]?.hash);
    expect(await state.audit.head()).toEqual({ seq: 4, hash: entries[3]?.hash });
    expect((await state.audit.latest('erasure'))?.seq).toBe(2);
    expect(await state.audit.entries({ since: entries[2]?.at as string })).toHaveLength(2);
    expect(await verifyTrail(state, {})).toMatchObject({ intact: true, entries: 4 });
  });

  it('keeps raw identifiers and secrets out of the trail', async () => {
    const state = await open(driver.location('audit-pii'));
    await seedTrail(state);
    const text = JSON.stringify(await state.audit.entries());
    for (const raw of ['ann@example.com', 'old-secret-value', 'new-secret-value', 'wk_live_secret']) expect(text).not.toContain(raw);
    expect(text).toContain('forget-1');
  });

  it('refuses UPDATE and DELETE on entries', async () => {
    const location = driver.location('audit-guard');
    const state = await open(location);
    await seedTrail(state);
    const client = await rawClient(location);
    opened.push(client);
    await expect(client.run("UPDATE audit_log SET detail = '{}' WHERE seq = 2")).rejects.toThrow(/append-only/);
    await expect(client.run('DELETE FROM audit_log WHERE seq = 2')).rejects.toThrow(/append-only/);
    expect(await verifyTrail(state, {})).toMatchObject({ intact: true });
  });

  it('names an entry edited around the guards, then one deleted', async () => {
    const location = driver.location('audit-tamper');
    const state = await open(location);
    await seedTrail(state);
    const client = await rawClient(location);
    opened.push(client);
    await dropGuards(client);
    const erasure = await client.get<{ detail: string }>('SELECT detail FROM audit_log WHERE seq = 2');
    await client.run('UPDATE audit_log SET detail = ? WHERE seq = 2', [(erasure?.detail as string).replace('"events":4', '"events":5')]);
    expect(await verifyTrail(state, {})).toMatchObject({ intact: false, seq: 2, reason: expect.stringContaining('edited') as string });
    await client.run('DELETE FROM audit_log WHERE seq = 2');
    expect(await verifyTrail(state, {})).toMatchObject({ intact: false, seq: 2, reason: 'entry #2 is missing: the trail goes from #1 to #3' });
  });

  it('with SEGFLOW_AUDIT_KEY, catches a whole trail rewritten by someone without the key', async () => {
    const location = driver.location('audit-keyed');
    const state = await open(location);
    await seedTrail(state, { SEGFLOW_AUDIT_KEY: KEY });
    expect(await verifyTrail(state, { SEGFLOW_AUDIT_KEY: KEY })).toMatchObject({ intact: true, macs: 'checked' });
    const client = await rawClient(location);
    opened.push(client);
    await dropGuards(client);
    // The forger strips the MACs; the chain of plain hashes is still consistent.
    await client.run('UPDATE audit_log SET mac = NULL');
    expect(await verifyTrail(state, {})).toMatchObject({ intact: true, macs: 'none' });
    expect(await verifyTrail(state, { SEGFLOW_AUDIT_KEY: KEY })).toMatchObject({ intact: false, seq: 4, reason: expect.stringContaining('no MAC') as string });
  });

  it('never forks the chain when appends race, from one store and from two', async () => {
    const location = driver.location('audit-race');
    const first = await open(location);
    const appends = (state: StateStore, count: number, worker: string) =>
      Array.from({ length: count }, (_, index) => state.audit.append({ kind: 'triggers_fired', actor: worker, detail: { index } }));
    await Promise.all(appends(first, 20, 'one'));
    // A second store on the same database: another pool on PostgreSQL. On SQLite two connections in one process would
    // block each other's event loop, so two processes race there instead (test/audit-concurrency.test.ts).
    if (driver.name === 'postgres') {
      const second = await open(location);
      await Promise.all([...appends(first, 20, 'one'), ...appends(second, 20, 'two')]);
    }
    const expected = driver.name === 'postgres' ? 60 : 20;
    const entries = await first.audit.entries();
    expect(entries.map((entry) => entry.seq)).toEqual(Array.from({ length: expected }, (_, index) => index + 1));
    expect(await verifyTrail(first, {})).toMatchObject({ intact: true, entries: expected });
  });
});
