import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { generateCommand } from './generate.js';

const DECEMBER = Date.parse('2026-12-03T13:42:00Z');

async function generate(out: string, extra: { start?: string } = {}): Promise<{ timestamps: number[]; text: string; stdout: string }> {
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  await generateCommand({ out, users: '40', seed: '7', now: () => DECEMBER, ...extra });
  vi.restoreAllMocks();
  const text = readFileSync(out, 'utf8');
  const timestamps = text.trim().split('\n').map((line) => Date.parse((JSON.parse(line) as { timestamp: string }).timestamp));
  return { timestamps, text, stdout };
}

afterEach(() => vi.restoreAllMocks());

describe('segflow generate: the default window', () => {
  it('ends today, so no event lies in the future, and is the same for the same clock', async () => {
    const directory = temporaryDirectory('generate');
    const first = await generate(join(directory, 'a.jsonl'));
    expect(Math.max(...first.timestamps)).toBeLessThanOrEqual(DECEMBER);
    // Recent: the last events are from the last days before now.
    expect(Math.max(...first.timestamps)).toBeGreaterThan(DECEMBER - 7 * 86_400_000);
    expect(first.stdout).toContain('days 2025-12-03 to 2026-12-02');
    const second = await generate(join(directory, 'b.jsonl'));
    expect(second.text).toBe(first.text);
  });

  it('keeps an explicit --start', async () => {
    const directory = temporaryDirectory('generate');
    const { timestamps } = await generate(join(directory, 'c.jsonl'), { start: '2024-01-01' });
    expect(Math.min(...timestamps)).toBeGreaterThanOrEqual(Date.parse('2024-01-01T00:00:00Z'));
    expect(Math.max(...timestamps)).toBeLessThan(Date.parse('2025-01-01T00:00:00Z'));
  });
});
