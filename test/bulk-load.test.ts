import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeWorld } from '../core/generate/index.js';
import type { RunSummary } from '../core/pipeline/run-pipeline.js';
import { queryState, runMapping, temporaryDirectory, writeMapping } from './support/run-mapping.js';

/**
 * The bulk path (DuckDB reads whole clean files) must store exactly what the
 * line-by-line path stores, and must step aside for a file with a bad line.
 */
const mapping = (bulk: boolean) => `version: 1
sources:
  - id: web
    type: segment-files
    path: events.jsonl
    bulk_load: ${bulk}
features:
  include: [recency_days, frequency, monetary, sessions_per_week, engagement_depth, cart_abandonment_rate]
segments:
  - id: rfm
    model: rfm
`;

// origin_line is not compared: the bulk path does not number lines.
const EVENT_COLUMNS = `message_id, type, event, user_id, anonymous_id, device_id, previous_id, id_key, epoch_ms(ts) AS ts,
  epoch_ms(received_at) AS received_at, revenue, order_id, category, properties, traits, consent`;

/** JSON text compared by meaning: the two paths may print numbers differently. */
function parseJsonColumns(row: Record<string, unknown>) {
  const parse = (value: unknown) => (value === null ? null : (JSON.parse(String(value)) as unknown));
  return { ...row, properties: parse(row.properties), traits: parse(row.traits), consent: parse(row.consent) };
}

async function runBoth(directory: string, content: string) {
  const results: Array<{ summary: RunSummary; events: Record<string, unknown>[]; features: Record<string, unknown>[] }> = [];
  for (const bulk of [true, false]) {
    const dir = join(directory, bulk ? 'bulk' : 'lines');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'events.jsonl'), content);
    const file = writeMapping(dir, mapping(bulk));
    const summary = await runMapping(file, join(dir, 'state'));
    const events = await queryState(join(dir, 'state'), `SELECT ${EVENT_COLUMNS} FROM events ORDER BY message_id`);
    const features = await queryState(join(dir, 'state'), 'SELECT * FROM features ORDER BY profile_id');
    results.push({ summary, events: events.map(parseJsonColumns), features });
  }
  return { bulk: results[0]!, lines: results[1]! };
}

describe('bulk file loads equal line-by-line loads', () => {
  let content: string;
  beforeAll(async () => {
    const directory = temporaryDirectory('bulk-world');
    // 150 users: ~28,000 events and ~250 duplicates in a 21 MB file, still larger than DuckDB's
    // 16 MB JSON object limit, so the bulk reader spans several buffers (300 users doubled the cost).
    const world = await writeWorld(join(directory, 'w.jsonl'), { seed: 21, users: 150, start: Date.UTC(2025, 0, 1), duplicateRate: 0.01 });
    content = readFileSync(world.path, 'utf8');
  });

  it('stores the same events and computes the same features from a clean file', async () => {
    const { bulk, lines } = await runBoth(temporaryDirectory('bulk-clean'), content);
    expect(bulk.summary.events).toEqual(lines.summary.events);
    expect(bulk.summary.events.duplicates).toBeGreaterThan(0);
    expect(bulk.events).toEqual(lines.events);
    // Float sums depend on row order (DuckDB sums in storage order): 1e-9 relative.
    expect(bulk.features.length).toBe(lines.features.length);
    bulk.features.forEach((row, index) => {
      const other = lines.features[index]!;
      for (const [key, value] of Object.entries(row)) {
        if (typeof value === 'number' && typeof other[key] === 'number') {
          expect(Math.abs(value - (other[key] as number)), `${String(row.profile_id)}.${key}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(value)));
        } else expect(value, `${String(row.profile_id)}.${key}`).toEqual(other[key]);
      }
    });
  });

  it('loads gzip exports in bulk, the same as line by line', async () => {
    const directory = temporaryDirectory('bulk-gz');
    const results = [];
    for (const bulk of [true, false]) {
      const dir = join(directory, String(bulk));
      mkdirSync(dir);
      writeFileSync(join(dir, 'events.jsonl.gz'), gzipSync(content));
      const file = writeMapping(dir, mapping(bulk).replace('path: events.jsonl', 'path: events.jsonl.gz'));
      const summary = await runMapping(file, join(dir, 'state'));
      const events = await queryState(join(dir, 'state'), `SELECT ${EVENT_COLUMNS} FROM events ORDER BY message_id`);
      results.push({ summary, events: events.map(parseJsonColumns) });
    }
    expect(results[0]?.summary.events).toEqual(results[1]?.summary.events);
    expect(results[0]?.events).toEqual(results[1]?.events);
    // The bulk side really took the bulk path: it stores no line numbers.
    const numbered = await queryState(join(directory, 'true', 'state'), 'SELECT count(origin_line) AS n FROM events');
    expect(Number(numbered[0]?.n)).toBe(0);
  });

  it('after a bulk load, appended lines resume with the right line numbers', async () => {
    const directory = temporaryDirectory('bulk-append');
    const rows = content.trimEnd().split('\n').slice(0, 500);
    rows.splice(10, 0, ''); // a blank line: not a record on either path
    writeFileSync(join(directory, 'events.jsonl'), `${rows.join('\n')}\n`);
    const file = writeMapping(directory, mapping(true));
    const first = await runMapping(file, join(directory, 'state'));
    expect(first.events.read).toBe(500);
    const extra = content.trimEnd().split('\n').slice(500, 503);
    appendFileSync(join(directory, 'events.jsonl'), `${extra[0]}\n{"broken":\n${extra[1]}\n`);
    const second = await runMapping(file, join(directory, 'state'));
    expect(second.events).toMatchObject({ read: 3, quarantined: 1 });
    const quarantined = JSON.parse(readFileSync(second.quarantineFile as string, 'utf8').trim()) as { line: number };
    expect(quarantined.line).toBe(503); // 501 lines before the append (one blank), then line 502, then the broken one
  });

  it('steps aside for a valid line only the reference normalizer handles (a numeric userId)', async () => {
    const rows = content.trimEnd().split('\n');
    rows.splice(50, 0, JSON.stringify({ type: 'track', event: 'Viewed', messageId: 'numeric-user', userId: 12345, timestamp: '2025-03-01T10:00:00Z' }));
    const { bulk, lines } = await runBoth(temporaryDirectory('bulk-unusual'), `${rows.join('\n')}\n`);
    expect(bulk.summary.events).toEqual(lines.summary.events);
    expect(bulk.events).toEqual(lines.events);
    expect(bulk.events.find((row) => row.message_id === 'numeric-user')?.user_id).toBe('12345');
  });

  it('falls back to line by line for a file with a bad line, and names it', async () => {
    const rows = content.trimEnd().split('\n');
    rows.splice(100, 0, '{"type":"track","event":'); // line 101
    const { bulk, lines } = await runBoth(temporaryDirectory('bulk-dirty'), `${rows.join('\n')}\n`);
    expect(bulk.summary.events).toEqual(lines.summary.events);
    expect(bulk.summary.events.quarantined).toBe(1);
    const quarantined = JSON.parse(readFileSync(bulk.summary.quarantineFile as string, 'utf8').trim()) as { line: number; reason: string };
    expect(quarantined.line).toBe(101);
    expect(quarantined.reason).toMatch(/^malformed JSON/);
    expect(bulk.events).toEqual(lines.events);
  });
});
