import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vacuumPostgresState } from '../core/privacy/physical-erasure.js';
import { openStateStore } from '../core/store/state/open-state-store.js';
import { freshSchema, postgresUrl } from './support/postgres-state.js';

/**
 * Erasure on PostgreSQL state is physical (issue 11): a DELETE leaves the row
 * in the table's pages; after vacuumPostgresState the table's files (read
 * from the throwaway cluster's data directory) no longer hold the address.
 */
const CANARY = 'vacuum-canary-7781@example.org';

describe('PostgreSQL state after an erasure', () => {
  it('holds a deleted row in its pages until VACUUM FULL rewrites the table, then not', async () => {
    const state = await openStateStore({ driver: 'postgres', url: postgresUrl(), schema: freshSchema('vacuum') });
    try {
      await state.sql.exec('CREATE TABLE canary_rows (id integer PRIMARY KEY, email text)');
      await state.sql.run('INSERT INTO canary_rows (id, email) VALUES (?, ?)', [1, CANARY]);
      await state.sql.run('INSERT INTO canary_rows (id, email) VALUES (?, ?)', [2, 'someone-else@example.org']);
      await state.sql.exec('CHECKPOINT');
      const dataDirectory = (await state.sql.get<{ setting: string }>("SELECT setting FROM pg_settings WHERE name = 'data_directory'"))!.setting;
      const tableFile = async () => join(dataDirectory, (await state.sql.get<{ path: string }>("SELECT pg_relation_filepath('canary_rows') AS path"))!.path);
      const holds = async () => readFileSync(await tableFile()).includes(CANARY);
      expect(await holds()).toBe(true);
      await state.sql.run('DELETE FROM canary_rows WHERE id = ?', [1]);
      await state.sql.exec('CHECKPOINT');
      // The row is deleted, and still in the page.
      expect(await holds()).toBe(true);
      const rewritten = await vacuumPostgresState(state.sql);
      expect(rewritten).toContain('canary_rows');
      expect(rewritten).toContain('sink_acks');
      await state.sql.exec('CHECKPOINT');
      expect(await holds()).toBe(false);
      expect(await state.sql.all('SELECT email FROM canary_rows')).toEqual([{ email: 'someone-else@example.org' }]);
    } finally {
      await state.close();
    }
  });
});
