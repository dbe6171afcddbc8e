import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { generateRetailWorld } from '../generate/retail-world.js';
import { createRng, type Rng } from '../random/rng.js';
import { storedPayload, type StoredPayload } from '../ingest/stored-payload.js';
import { normalizeSegmentMessage } from './normalize-segment.js';
import { normalizeSegmentSql } from './normalize-segment-sql.js';

const NOW = Date.parse('2026-11-01T00:00:00Z');
const MAX_FUTURE = 86_400_000;

/** Values that probe every type rule: each one is someone's real export bug. */
const ODD_VALUES: unknown[] = [
  null, '', ' ', '\t', '\u00a0', 'x', '購入', 0, -1, 12.5, 2 ** 60, true, [], ['a'], {}, { id: 1 },
  '2026-05-01T10:00:00Z', '2026-05-01T10:00:00.1234Z', '2026-05-01T12:00:00+02:00', '2026-05-01', '2026-02-30T10:00:00Z',
  '2031-01-01T00:00:00Z', '2026-05-01T 9:00:00Z', ' 202-05-01T09:00:0xZ', '2026-05-01T09:00:00.12Z', '1999-12-31T23:59:59Z', '12.50', 'NaN', [{ price: 1, quantity: 2 }], [{ price: '1' }], [1, 2],
];
const FIELDS = [
  'type', 'userId', 'anonymousId', 'previousId', 'event', 'name', 'messageId', 'timestamp', 'originalTimestamp', 'sentAt', 'receivedAt',
  'properties', 'traits', 'context',
];
const PROPERTY_FIELDS = ['revenue', 'total', 'products', 'category', 'order_id', 'orderId'];

function mutate(message: Record<string, unknown>, rng: Rng): string {
  const copy = structuredClone(message) as Record<string, unknown>;
  const mutations = 1 + rng.int(3);
  for (let index = 0; index < mutations; index++) {
    const roll = rng.next();
    if (roll < 0.45) {
      const field = rng.pick(FIELDS);
      if (rng.chance(0.2)) delete copy[field];
      else copy[field] = rng.pick(ODD_VALUES);
    } else if (roll < 0.85) {
      const properties = (typeof copy.properties === 'object' && copy.properties !== null && !Array.isArray(copy.properties) ? copy.properties : {}) as Record<string, unknown>;
      properties[rng.pick(PROPERTY_FIELDS)] = rng.pick(ODD_VALUES);
      copy.properties = properties;
    } else {
      const context = (typeof copy.context === 'object' && copy.context !== null && !Array.isArray(copy.context) ? copy.context : {}) as Record<string, unknown>;
      const which = rng.int(3);
      if (which === 0) context.device = rng.pick([{ id: 'dev-1' }, { id: 7 }, { id: '' }, 'phone', null]);
      else if (which === 1) context.traits = rng.pick([{ email: 'a@b.c' }, {}, 'x']);
      else context.consent = rng.pick([null, {}, { categoryPreferences: { Advertising: false } }]);
      copy.context = context;
    }
  }
  const line = JSON.stringify(copy);
  return rng.chance(0.03) ? line.replace('"revenue":12.5', '"revenue":1e400') : line;
}

function parsedPayload(payload: StoredPayload) {
  return {
    properties: JSON.parse(payload.properties) as unknown,
    traits: payload.traits === null ? null : (JSON.parse(payload.traits) as unknown),
    consent: payload.consent === null ? null : (JSON.parse(payload.consent) as unknown),
  };
}

async function runSql(lines: string[]) {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run('CREATE TEMP TABLE stage_raw (line_no BIGINT, file_id INTEGER, line BIGINT, text VARCHAR)');
  const appender = await connection.createAppender('stage_raw', 'main', 'temp');
  lines.forEach((text, index) => {
    appender.appendBigInt(BigInt(index));
    appender.appendInteger(0);
    appender.appendBigInt(BigInt(index + 1));
    appender.appendVarchar(text);
    appender.endRow();
  });
  appender.flushSync();
  appender.closeSync();
  await connection.run(normalizeSegmentSql({ now: NOW, maxFutureMs: MAX_FUTURE }));
  const reader = await connection.runAndReadAll('SELECT * FROM raw_normalized ORDER BY line_no');
  const rows = reader.getRowObjectsJS() as Record<string, unknown>[];
  connection.closeSync();
  instance.closeSync();
  return rows;
}

