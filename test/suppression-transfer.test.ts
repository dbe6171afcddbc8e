import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from './support/run-mapping.js';
import { segflowInProcess } from './support/in-process-cli.js';
import { CANARY, occurrences, writeShop } from './forget-fixture.test-support.js';

/**
 * The suppression list moves between machines: `segflow privacy
 * export-suppressions` writes hashes only (the shared file's, under its
 * scheme header, and the state's own list), and `import-suppressions` merges
 * them into another mapping's state and shared file, once however often it
 * is run. A file hashed under another salt or key is refused, since one-way
 * hashes cannot be re-keyed. Both are in the audit trail.
 */
const identifiers = [CANARY.email, CANARY.userId, CANARY.anonymousId];

function lines(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function auditKinds(mapping: string, state: string): Promise<string[]> {
  const exported = await segflowInProcess(['audit', 'export', mapping, '--state', state]);
  expect(exported.code, exported.stderr).toBe(0);
  return exported.stdout.trim().split('\n').map((line) => String((JSON.parse(line) as Record<string, unknown>).kind));
}

describe('exporting and importing the suppression list', { timeout: 60_000 }, () => {
  it('carries an erasure to a fresh machine as hashes, idempotently, and audits both ends', async () => {
    const origin = temporaryDirectory('suppressions-origin');
    const originMapping = writeShop(origin);
    const originState = join(origin, 'state');
    expect((await segflowInProcess(['run', originMapping, '--state', originState])).code).toBe(0);
    expect((await segflowInProcess(['forget', originMapping, '--state', originState, '--email', CANARY.email])).code).toBe(0);

    const exportFile = join(origin, 'suppressions-export.jsonl');
    const exported = await segflowInProcess(['privacy', 'export-suppressions', originMapping, '--state', originState, '--out', exportFile]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toMatch(/exported 3 suppression hash\(es\) of the shared file \(sha256-salted\) and \d+ of the state's list to .*suppressions-export\.jsonl/);
    const file = lines(exportFile);
    expect(file[0]).toMatchObject({ format: 'segflow-suppressions', version: 1, scheme: 'sha256-salted', salt: expect.stringMatching(/^[0-9a-f]{32}$/) as string });
    expect(file.slice(1).filter((entry) => 'hash' in entry)).toHaveLength(3);
    expect(file.slice(1).filter((entry) => 'stateHash' in entry).length).toBeGreaterThanOrEqual(3);
    expect(occurrences(origin, identifiers)).toEqual({ 'events.jsonl': expect.any(Number) as number });
    expect(await auditKinds(originMapping, originState)).toContain('suppressions_exported');

    // Another machine: the same source file, no suppression file, a brand-new state.
    const target = temporaryDirectory('suppressions-target');
    const targetMapping = writeShop(target);
    const targetState = join(target, 'state');
    const imported = await segflowInProcess(['privacy', 'import-suppressions', targetMapping, '--state', targetState, '--from', exportFile]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/imported 3 new hash\(es\) into .*segflow-suppressions\.jsonl and \d+ new into the state's list/);
    const before = readFileSync(join(target, 'segflow-suppressions.jsonl'), 'utf8');
    const again = await segflowInProcess(['privacy', 'import-suppressions', targetMapping, '--state', targetState, '--from', exportFile]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/imported 0 new hash\(es\) into .* and 0 new into the state's list: already there/);
    expect(readFileSync(join(target, 'segflow-suppressions.jsonl'), 'utf8')).toBe(before);

    const run = await segflowInProcess(['run', targetMapping, '--state', targetState]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/erased people: 9 record\(s\)/);
    expect(occurrences(targetState, identifiers)).toEqual({});
    expect((await auditKinds(targetMapping, targetState)).filter((kind) => kind === 'suppressions_imported')).toHaveLength(2);
  });

  it('refuses a file hashed under another salt or key, and changes nothing', async () => {
    const directory = temporaryDirectory('suppressions-mismatch');
    const mapping = writeShop(directory);
    const state = join(directory, 'state');
    expect((await segflowInProcess(['run', mapping, '--state', state])).code).toBe(0);
    expect((await segflowInProcess(['forget', mapping, '--state', state, '--user-id', 'user-3'])).code).toBe(0);
    const own = readFileSync(join(directory, 'segflow-suppressions.jsonl'), 'utf8');
    const foreign = join(directory, 'foreign.jsonl');
    writeFileSync(foreign, `${JSON.stringify({ format: 'segflow-suppressions', version: 1, scheme: 'sha256-salted', salt: 'ab'.repeat(16) })}\n${JSON.stringify({ hash: 'cd'.repeat(32), erasedAt: '2026-01-01T00:00:00Z', requestId: 'forget-x' })}\n`);
    const refused = await segflowInProcess(['privacy', 'import-suppressions', mapping, '--state', state, '--from', foreign]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/foreign\.jsonl is hashed under another salt than .*segflow-suppressions\.jsonl: hashes are one-way, so they cannot be re-keyed; nothing was imported/);
    expect(readFileSync(join(directory, 'segflow-suppressions.jsonl'), 'utf8')).toBe(own);

    const keyed = join(directory, 'keyed.jsonl');
    writeFileSync(keyed, `${JSON.stringify({ format: 'segflow-suppressions', version: 1, scheme: 'hmac-sha256', keyCheck: 'ef'.repeat(32) })}\n`);
    const otherScheme = await segflowInProcess(['privacy', 'import-suppressions', mapping, '--state', state, '--from', keyed]);
    expect(otherScheme.code).toBe(1);
    expect(otherScheme.stderr).toMatch(/keyed\.jsonl is hashed with a key \(hmac-sha256\) and .*segflow-suppressions\.jsonl with a salt \(sha256-salted\): hashes are one-way/);
  });
});
