import { describe, expect, it } from 'vitest';
import { generateRetailWorld, type RetailWorldOptions } from './retail-world.js';
import { streamWorldJsonl, streamWorldLines, type WorldLineStreamOptions } from './world-line-stream.js';

function expectedLines(options: RetailWorldOptions): { lines: string[]; users: number[] } {
  const lines: string[] = [];
  const users: number[] = [];
  for (const { message, userIndex } of generateRetailWorld(options)) {
    lines.push(JSON.stringify(message));
    users.push(userIndex);
  }
  return { lines, users };
}

async function streamed(options: RetailWorldOptions, streamOptions: WorldLineStreamOptions): Promise<{ lines: string[]; users: number[] }> {
  const lines: string[] = [];
  const users: number[] = [];
  for await (const chunk of streamWorldLines(options, streamOptions)) {
    let index = 0;
    chunk.perUser.forEach((count, offset) => {
      for (let message = 0; message < count; message++) users.push(chunk.firstUser + offset);
      index += count;
    });
    expect(index).toBe(chunk.lines.length);
    lines.push(...chunk.lines);
  }
  return { lines, users };
}

describe('streamWorldLines', () => {
  // 160 users (~29k messages) is above the size made without workers.
  const options: RetailWorldOptions = { seed: 31, users: 160, start: Date.UTC(2025, 8, 1), days: 200, duplicateRate: 0.01 };
  const expected = expectedLines(options);

  it('yields generateRetailWorld byte for byte, in order, from worker threads', async () => {
    const fromWorkers = await streamed(options, { workers: 2, usersPerChunk: 7, aheadPerWorker: 2 });
    expect(fromWorkers.lines.length).toBe(expected.lines.length);
    expect(fromWorkers.lines.join('\n') === expected.lines.join('\n')).toBe(true);
    expect(fromWorkers.users).toEqual(expected.users);
  });

  it('yields the same on this thread (workers: 0)', async () => {
    const inline = await streamed(options, { workers: 0, usersPerChunk: 64 });
    expect(inline.lines.join('\n') === expected.lines.join('\n')).toBe(true);
    expect(inline.users).toEqual(expected.users);
  });

  it('yields the same as JSONL bytes, from workers and on this thread', async () => {
    const text = expected.lines.map((line) => `${line}\n`).join('');
    for (const workers of [2, 0]) {
      const parts: Buffer[] = [];
      let messages = 0;
      for await (const chunk of streamWorldJsonl(options, { workers, usersPerChunk: 9 })) {
        parts.push(Buffer.from(chunk.bytes));
        for (const count of chunk.perUser) messages += count;
      }
      expect(Buffer.concat(parts).toString('utf8') === text).toBe(true);
      expect(messages).toBe(expected.lines.length);
    }
  });

  it('stops its workers when the consumer stops early', async () => {
    let chunks = 0;
    for await (const chunk of streamWorldLines(options, { workers: 2, usersPerChunk: 5 })) {
      expect(chunk.lines.length).toBeGreaterThan(0);
      if (++chunks === 3) break;
    }
    expect(chunks).toBe(3);
  });

  it('checks its options before starting anything', async () => {
    await expect(streamWorldLines({ seed: 1, users: 10, days: 10 }).next()).rejects.toThrow(/days/);
  });
});
