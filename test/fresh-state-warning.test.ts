import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from './support/run-mapping.js';
import { segflowInProcess } from './support/in-process-cli.js';
import { CANARY, writeShop } from './forget-fixture.test-support.js';

/**
 * A run on a new, empty state says, on one stderr line, where a suppression
 * list made elsewhere is and whether it is applied; one whose configured
 * list is missing says that nothing is applied. A source file rewritten
 * since it was ingested is named too, when people are on the list: it is
 * read again from the start, and the list is applied to it.
 */
function warnings(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('segflow: warning:'));
}

describe('privacy warnings when a run starts', { timeout: 60_000 }, () => {
  it('names the suppression file a fresh state applies, and only on the fresh state', async () => {
    const directory = temporaryDirectory('fresh-state-warning');
    const mapping = writeShop(directory);
    expect((await segflowInProcess(['run', mapping, '--state', join(directory, 'first')])).code).toBe(0);
    expect((await segflowInProcess(['forget', mapping, '--state', join(directory, 'first'), '--email', CANARY.email])).code).toBe(0);

    const fresh = await segflowInProcess(['run', mapping, '--state', join(directory, 'fresh')]);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(warnings(fresh.stderr)).toEqual([
      `segflow: warning: this state is new and empty, and a suppression list exists elsewhere: ${join(directory, 'segflow-suppressions.jsonl')} (3 erased identifier hash(es)); it is applied: their events are dropped at ingest and never synced`,
    ]);
    const again = await segflowInProcess(['run', mapping, '--state', join(directory, 'fresh')]);
    expect(warnings(again.stderr)).toEqual([]);
  });

  it('says no list is applied when the configured suppression file is missing', async () => {
    const directory = temporaryDirectory('fresh-state-missing');
    const mapping = writeShop(directory);
    const missing = join(directory, 'shared', 'suppressions.jsonl');
    const run = await segflowInProcess(['run', mapping, '--state', join(directory, 'state')], { SEGFLOW_SUPPRESSION_FILE: missing });
    expect(run.code, run.stderr).toBe(0);
    expect(warnings(run.stderr)).toEqual([
      `segflow: warning: this state is new and empty, and SEGFLOW_SUPPRESSION_FILE names ${missing}, which does not exist: NO suppression list is applied; if people were erased elsewhere, import their list first (segflow privacy import-suppressions)`,
    ]);
    const unconfigured = await segflowInProcess(['run', mapping, '--state', join(directory, 'other')]);
    expect(warnings(unconfigured.stderr)).toEqual([]);
  });

  it('names a source file rewritten since it was ingested, when people are suppressed', async () => {
    const directory = temporaryDirectory('changed-source-warning');
    const mapping = writeShop(directory);
    const state = join(directory, 'state');
    expect((await segflowInProcess(['run', mapping, '--state', state])).code).toBe(0);
    expect((await segflowInProcess(['forget', mapping, '--state', state, '--user-id', CANARY.userId])).code).toBe(0);
    const source = join(directory, 'events.jsonl');
    const appended = await segflowInProcess(['run', mapping, '--state', state]);
    expect(warnings(appended.stderr)).toEqual([]);
    // A new export replaces the file: same events, the first line changed.
    const text = readFileSync(source, 'utf8');
    writeFileSync(source, text.replace('"name":"Person user-0"', '"name":"Person user-0 (renamed)"'));
    const rewritten = await segflowInProcess(['run', mapping, '--state', state]);
    expect(rewritten.code, rewritten.stderr).toBe(0);
    expect(warnings(rewritten.stderr)).toEqual([
      `segflow: warning: source "web": ${source} was rewritten since it was ingested, so it is read again from the start; the suppression list is applied to it (3 hash(es) in ${join(directory, 'segflow-suppressions.jsonl')}, 4 in the state), so erased people's events in it are dropped`,
    ]);
  });
});