describe('bulk SQL normalization agrees with normalizeSegmentMessage', () => {
  it('accepts only what the JS normalizer accepts, with identical fields', async () => {
    const rng = createRng(99);
    const lines: string[] = [];
    for (const { message } of generateRetailWorld({ seed: 5, users: 40, start: Date.UTC(2025, 8, 1) })) {
      const json = JSON.stringify(message);
      lines.push(json);
      if (rng.chance(0.5)) lines.push(mutate(JSON.parse(json) as Record<string, unknown>, rng));
    }
    const base = '{"type":"track","event":"Order Completed","messageId":"edge-%","userId":"u","timestamp":"2026-05-01T10:00:00Z","properties":{%}}';
    const edge = (index: number, properties: string) => base.replace('%', String(index)).replace('%', properties);
    // Hand-picked edges the fuzzer may miss: infinities, 2^53+, empty and null order ids, empty products.
    lines.push(
      edge(1, '"revenue":1e400'), edge(2, '"revenue":9007199254740993'), edge(3, '"order_id":"","orderId":"o-3"'),
      edge(4, '"order_id":null,"orderId":"o-4"'), edge(5, '"products":[]'), edge(6, '"products":[{"price":2.5,"quantity":null},{"category":"B"}]'),
      edge(7, '"total":-3,"revenue":null'),
      '{"type": "track",', 'null', '[1,2]', '"text"',
    );
    const rows = await runSql(lines);
    expect(rows).toHaveLength(lines.length);
    let fast = 0;
    let jsAccepted = 0;
    for (const row of rows) {
      const text = String(row.text);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        expect(row.fast, text).toBe(false);
        continue;
      }
      const reference = normalizeSegmentMessage(parsed, { now: NOW, maxFutureMs: MAX_FUTURE }, text);
      if (reference.ok) jsAccepted++;
      if (!row.fast) continue;
      fast++;
      expect(reference.ok, `SQL accepted a line JS rejects (${reference.ok ? '' : reference.reason}): ${text}`).toBe(true);
      if (!reference.ok) continue;
      const event = reference.event;
      expect({
        message_id: row.message_id, type: row.type, event: row.event, user_id: row.user_id, anonymous_id: row.anonymous_id,
        device_id: row.device_id, previous_id: row.previous_id, ts_ms: Number(row.ts_ms),
        received_ms: row.received_ms === null ? null : Number(row.received_ms),
        revenue: row.revenue, order_id: row.order_id, category: row.category,
        properties: JSON.parse(String(row.properties)) as unknown,
        traits: row.traits === null ? null : (JSON.parse(String(row.traits)) as unknown),
        consent: row.consent === null ? null : (JSON.parse(String(row.consent)) as unknown),
      }, text).toEqual({
        message_id: event.messageId, type: event.type, event: event.event, user_id: event.userId, anonymous_id: event.anonymousId,
        device_id: event.deviceId, previous_id: event.previousId, ts_ms: event.timestamp, received_ms: event.receivedAt,
        revenue: event.revenue, order_id: event.orderId, category: event.category,
        ...parsedPayload(storedPayload(event)),
      });
    }
    // The fast path must carry the ordinary traffic, or the bulk path is pointless.
    const generated = rows.filter((_, index) => index < lines.length - 4);
    expect(fast / jsAccepted).toBeGreaterThan(0.6);
    expect(generated.length).toBeGreaterThan(0);
  });

  it('takes every unmutated generated message on the fast path', async () => {
    const lines = [...generateRetailWorld({ seed: 8, users: 30, start: Date.UTC(2025, 8, 1) })].map(({ message }) => JSON.stringify(message));
    const rows = await runSql(lines);
    expect(rows.filter((row) => !row.fast).map((row) => row.text)).toEqual([]);
  });
});
