import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateRetailWorld } from '../../../core/generate/index.js';
import type { JsonValue } from '../../../core/events/canonical-event.js';
import { normalizeSegmentMessage } from '../../../core/events/normalize-segment.js';
import type { SourceContext, SourceMessage } from '../../../core/ingest/source.js';
import { temporaryDirectory } from '../../../test/support/temporary-directory.js';
import { createSyntheticSource, SyntheticSourceSchema } from './synthetic-source.js';

// ~110k messages: one checkpoint inside the world (every 100k) and the final one.
const config = SyntheticSourceSchema.parse({ type: 'synthetic', id: 'shop', seed: 42, users: 620, start: '2025-09-01', days: 365, duplicate_rate: 0.002 });
const fingerprint = '42/620/2025-09-01/365/0.002';
const NOW = Date.UTC(2026, 11, 1);
const expected = [...generateRetailWorld({ seed: 42, users: 620, start: Date.UTC(2025, 8, 1), days: 365, duplicateRate: 0.002 })];

type BulkLoad = NonNullable<SourceContext['bulkLoadSegmentFile']>;

function context(bulkLoadSegmentFile?: BulkLoad): SourceContext {
  return { now: () => NOW, signal: new AbortController().signal, baseDir: '.', stateDir: temporaryDirectory('synthetic-source'), ...(bulkLoadSegmentFile ? { bulkLoadSegmentFile } : {}) };
}

async function readAll(from: JsonValue | undefined, options: { workers?: number; bulkLoad?: BulkLoad } = {}): Promise<SourceMessage[]> {
  const source = createSyntheticSource(options.workers === undefined ? {} : { workers: options.workers });
  const messages: SourceMessage[] = [];
  for await (const item of source.read(config, from, context(options.bulkLoad))) messages.push(...(Array.isArray(item) ? item : [item as SourceMessage]));
  return messages;
}

/** What the per-message source yielded: each message normalized (context cut to consent, all the store keeps), numbered from 1. */
function expectedMessages(skip: number): SourceMessage[] {
  const messages: SourceMessage[] = [];
  let since = 0;
  for (let index = skip; index < expected.length; index++) {
    const { message, userIndex } = expected[index]!;
    const result = normalizeSegmentMessage(message, { now: NOW }, JSON.stringify(message));
    if (!result.ok) throw new Error(result.reason);
    const { consent } = result.event.context;
    messages.push({ type: 'event', event: { ...result.event, context: consent === undefined ? {} : { consent } }, origin: { file: 'synthetic:shop', line: index + 1 } });
    if (++since === 100_000) {
      messages.push({ type: 'checkpoint', cursor: { fingerprint, emitted: index + 1 }, progress: userIndex / 620 });
      since = 0;
    }
  }
  messages.push({ type: 'checkpoint', cursor: { fingerprint, emitted: expected.length }, progress: 1 });
  return messages;
}

describe('synthetic source', () => {
  it('yields every message of the world normalized, in order, with checkpoints every 100k', async () => {
    expect(expected.length).toBeGreaterThan(100_000);
    expect(await readAll(undefined)).toEqual(expectedMessages(0));
  });

  it('yields the same without worker threads', async () => {
    expect(await readAll(undefined, { workers: 0 })).toEqual(expectedMessages(0));
  });

  it('resumes exactly after the committed cursor, and starts over when the world changed', async () => {
    expect(await readAll({ fingerprint, emitted: 100_000 })).toEqual(expectedMessages(100_000));
    expect(await readAll({ fingerprint, emitted: 12_345 })).toEqual(expectedMessages(12_345));
    const other = await readAll({ fingerprint: '42/620/2025-09-01/365/0', emitted: 100_000 });
    expect(other).toEqual(expectedMessages(0));
  });

  it('ends with only its final checkpoint when everything was committed', async () => {
    expect(await readAll({ fingerprint, emitted: expected.length })).toEqual([{ type: 'checkpoint', cursor: { fingerprint, emitted: expected.length }, progress: 1 }]);
  });

  it('hands a first read to the bulk path as JSONL files of ~100k messages, each with its cursor', async () => {
    const requests: Array<{ text: string; cursor: JsonValue; progress?: number }> = [];
    const messages = await readAll(undefined, {
      bulkLoad: async (request) => {
        requests.push({ text: await readFile(request.file, 'utf8'), cursor: request.cursor, ...(request.progress === undefined ? {} : { progress: request.progress }) });
        return true;
      },
    });
    expect(messages).toEqual([]);
    expect(requests).toHaveLength(2);
    expect(requests.map(({ text }) => text).join('') === expected.map(({ message }) => `${JSON.stringify(message)}\n`).join('')).toBe(true);
    const firstPart = requests[0]!.text.split('\n').length - 1;
    expect(firstPart).toBeGreaterThanOrEqual(100_000);
    expect(requests.map(({ cursor }) => cursor)).toEqual([{ fingerprint, emitted: firstPart }, { fingerprint, emitted: expected.length }]);
    expect(requests[1]!.progress).toBe(1);
  });

  it('yields as messages what the bulk path declines, and resumes without it', async () => {
    let offered = 0;
    const decline: BulkLoad = async () => {
      offered++;
      return false;
    };
    expect(await readAll(undefined, { bulkLoad: decline })).toEqual(expectedMessages(0));
    expect(offered).toBe(1);
    expect(await readAll({ fingerprint, emitted: 100_000 }, { bulkLoad: decline })).toEqual(expectedMessages(100_000));
    expect(offered).toBe(1);
    let firstPart = 0;
    const firstOnly: BulkLoad = async (request) => {
      if (firstPart > 0) return false;
      firstPart = (request.cursor as { emitted: number }).emitted;
      return true;
    };
    const rest = await readAll(undefined, { bulkLoad: firstOnly });
    expect(rest).toEqual(expectedMessages(firstPart));
  });
});
