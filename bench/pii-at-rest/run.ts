/**
 * bench/pii-at-rest: what sealing PII columns costs (SEGFLOW_PII_ENCRYPTION_KEYS)
 * and what keyed hashing of join identifiers in DuckDB would cost (the design
 * in the issue-11 report, not built). CPU-seconds of this process, each
 * beside its baseline measured in the same run:
 *
 * - sink state: acknowledge N records (e-mail key + 3 properties) and load
 *   them back, SQLite file, with and without a key;
 * - trigger state: commit N profile states with an outbox action each, load
 *   them back, with and without a key;
 * - DuckDB: HMAC-SHA-256 of N ids in SQL (sha256 over ipad/opad blobs,
 *   checked equal to node:crypto) against the plain projection.
 *
 *   npx tsx bench/pii-at-rest/run.ts [--records 50000] [--ids 1000000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { createFieldCipher, type FieldCipher } from '../../core/privacy/field-cipher.js';
import { openStateStore } from '../../core/store/state/open-state-store.js';
import type { OutgoingAction, ProfileTriggerState } from '../../core/triggers/engine-records.js';

const { values } = parseArgs({ options: { records: { type: 'string', default: '50000' }, ids: { type: 'string', default: '1000000' } } });
const RECORDS = Number(values.records);
const IDS = Number(values.ids);
const KEYED = createFieldCipher([{ id: 'bench', key: Buffer.alloc(32, 5) }]);
const PLAIN = createFieldCipher([]);

async function cpuSeconds(work: () => Promise<void>): Promise<number> {
  const start = process.cpuUsage();
  await work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

async function sinkState(cipher: FieldCipher): Promise<number> {
  const folder = mkdtempSync(join(tmpdir(), 'segflow-bench-pii-'));
  const state = await openStateStore({ driver: 'sqlite', path: join(folder, 'state.sqlite') }, Date.now, cipher);
  const account = state.account('hubspot:api:bench');
  const acks = Array.from({ length: RECORDS }, (_, index) => ({
    change: { op: 'upsert' as const, record: { profileId: `u:${index}`, key: `person-${index}@example.com` }, properties: { email: `person-${index}@example.com`, phone: `+44 7700 9${String(index).padStart(5, '0')}`, tier: 'gold' } },
    vendorId: `v${index}`,
  }));
  const seconds = await cpuSeconds(async () => {
    for (let start = 0; start < acks.length; start += 1000) await account.acknowledge(acks.slice(start, start + 1000));
    if ((await account.loadAcked()).size !== RECORDS) throw new Error('lost records');
  });
  await state.close();
  rmSync(folder, { recursive: true, force: true });
  return seconds;
}

async function triggerState(cipher: FieldCipher): Promise<number> {
  const folder = mkdtempSync(join(tmpdir(), 'segflow-bench-pii-'));
  const state = await openStateStore({ driver: 'sqlite', path: join(folder, 'state.sqlite') }, Date.now, cipher);
  const profileState = (index: number) => ({ kinds: { idle: { lastActivityAt: index, fields: { 'event.properties.cart_id': `c${index}` } } }, guards: { lastSentAt: { idle: index }, sentAt: [[index, 'hubspot']] }, seen: [[`m-${index}`, index]] }) as unknown as ProfileTriggerState;
  const action = (index: number): OutgoingAction => ({
    id: `a${index}`, firingId: `f${index}`, triggerId: 'idle', profileId: `u:${index}`, purpose: 'marketing', sink: 'hubspot', kind: 'hubspot:event', target: 'pe_idle',
    payload: { email: `person-${index}@example.com` }, matchKey: '', anchorAt: index, occurredAt: index, dueAt: undefined, deferredUntil: undefined, firedAt: index,
  });
  const seconds = await cpuSeconds(async () => {
    for (let start = 0; start < RECORDS; start += 1000) {
      const indexes = Array.from({ length: Math.min(1000, RECORDS - start) }, (_, offset) => start + offset);
      await state.triggers.commit({ clock: { eventTime: start }, held: [], outbox: indexes.map(action), profiles: indexes.map((index) => ({ profileId: `u:${index}`, state: profileState(index), setTimers: [], cancelTimers: [] })) });
    }
    const loaded = await state.triggers.loadProfiles(Array.from({ length: RECORDS }, (_, index) => `u:${index}`));
    if (loaded.size !== RECORDS) throw new Error('lost states');
  });
  await state.close();
  rmSync(folder, { recursive: true, force: true });
  return seconds;
}

async function duckHmac(): Promise<{ plain: number; hmac: number }> {
  const key = Buffer.alloc(64);
  Buffer.alloc(32, 7).copy(key);
  const pad = (byte: number) => `unhex('${Buffer.from(key.map((value) => value ^ byte)).toString('hex')}')`;
  const hmac = (column: string) => `sha256(${pad(0x5c)} || unhex(sha256(${pad(0x36)} || encode(${column}))))`;
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  const probe = (await connection.runAndReadAll(`SELECT ${hmac("'user-42@example.com'")}`)).getRows()[0]?.[0];
  if (probe !== createHmac('sha256', key.subarray(0, 32)).update('user-42@example.com').digest('hex')) throw new Error('DuckDB HMAC differs from node:crypto');
  await connection.run(`CREATE TABLE ids AS SELECT 'user-' || i::VARCHAR || '@example.com' AS user_id FROM range(${IDS}) r(i)`);
  const plain = await cpuSeconds(async () => void (await connection.run("CREATE OR REPLACE TABLE plain AS SELECT user_id, 'u:' || user_id AS id_key FROM ids")));
  const hashed = await cpuSeconds(async () => void (await connection.run(`CREATE OR REPLACE TABLE hashed AS SELECT h AS user_id, 'u:' || h AS id_key FROM (SELECT ${hmac('user_id')} AS h FROM ids)`)));
  return { plain, hmac: hashed };
}

const ratio = (value: number, baseline: number) => `${(value / baseline).toFixed(2)}×`;
const sinkPlain = await sinkState(PLAIN);
const sinkKeyed = await sinkState(KEYED);
const triggerPlain = await triggerState(PLAIN);
const triggerKeyed = await triggerState(KEYED);
const duck = await duckHmac();
process.stdout.write(`sink state, ${RECORDS} acks + load:        plain ${sinkPlain.toFixed(2)} cpu-s, sealed ${sinkKeyed.toFixed(2)} cpu-s (${ratio(sinkKeyed, sinkPlain)})
trigger state, ${RECORDS} commits + load:    plain ${triggerPlain.toFixed(2)} cpu-s, sealed ${triggerKeyed.toFixed(2)} cpu-s (${ratio(triggerKeyed, triggerPlain)})
DuckDB, ${IDS} ids, user_id + id_key:      plain ${duck.plain.toFixed(2)} cpu-s, HMAC-SHA-256 ${duck.hmac.toFixed(2)} cpu-s (${ratio(duck.hmac, duck.plain)}, +${((duck.hmac - duck.plain) / IDS * 1e6).toFixed(2)} cpu-s per million)
`);
