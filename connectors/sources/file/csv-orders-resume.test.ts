import { appendFile, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../core/events/canonical-event.js';
import type { SourceMessage } from '../../../core/ingest/source.js';
import type { CsvOrdersSourceConfig } from './csv-orders-config.js';
import { createCsvOrdersSource } from './csv-orders-source.js';
import { planResume, type FileProgress } from '../shared/file-cursor.js';

const HEADER = 'order,customer,date,qty,price';
/** Order n has two lines; order 3's second line is rejected (no customer). */
const orderRows = (n: number) => [`${n},c${n},2024-01-0${n} 10:00,1,10`, `${n},${n === 3 ? '' : `c${n}`},2024-01-0${n} 10:00,2,5`];
const csv = (orders: number[]) => `${[HEADER, ...orders.flatMap(orderRows)].join('\n')}\n`;

let dir: string;
const config = (path: string, checkpointEvery = 2): CsvOrdersSourceConfig => ({
  type: 'csv-orders',
  id: 'pos',
  path,
  columns: { order_id: 'order', customer_id: 'customer', timestamp: 'date', quantity: 'qty', unit_price: 'price' },
  checkpoint_every: checkpointEvery,
});

/** Reads until `stopAfterCheckpoints` checkpoints (all when undefined); returns messages and the last cursor. */
async function read(cfg: CsvOrdersSourceConfig, from: JsonValue | undefined, stopAfterCheckpoints?: number) {
  const messages: SourceMessage[] = [];
  let cursor: JsonValue | undefined = from;
  let checkpoints = 0;
  const context = { now: () => 0, signal: new AbortController().signal, baseDir: dir };
  outer: for await (const item of createCsvOrdersSource().read(cfg, from, context)) {
    for (const message of Array.isArray(item) ? (item as readonly SourceMessage[]) : [item as SourceMessage]) {
      if (message.type === 'checkpoint') {
        cursor = message.cursor;
        if (++checkpoints === stopAfterCheckpoints) break outer;
      } else messages.push(message);
    }
  }
  return { messages, cursor, ids: messages.map(label) };
}

/** An event by its messageId, a rejection by its line. */
function label(message: SourceMessage): string {
  if (message.type === 'event') return message.event.messageId;
  return message.type === 'reject' ? `reject@${message.origin.line}` : 'checkpoint';
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'segflow-csv-resume-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('csv-orders source: checkpoints and resume', () => {
  it('checkpoints only between orders and resumes a half-read file with only the rest', async () => {
    await writeFile(join(dir, 'pos.csv'), csv([1, 2, 3, 4, 5]));
    const full = await read(config('pos.csv'), undefined);
    expect(full.ids).toEqual(['pos:1:2', 'pos:2:4', 'reject@7', 'pos:3:6', 'pos:4:8', 'pos:5:10']);

    const half = await read(config('pos.csv'), undefined, 1);
    expect(half.ids).toEqual(['pos:1:2', 'pos:2:4']);
    const entry = (half.cursor as { files: Record<string, FileProgress> }).files[join(dir, 'pos.csv')];
    // Line 5 ends order 2; order 3 starts on line 6.
    expect(entry).toMatchObject({ line: 5, done: false });

    const rest = await read(config('pos.csv'), half.cursor);
    expect(rest.ids).toEqual(['reject@7', 'pos:3:6', 'pos:4:8', 'pos:5:10']);
    expect((rest.cursor as { files: Record<string, FileProgress> }).files[join(dir, 'pos.csv')]).toMatchObject({ line: 11, done: true });
  });

  it('reads nothing from an unchanged file and only the appended rows from a grown one', async () => {
    const file = join(dir, 'pos.csv');
    await writeFile(file, csv([1, 2]));
    const first = await read(config('pos.csv'), undefined);
    expect((await read(config('pos.csv'), first.cursor)).ids).toEqual([]);

    await appendFile(file, `${orderRows(6).join('\n')}\n`);
    const appended = await read(config('pos.csv'), first.cursor);
    expect(appended.ids).toEqual(['pos:6:6']);
    expect(appended.messages[0]).toMatchObject({ origin: { line: 6 }, records: 2 });
  });

  it('resumes an appended gzip member after its last line', async () => {
    const file = join(dir, 'pos.csv.gz');
    await writeFile(file, gzipSync(csv([1])));
    const first = await read(config('pos.csv.gz'), undefined);
    await appendFile(file, gzipSync(`${orderRows(2).join('\n')}\n`));
    expect((await read(config('pos.csv.gz'), first.cursor)).ids).toEqual(['pos:2:4']);
  });

  it('reads a rewritten, truncated or replaced file again from the start', async () => {
    const file = join(dir, 'pos.csv');
    await writeFile(file, csv([1, 2]));
    const first = await read(config('pos.csv'), undefined);
    const all = ['pos:1:2', 'pos:2:4'];

    const later = new Date((await stat(file)).mtimeMs + 60_000);
    await utimes(file, later, later);
    expect((await read(config('pos.csv'), first.cursor)).ids).toEqual(all);

    await writeFile(file, csv([1]));
    expect((await read(config('pos.csv'), first.cursor)).ids).toEqual(['pos:1:2']);

    // Bigger, but not an append: a new export whose first bytes differ.
    await writeFile(file, csv([4, 5, 6]));
    expect((await read(config('pos.csv'), first.cursor)).ids).toEqual(['pos:4:2', 'pos:5:4', 'pos:6:6']);
  });

  it('refuses a cursor that is not its own', async () => {
    await writeFile(join(dir, 'pos.csv'), csv([1]));
    await expect(read(config('pos.csv'), { offset: 12 })).rejects.toMatchObject({ code: 'csv.cursor_invalid' });
  });
});

describe('planResume', () => {
  const previous: FileProgress = { line: 10, done: true, size: 100, mtimeMs: 5, head: 'abc' };
  const state = (size: number, mtimeMs: number, head = 'abc') => ({ size, mtimeMs, headOf: async () => head });

  it('follows the documented rule', async () => {
    expect(await planResume(undefined, state(100, 5))).toEqual({ action: 'read', afterLine: 0, why: 'new' });
    expect(await planResume(previous, state(100, 5))).toEqual({ action: 'skip' });
    expect(await planResume({ ...previous, done: false }, state(100, 5))).toEqual({ action: 'read', afterLine: 10, why: 'resumed' });
    expect(await planResume(previous, state(100, 6))).toEqual({ action: 'read', afterLine: 0, why: 'rewritten' });
    expect(await planResume(previous, state(90, 6))).toEqual({ action: 'read', afterLine: 0, why: 'truncated' });
    expect(await planResume(previous, state(120, 6))).toEqual({ action: 'read', afterLine: 10, why: 'appended' });
    expect(await planResume(previous, state(120, 6, 'other'))).toEqual({ action: 'read', afterLine: 0, why: 'rewritten' });
  });
});
