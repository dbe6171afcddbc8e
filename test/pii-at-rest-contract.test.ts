import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../core/errors/connector-error.js';
import { fieldCipherFromEnvironment } from '../core/privacy/field-cipher-env.js';
import { openStateStore, type StateLocation } from '../core/store/state/open-state-store.js';
import { rotateEncryptedColumns } from '../core/store/state/rotate-encrypted-columns.js';
import type { StateStore } from '../core/store/state/state-store.js';
import type { SinkChange } from '../core/sync/sink.js';
import type { OutgoingAction, ProfileTriggerState, TriggerTimer } from '../core/triggers/engine-records.js';
import { STATE_DRIVERS } from './support/state-drivers.js';

/**
 * PII at rest in the state store, on every driver: with
 * SEGFLOW_PII_ENCRYPTION_KEYS set, the e-mails and phones that sink state,
 * dead letters and the trigger tables hold are not in the database (SQLite:
 * not a byte of them in the file, as `grep -a` would look), everything
 * reads back as written, and a rotation re-seals it all so the old key can go.
 */
const EMAIL = 'canary-rest-4711@example.com';
const PHONE = '+44 7700 900123';
const EVENT_EMAIL = 'canary-event-4712@example.com';
const K1 = `k1:${Buffer.alloc(32, 1).toString('base64')}`;
const K2 = `k2:${Buffer.alloc(32, 2).toString('base64')}`;
const T0 = Date.parse('2026-11-01T00:00:00Z');

const upsert: SinkChange = { op: 'upsert', record: { profileId: 'u:ann', key: EMAIL }, properties: { email: EMAIL, phone: PHONE, tier: 'gold' } };
const action: OutgoingAction = {
  id: 'a1', firingId: 'f1', triggerId: 'cart', profileId: 'u:ann', purpose: 'marketing', sink: 'hubspot', kind: 'hubspot:event', target: 'pe_cart',
  payload: { email: EMAIL, phone: PHONE }, matchKey: 'c1', anchorAt: T0, occurredAt: T0, dueAt: undefined, deferredUntil: undefined, firedAt: T0,
};
const profileState = { kinds: { idle: { lastActivityAt: T0, fields: { 'event.properties.contact': EVENT_EMAIL } } }, guards: { lastSentAt: {}, sentAt: [] }, seen: [] } as unknown as ProfileTriggerState;
const deferredTimer: TriggerTimer = { profileId: 'u:ann', triggerId: 'cart', timerId: 'defer', dueAt: T0, fireAt: T0 + 1000, deferred: { firing: { matchKey: 'c1', anchorAt: T0, occurredAt: T0, dueAt: undefined, fields: { phone: PHONE } }, firingId: 'f2' } as never };

/** Writes PII through every state module that keeps it. */
async function plantPii(state: StateStore): Promise<void> {
  const account = state.account('hubspot:api:portal-1');
  await account.markPending([upsert]);
  await account.acknowledge([{ change: upsert, vendorId: 'v1' }]);
  await account.deadLetter('run-1', 'crm', [{ change: { ...upsert, record: { profileId: 'u:bob', key: EMAIL.replace('4711', '4713') } }, error: new ConnectorError('permanent', 'vendor.invalid', `Contact ${EMAIL} refused`) }]);
  await state.triggers.commit({
    clock: { eventTime: T0 }, held: [], outbox: [action, { ...action, id: 'a2', firingId: 'f3' }],
    profiles: [{ profileId: 'u:ann', state: profileState, setTimers: [deferredTimer], cancelTimers: [] }],
  });
  await state.actions.settle([{ id: 'a2', outcome: 'dead', detail: 'refused', at: T0 + 5 }]);
}

/** Reads everything back through the same modules, as sync, dlq, triggers and delivery do. */
async function readBack(state: StateStore) {
  const account = state.account('hubspot:api:portal-1');
  const acked = await account.loadAcked();
  const loaded = await state.triggers.loadProfiles(['u:ann']);
  return {
    ackedKey: acked.get('u:ann')?.key,
    ackedProperties: acked.get('u:ann')?.properties,
    recordOf: (await account.recordsOf(['u:ann'])).get('u:ann'),
    deadLetterKeys: (await state.deadLetters.open()).map((letter) => letter.recordKey),
    owed: (await state.actions.owed(T0 + DAY_MS, 10)).map((owed) => owed.action.payload),
    dead: (await state.actions.dead()).map((dead) => dead.id),
    outbox: (await state.triggers.outbox()).map((outgoing) => outgoing.id),
    profileState: loaded.get('u:ann')?.state,
    timers: loaded.get('u:ann')?.timers,
  };
}
const DAY_MS = 86_400_000;

const EXPECTED = {
  ackedKey: EMAIL,
  ackedProperties: { email: EMAIL, phone: PHONE, tier: 'gold' },
  recordOf: { key: EMAIL, vendorId: 'v1' },
  deadLetterKeys: [EMAIL.replace('4711', '4713')],
  owed: [{ email: EMAIL, phone: PHONE }],
  dead: ['a2'],
  outbox: ['a1', 'a2'],
  profileState,
  timers: [deferredTimer],
};

