import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendSuppressions, readSuppressionFile, suppressionFilePath } from './suppression-file.js';
import { suppressionCheck } from './suppressions.js';

const entry = { erasedAt: '2026-06-01T00:00:00.000Z', requestId: 'forget-1' };
const directories: string[] = [];
const fileIn = () => {
  const directory = mkdtempSync(join(tmpdir(), 'segflow-suppression-file-'));
  directories.push(directory);
  return join(directory, 'segflow-suppressions.jsonl');
};
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('the shared suppression file', () => {
  it('lives beside the mapping unless SEGFLOW_SUPPRESSION_FILE says otherwise', () => {
    expect(suppressionFilePath('/repo/mappings', {})).toBe('/repo/mappings/segflow-suppressions.jsonl');
    expect(suppressionFilePath('/repo/mappings', { SEGFLOW_SUPPRESSION_FILE: '/shared/erased.jsonl' })).toBe('/shared/erased.jsonl');
  });

  it('appends each identifier once, as a hash, and recognises them when read back', () => {
    const path = fileIn();
    expect(appendSuppressions(path, {}, ['ada@example.com', 'user-1'], entry)).toBe(2);
    expect(appendSuppressions(path, {}, ['user-1', 'anon-9'], { ...entry, requestId: 'forget-2' })).toBe(1);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toMatch(/ada|user-1|anon-9/);
    expect(text.trim().split('\n')).toHaveLength(4);
    const check = suppressionCheck(new Set(), readSuppressionFile(path, {}));
    expect(['ada@example.com', 'user-1', 'anon-9', 'profile:u:user-1'].map((id) => check.has(id))).toEqual([true, true, true, true]);
    expect(check.has('bob@example.com')).toBe(false);
  });

  it('salts each unkeyed file differently, so two files cannot be joined on their hashes', () => {
    const [one, two] = [fileIn(), fileIn()];
    appendSuppressions(one as string, {}, ['ada@example.com'], entry);
    appendSuppressions(two as string, {}, ['ada@example.com'], entry);
    const hashOf = (path: string) => (JSON.parse(readFileSync(path, 'utf8').trim().split('\n')[1] as string) as { hash: string }).hash;
    expect(hashOf(one as string)).not.toBe(hashOf(two as string));
  });

  it('needs the key a keyed file was written with', () => {
    const path = fileIn();
    appendSuppressions(path, { SEGFLOW_PII_KEY: 'k1' }, ['ada@example.com'], entry);
    expect(suppressionCheck(new Set(), readSuppressionFile(path, { SEGFLOW_PII_KEY: 'k1' })).has('ada@example.com')).toBe(true);
    expect(() => readSuppressionFile(path, {})).toThrow(/was written with a key: set SEGFLOW_PII_KEY/);
    expect(() => readSuppressionFile(path, { SEGFLOW_PII_KEY: 'k2' })).toThrow(/different SEGFLOW_PII_KEY/);
  });

  it('stops on a damaged file, naming the line, rather than let someone back in', () => {
    const path = fileIn();
    appendSuppressions(path, {}, ['ada@example.com'], entry);
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"hash": "not-hex"}\n`);
    expect(() => readSuppressionFile(path, {})).toThrow(`${path}:3: an entry needs a "hash" of 64 hex digits`);
    writeFileSync(path, 'hello\n');
    expect(() => readSuppressionFile(path, {})).toThrow(`${path}:1: not valid JSON`);
    expect(readSuppressionFile(`${path}.absent`, {})).toBeUndefined();
  });
});
