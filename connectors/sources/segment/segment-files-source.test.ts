import { appendFileSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../../test/support/temporary-directory.js';
import type { JsonValue } from '../../../core/events/canonical-event.js';
import type { SourceMessage } from '../../../core/ingest/source.js';
import { createSegmentFilesSource } from './segment-files-source.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const source = createSegmentFilesSource({ maxEventBytes: 32 * 1024 });
const line = (id: string) => JSON.stringify({ type: 'track', event: 'Viewed', messageId: id, userId: 'u', timestamp: '2026-05-01T00:00:00Z' });
const lines = (ids: string[]) => `${ids.map(line).join('\n')}\n`;

async function readAll(directory: string, path: string, from?: JsonValue, checkpointEvery?: number) {
  const context = { now: () => NOW, signal: new AbortController().signal, baseDir: directory };
  const messages: SourceMessage[] = [];
  for await (const item of source.read({ type: 'segment-files', id: 'web', path, checkpoint_every: checkpointEvery }, from, context)) {
    messages.push(...(Array.isArray(item) ? item : [item as SourceMessage]));
  }
  // Ids of the lines handed to core that parse (core quarantines the rest).
  const ids = messages.flatMap((message) => {
    if (message.type !== 'segment-json') return [];
    try {
      return [(JSON.parse(message.text) as { messageId: string }).messageId];
    } catch {
      return [];
    }
  });
  // Each checkpoint with the number of events yielded before it (what it covers).
  const checkpoints: Array<{ cursor: JsonValue; covers: number }> = [];
  let events = 0;
  for (const message of messages) {
    if (message.type === 'segment-json') events++;
    if (message.type === 'checkpoint') checkpoints.push({ cursor: message.cursor, covers: events });
  }
  return { ids, cursor: checkpoints.at(-1)?.cursor, checkpoints };
}


const fresh = () => temporaryDirectory('segment');

describe('segment-files source', () => {
  it('reads a Segment storage export tree recursively, plain and gzip, in path order', async () => {
    const directory = fresh();
    mkdirSync(join(directory, 'export', 'src1', '1714521600000'), { recursive: true });
    writeFileSync(join(directory, 'export', 'src1', '1714521600000', 'a.jsonl.gz'), gzipSync(lines(['a1', 'a2'])));
    writeFileSync(join(directory, 'export', 'src1', 'b.jsonl'), lines(['b1']));
    writeFileSync(join(directory, 'export', 'notes.txt'), 'ignored');
    const { ids } = await readAll(directory, 'export');
    expect(ids).toEqual(['a1', 'a2', 'b1']);
  });

  it('resumes after the last checkpoint, reads only appended lines, skips unchanged files', async () => {
    const directory = fresh();
    const file = join(directory, 'events.jsonl');
    writeFileSync(file, lines(['1', '2', '3']));
    const first = await readAll(directory, 'events.jsonl');
    expect(first.ids).toEqual(['1', '2', '3']);
    expect((await readAll(directory, 'events.jsonl', first.cursor)).ids).toEqual([]);
    appendFileSync(file, lines(['4', '5']));
    const second = await readAll(directory, 'events.jsonl', first.cursor);
    expect(second.ids).toEqual(['4', '5']);
  });

  it('re-reads a half-written last line once the exporter finishes it', async () => {
    const directory = fresh();
    const file = join(directory, 'events.jsonl');
    const complete = line('p2');
    writeFileSync(file, `${line('p1')}\n${complete.slice(0, 20)}`);
    const first = await readAll(directory, 'events.jsonl');
    expect(first.ids).toEqual(['p1']); // the fragment is not valid JSON: core quarantines it
    appendFileSync(file, `${complete.slice(20)}\n${line('p3')}\n`);
    expect((await readAll(directory, 'events.jsonl', first.cursor)).ids).toEqual(['p2', 'p3']);
  });

  it('ignores a UTF-8 byte-order mark', async () => {
    const directory = fresh();
    writeFileSync(join(directory, 'bom.jsonl'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines(['b1', 'b2']))]));
    expect((await readAll(directory, 'bom.jsonl')).ids).toEqual(['b1', 'b2']);
  });

  it('re-reads from the start a file replaced by a larger one (never skips its first lines)', async () => {
    const directory = fresh();
    const file = join(directory, 'events.jsonl');
    writeFileSync(file, lines(['old1', 'old2']));
    const first = await readAll(directory, 'events.jsonl');
    writeFileSync(file, lines(['new1', 'new2', 'new3']));
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect((await readAll(directory, 'events.jsonl', first.cursor)).ids).toEqual(['new1', 'new2', 'new3']);
  });

  it('checkpoints mid-file: resuming from any checkpoint yields exactly the events it does not cover', async () => {
    const directory = fresh();
    // ~5 MB: several 1 MiB read chunks, so checkpoints fall inside the file.
    const ids = Array.from({ length: 50_000 }, (_, index) => `m${index}`);
    writeFileSync(join(directory, 'events.jsonl'), lines(ids));
    const all = await readAll(directory, 'events.jsonl', undefined, 1000);
    expect(all.ids).toEqual(ids);
    const midFile = all.checkpoints.filter((checkpoint) => checkpoint.covers > 0 && checkpoint.covers < ids.length);
    expect(midFile.length).toBeGreaterThanOrEqual(2);
    for (const checkpoint of midFile) {
      expect((await readAll(directory, 'events.jsonl', checkpoint.cursor)).ids).toEqual(ids.slice(checkpoint.covers));
    }
  });
});
