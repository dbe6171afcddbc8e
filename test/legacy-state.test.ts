import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../core/store/sql/migrations.js';
import { openWorkspace, type Workspace } from '../core/runtime/index.js';
import { createConnectors } from '../connectors/wiring.js';
import { loadMapping } from '../cli/commands/validate.js';
import { EVERYONE_MAPPING, temporaryDirectory, writeMapping } from './support/run-mapping.js';

/**
 * A `.segflow/` written by segflow before 0.2 (one directory for every
 * mapping of a folder, sink state keyed by sink id, schema version 3) keeps
 * working: the mapping that wrote it gets it moved into its own directory
 * and its sink state adopted by the account the sink writes to; a mapping
 * that did not write it starts afresh and leaves it for its owner.
 */

function writeLegacyState(directory: string, mappingFile: string): void {
  mkdirSync(directory, { recursive: true });
  const db = new Database(join(directory, 'state.sqlite'));
  for (const migration of MIGRATIONS.filter((entry) => entry.version <= 3)) db.exec(migration.sqlite);
  db.pragma('user_version = 3');
  db.prepare('INSERT INTO runs (run_id, mapping, started_at, status) VALUES (?, ?, ?, ?)').run('old-run', resolve(mappingFile), '2026-01-01T00:00:00Z', 'succeeded');
  db.prepare('INSERT INTO sink_records (sink_id, profile_id, record_key, vendor_id, properties, acked_at) VALUES (?, ?, ?, ?, ?, ?)').run('crm', 'u:1', 'ann@example.com', '501', '{"tier":"gold"}', '2026-01-01T00:00:00Z');
  db.prepare("INSERT INTO sink_memberships (sink_id, profile_id, list_key, state) VALUES ('crm', 'u:1', 'vip', 'member')").run();
  db.close();
}

async function open(file: string): Promise<Workspace> {
  const loaded = loadMapping(file);
  if (!loaded.ok) throw new Error('mapping');
  return openWorkspace({ mapping: loaded.mapping, mappingFile: file, connectors: createConnectors(), env: { ...process.env, SEGFLOW_STATE: '' } });
}

describe('state written by segflow before 0.2', () => {
  const workspaces: Workspace[] = [];
  afterEach(async () => {
    await Promise.all(workspaces.splice(0).map((workspace) => workspace.close()));
  });

  it('moves into the mapping\'s own directory, and the sink\'s state is adopted once by its account', async () => {
    const folder = temporaryDirectory('legacy');
    const file = writeMapping(folder, EVERYONE_MAPPING, 'shop.yaml');
    writeLegacyState(join(folder, '.segflow'), file);
    const workspace = await open(file);
    workspaces.push(workspace);
    expect(workspace.stateDir).toBe(join(folder, '.segflow', 'shop'));
    expect(workspace.notes.join('\n')).toMatch(/moved this mapping's state from .*\.segflow .* to .*\.segflow\/shop/);
    expect(existsSync(join(folder, '.segflow', 'state.sqlite'))).toBe(false);
    const account = workspace.state.account('hubspot:api.hubapi.com:portal-7');
    expect(await account.isNew()).toBe(true);
    expect(await account.adoptLegacy('crm')).toBe(1);
    const acked = await account.loadAcked();
    expect(acked.get('u:1')).toMatchObject({ key: 'ann@example.com', vendorId: '501', properties: { tier: 'gold' } });
    expect(acked.get('u:1')?.lists.get('vip')).toBe('member');
    expect(await workspace.state.account('hubspot:other').adoptLegacy('crm')).toBe(0);
  });

  it('is left for the mapping that wrote it; another mapping starts afresh', async () => {
    const folder = temporaryDirectory('legacy-other');
    const owner = writeMapping(folder, EVERYONE_MAPPING, 'shop.yaml');
    const other = writeMapping(folder, EVERYONE_MAPPING, 'promo.yaml');
    writeLegacyState(join(folder, '.segflow'), owner);
    const workspace = await open(other);
    workspaces.push(workspace);
    expect(workspace.notes.join('\n')).toMatch(/holds state of an older segflow written by .*shop\.yaml: it is left for that mapping/);
    expect(existsSync(join(folder, '.segflow', 'state.sqlite'))).toBe(true);
    expect(await workspace.state.runs.mappings()).toEqual([]);
  });
});
