import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EVERYONE_SECTIONS, queryState, runMapping, temporaryDirectory, writeMapping } from './support/run-mapping.js';

/**
 * Issue 9, item 7: damaged or unusual files from a new user's export folder.
 * A bad file is quarantined once, named with its reason; the other files are
 * read; later runs neither fail on it nor quarantine it again until it changes.
 */
const NOW = Date.parse('2026-06-01T00:00:00Z');
const event = (id: string, extra: Record<string, unknown> = {}) =>
  ({ type: 'track', event: 'Product Viewed', messageId: id, userId: 'u1', timestamp: '2026-05-01T10:00:00Z', ...extra });
const jsonl = (ids: string[]) => `${ids.map((id) => JSON.stringify(event(id))).join('\n')}\n`;

const MAPPING = (path: string) => `version: 1
sources:
  - id: web
    type: segment-files
    path: ${path}
${EVERYONE_SECTIONS}`;

function quarantineRows(file: string | null): Array<{ file: string; line: number; reason: string }> {
  if (file === null) return [];
  return readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { file: string; line: number; reason: string });
}

async function storedIds(stateDir: string): Promise<string[]> {
  return (await queryState(stateDir, 'SELECT message_id FROM events ORDER BY message_id')).map((row) => String(row.message_id));
}

describe('damaged gzip files are quarantined, not fatal', () => {
  it('quarantines a truncated, an empty and a not-gzip .gz file by name and reason, and reads the others', async () => {
    const directory = temporaryDirectory('damaged-gz');
    const many = Array.from({ length: 3000 }, (_, index) => `t${String(index).padStart(4, '0')}`);
    const whole = gzipSync(jsonl(many));
    writeFileSync(join(directory, 'a-good.jsonl.gz'), gzipSync(jsonl(['g1', 'g2'])));
    writeFileSync(join(directory, 'b-truncated.jsonl.gz'), whole.subarray(0, Math.floor(whole.length / 2)));
    writeFileSync(join(directory, 'c-empty.jsonl.gz'), Buffer.alloc(0));
    writeFileSync(join(directory, 'd-plain.jsonl.gz'), jsonl(['p1']));
    writeFileSync(join(directory, 'e-good.jsonl'), jsonl(['e1']));
    const mapping = writeMapping(directory, MAPPING('"*.jsonl*"'));
    const state = join(directory, 'state');

    const first = await runMapping(mapping, state, () => NOW);
    const rows = quarantineRows(first.quarantineFile);
    const byFile = Object.fromEntries(rows.map((row) => [row.file.split('/').at(-1), row.reason]));
    expect(Object.keys(byFile).sort()).toEqual(['b-truncated.jsonl.gz', 'c-empty.jsonl.gz', 'd-plain.jsonl.gz']);
    expect(byFile['b-truncated.jsonl.gz']).toMatch(/^truncated gzip stream after \d+ lines/);
    expect(byFile['c-empty.jsonl.gz']).toMatch(/^empty file \(0 bytes\): not a gzip stream/);
    expect(byFile['d-plain.jsonl.gz']).toMatch(/^not gzip/);
    // Lines decoded in full before the truncation are kept (documented in gzip-failure.ts).
    const kept = (await storedIds(state)).filter((id) => id.startsWith('t'));
    const truncatedAfter = Number(/after (\d+) lines/.exec(byFile['b-truncated.jsonl.gz'] ?? '')?.[1]);
    expect(kept.length).toBe(truncatedAfter);
    expect(kept).toEqual(many.slice(0, truncatedAfter));
    expect(await storedIds(state)).toEqual(expect.arrayContaining(['g1', 'g2', 'e1']));

    // The next run does not fail on (or quarantine again) the files it already judged.
    const second = await runMapping(mapping, state, () => NOW);
    expect(second.events).toMatchObject({ read: 0, quarantined: 0 });

    // A truncated file that is completed later is read on from where it stopped.
    writeFileSync(join(directory, 'b-truncated.jsonl.gz'), whole);
    utimesSync(join(directory, 'b-truncated.jsonl.gz'), new Date(), new Date(Date.now() + 5000));
    const third = await runMapping(mapping, state, () => NOW);
    expect(third.events.quarantined).toBe(0);
    expect((await storedIds(state)).filter((id) => id.startsWith('t'))).toEqual(many);
  });

  it('quarantines a damaged .csv.gz order export and carries on with the next file', async () => {
    const directory = temporaryDirectory('damaged-csv-gz');
    const header = 'order,customer,date,qty,price';
    const rows = Array.from({ length: 4000 }, (_, index) => `${index + 1},c${index % 50},2024-01-01 10:00,1,2.5`);
    const whole = gzipSync(`${[header, ...rows].join('\n')}\n`);
    writeFileSync(join(directory, 'a-truncated.csv.gz'), whole.subarray(0, Math.floor(whole.length / 2)));
    writeFileSync(join(directory, 'b-good.csv'), `${header}\nX1,c1,2024-01-02 10:00,2,5\n`);
    const mapping = writeMapping(directory, `version: 1
sources:
  - id: pos
    type: csv-orders
    path: "*.csv*"
    columns: { order_id: order, customer_id: customer, timestamp: date, quantity: qty, unit_price: price }
features:
  include: [frequency]
segments:
  - id: all
    model: rules
    name: Everyone
    rule: frequency >= 0
`);
    const state = join(directory, 'state');
    const first = await runMapping(mapping, state, () => NOW);
    const quarantined = quarantineRows(first.quarantineFile);
    expect(quarantined).toHaveLength(1);
    expect(quarantined[0]?.file).toBe(join(directory, 'a-truncated.csv.gz'));
    expect(quarantined[0]?.reason).toMatch(/^truncated gzip stream after \d+ lines/);
    expect(await storedIds(state)).toContain('pos:X1:2');
    const second = await runMapping(mapping, state, () => NOW);
    expect(second.events).toMatchObject({ read: 0, quarantined: 0 });
  });
});