/** Every file of the SQLite state (the database, its WAL and shared memory), as `grep -a` would read them. */
function stateBytes(location: StateLocation): Buffer {
  if (location.driver !== 'sqlite') throw new Error('sqlite only');
  const folder = dirname(location.path);
  return Buffer.concat(readdirSync(folder).filter((name) => name.startsWith('state.sqlite')).map((name) => readFileSync(join(folder, name))));
}

describe.each(STATE_DRIVERS)('PII at rest: $name', (driver) => {
  const opened: StateStore[] = [];
  const open = async (location: StateLocation, keys: string | undefined) => {
    const store = await openStateStore(location, () => T0, fieldCipherFromEnvironment(keys === undefined ? {} : { SEGFLOW_PII_ENCRYPTION_KEYS: keys }));
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('with a key, no e-mail or phone is stored in clear, and everything reads back', async () => {
    const location = driver.location('pii-sealed');
    const state = await open(location, K1);
    await plantPii(state);
    expect(await readBack(state)).toEqual(EXPECTED);
    const sealed = await state.sql.all<{ value: string }>("SELECT record_key || ' ' || coalesce(properties, '') AS value FROM sink_acks UNION ALL SELECT record_key || ' ' || change FROM dead_letters UNION ALL SELECT action FROM trigger_outbox UNION ALL SELECT state FROM trigger_profiles UNION ALL SELECT deferred FROM trigger_timers");
    expect(sealed.length).toBe(6);
    for (const { value } of sealed) {
      expect(value).toMatch(/^enc:v1:k1:/);
      expect(value).not.toContain('canary');
    }
    if (driver.name === 'sqlite') {
      await state.close();
      opened.splice(opened.indexOf(state), 1);
      const bytes = stateBytes(location);
      for (const planted of [EMAIL, EMAIL.replace('4711', '4713'), PHONE, EVENT_EMAIL, 'canary-']) expect(bytes.includes(planted), planted).toBe(false);
      expect(await readBack(await open(location, K1))).toEqual(EXPECTED);
    }
  });

  it('without a key, the same writes are in clear (what the grep above would have found)', async () => {
    const location = driver.location('pii-plain');
    const state = await open(location, undefined);
    await plantPii(state);
    expect(await readBack(state)).toEqual(EXPECTED);
    if (driver.name === 'sqlite') {
      await state.close();
      opened.splice(opened.indexOf(state), 1);
      expect(stateBytes(location).includes(EMAIL)).toBe(true);
    }
  });

  it('erasure finds a sealed dead letter by its raw key; key moves still follow the vendor record', async () => {
    const state = await open(driver.location('pii-purge'), K1);
    await plantPii(state);
    expect(await state.deadLetters.purge(EMAIL.replace('4711', '4713'), [])).toBe(1);
    expect(await state.deadLetters.open()).toEqual([]);
    const account = state.account('hubspot:api:portal-1');
    // u:ann now wants another address: the old record is retired under a pseudo-profile, still readable.
    await account.reconcileKeys([{ profileId: 'u:ann', key: 'new@example.com' }]);
    const acked = await account.loadAcked();
    expect([...acked.values()].map((record) => [record.profileId.replace(/~.*/, '~retired'), record.key])).toEqual([['u:ann~retired', EMAIL]]);
  });

  it('a rotation re-seals every value under the new key, once; then the old key can go', async () => {
    const location = driver.location('pii-rotate');
    // Rows from before encryption was configured, then rows under k1.
    const plain = await open(location, undefined);
    await plain.account('hubspot:api:portal-2').acknowledge([{ change: { ...upsert, record: { profileId: 'u:cy', key: 'cy@example.com' } }, vendorId: 'v9' }]);
    const first = await open(location, K1);
    await plantPii(first);
    const both = await open(location, `${K2},${K1}`);
    const rotated = await rotateEncryptedColumns(both.sql, both.cipher);
    expect(rotated).toEqual([
      { table: 'sink_acks', rows: 2, reencrypted: 2, encrypted: 2 },
      { table: 'dead_letters', rows: 1, reencrypted: 2, encrypted: 0 },
      { table: 'trigger_outbox', rows: 2, reencrypted: 2, encrypted: 0 },
      { table: 'trigger_timers', rows: 1, reencrypted: 1, encrypted: 0 },
      { table: 'trigger_profiles', rows: 1, reencrypted: 1, encrypted: 0 },
    ]);
    expect((await rotateEncryptedColumns(both.sql, both.cipher)).every((table) => table.rows === 0)).toBe(true);
    const onlyNew = await open(location, K2);
    expect(await readBack(onlyNew)).toEqual(EXPECTED);
    expect((await onlyNew.account('hubspot:api:portal-2').loadAcked()).get('u:cy')?.key).toBe('cy@example.com');
    const onlyOld = await open(location, K1);
    await expect(onlyOld.account('hubspot:api:portal-1').loadAcked()).rejects.toThrow('sink state of profile u:ann (account hubspot:api:portal-1) is encrypted with key "k2", which is not configured (SEGFLOW_PII_ENCRYPTION_KEYS lists k1)');
    await expect(rotateEncryptedColumns(plain.sql, plain.cipher)).rejects.toThrow(/no encryption key is configured/);
  });
});
