import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRetailUsers, generateRetailWorld, type RetailWorldOptions } from './retail-world.js';
import { truthPathFor, writeWorld } from './write-world.js';

function expectedJsonl(options: RetailWorldOptions): string {
  let text = '';
  for (const { message } of generateRetailWorld(options)) text += `${JSON.stringify(message)}\n`;
  return text;
}

describe('writeWorld', () => {
  let directory = '';
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'segflow-generate-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('writes exactly the generated messages as JSONL, one JSON.stringify per line', async () => {
    const options = { seed: 12, users: 200 };
    const path = join(directory, 'plain', 'world.jsonl');
    const result = await writeWorld(path, options);
    const text = await readFile(path, 'utf8');
    const expected = expectedJsonl(options);
    expect(text === expected).toBe(true);
    expect(result.events).toBe(expected.split('\n').length - 1);
    expect(result.users).toBe(200);
    expect(result.duplicates).toBe(0);
    expect(result.bytes).toBe((await stat(path)).size);
    expect(result.uncompressedBytes).toBe(result.bytes);
  });

  it('gzips when the path ends in .gz, retries included, and is byte-identical run to run', async () => {
    const options = { seed: 13, users: 200, duplicateRate: 0.02 };
    const first = join(directory, 'first.jsonl.gz');
    const second = join(directory, 'second.jsonl.gz');
    const result = await writeWorld(first, options);
    await writeWorld(second, options);
    const compressed = await readFile(first);
    expect(compressed.equals(await readFile(second))).toBe(true);
    const text = gunzipSync(compressed).toString('utf8');
    expect(text === expectedJsonl(options)).toBe(true);
    const retries = [...generateRetailWorld(options)].filter((item) => item.duplicate).length;
    expect(retries).toBeGreaterThan(0);
    expect(result.duplicates).toBe(retries);
    expect(result.bytes).toBe(compressed.length);
    expect(result.uncompressedBytes).toBe(Buffer.byteLength(text));
    expect(result.bytes).toBeLessThan(result.uncompressedBytes / 5);
  });

  it('writes the ground truth beside the events', async () => {
    const options = { seed: 14, users: 200 };
    const path = join(directory, 'truth', 'world.jsonl.gz');
    const result = await writeWorld(path, options);
    expect(result.truthPath).toBe(join(directory, 'truth', 'world.truth.csv'));
    const rows = (await readFile(result.truthPath, 'utf8')).trimEnd().split('\n');
    expect(rows[0]).toBe('user_key,persona,user_id,anonymous_ids');
    const expected = [...generateRetailUsers(options)].map(({ truth }) => `${truth.userKey},${truth.persona},${truth.userId ?? ''},${truth.anonymousIds.join(';')}`);
    expect(rows.slice(1)).toEqual(expected);
    expect(rows.some((row) => row.split(',')[3]?.includes(';'))).toBe(true);
    expect(rows.some((row) => row.split(',')[2] === '')).toBe(true);
  });

  it('rejects bad options before creating any file', async () => {
    const path = join(directory, 'bad', 'world.jsonl');
    await expect(writeWorld(path, { seed: 1, users: 10, days: 10 })).rejects.toThrow(/days/);
    expect(existsSync(join(directory, 'bad'))).toBe(false);
  });
});

describe('truthPathFor', () => {
  it('drops .gz and the format extension', () => {
    expect(truthPathFor('/data/world.jsonl.gz')).toBe('/data/world.truth.csv');
    expect(truthPathFor('/data/world.jsonl')).toBe('/data/world.truth.csv');
    expect(truthPathFor('world.ndjson')).toBe('world.truth.csv');
    expect(truthPathFor('/data.d/world')).toBe('/data.d/world.truth.csv');
  });
});