describe('ingest.max_event_bytes holds on every path', () => {
  const big = JSON.stringify(event('big', { properties: { blob: 'x'.repeat(40 * 1024) } }));

  it('rejects an oversized event in an otherwise clean file (bulk path) exactly as beside a bad line (line path)', async () => {
    const directory = temporaryDirectory('max-bytes');
    writeFileSync(join(directory, 'clean.jsonl'), `${JSON.stringify(event('c1'))}\n${big}\n`);
    writeFileSync(join(directory, 'dirty.jsonl'), `${JSON.stringify(event('d1'))}\n${big.replace('"big"', '"big2"')}\n{not json\n`);
    const state = join(directory, 'state');
    const summary = await runMapping(writeMapping(directory, MAPPING('"*.jsonl"')), state, () => NOW);
    const reasons = quarantineRows(summary.quarantineFile).map((row) => [row.file.split('/').at(-1), row.line, row.reason]);
    const expected = `line is ${Buffer.byteLength(big)} bytes; the limit is 32768 (ingest.max_event_bytes)`;
    expect(reasons).toEqual([
      ['clean.jsonl', 2, expected],
      ['dirty.jsonl', 2, `line is ${Buffer.byteLength(big) + 1} bytes; the limit is 32768 (ingest.max_event_bytes)`],
      ['dirty.jsonl', 3, expect.stringMatching(/^malformed JSON/)],
    ]);
    expect(await storedIds(state)).toEqual(['c1', 'd1']);
  });
});

describe('.json files that are one JSON document', () => {
  it('reads a pretty-printed array, a single object and a {"batch": [...]} payload as events, located by line', async () => {
    const directory = temporaryDirectory('json-document');
    writeFileSync(join(directory, 'a-array.json'), JSON.stringify([event('a1'), event('a2'), event('a3')], null, 2));
    writeFileSync(join(directory, 'b-object.json'), JSON.stringify(event('b1'), null, 2));
    writeFileSync(join(directory, 'c-batch.json'), JSON.stringify({ batch: [event('c1'), { ...event('c2'), properties: ['not', 'an', 'object'] }], sentAt: '2026-05-01T10:00:00Z' }, null, 2));
    const state = join(directory, 'state');
    const summary = await runMapping(writeMapping(directory, MAPPING('"*.json"')), state, () => NOW);
    expect(await storedIds(state)).toEqual(['a1', 'a2', 'a3', 'b1', 'c1']);
    // The one bad message is quarantined alone, at the line where it starts in the file.
    const rows = quarantineRows(summary.quarantineFile);
    const text = readFileSync(join(directory, 'c-batch.json'), 'utf8').split('\n');
    const c2Line = text.findIndex((line) => line.includes('"c2"')) - 3; // the element opens 3 lines above its messageId
    expect(rows.map((row) => [row.file.split('/').at(-1), row.line, row.reason])).toEqual([['c-batch.json', c2Line + 1, '"properties" must be an object, got array']]);
    expect(summary.events).toMatchObject({ read: 6, accepted: 5, quarantined: 1 });
  });

  it('rejects a .json file that is not JSON once, saying which shapes it may have', async () => {
    const directory = temporaryDirectory('json-document');
    writeFileSync(join(directory, 'broken.json'), `[\n  ${JSON.stringify(event('x1'))},\n  {"type": "track",\n`);
    const summary = await runMapping(writeMapping(directory, MAPPING('broken.json')), join(directory, 'state'), () => NOW);
    const rows = quarantineRows(summary.quarantineFile);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.line).toBe(1);
    expect(rows[0]?.reason).toMatch(/^not valid JSON \(.+\); a \.json file must be JSON Lines \(one message per line\), one JSON array of messages, one message object, or \{"batch": \[\.\.\.\]\}$/);
  });
});
