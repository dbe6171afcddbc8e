import { afterEach, describe, expect, it } from 'vitest';
import { freshSchema, postgresUrl } from '../../../test/support/postgres-state.js';
import { UserError } from '../../errors/user-error.js';
import { SCHEMA_VERSION } from './migrations.js';
import { openPostgresClient } from './postgres-client.js';
import type { SqlClient } from './sql-client.js';

const opened: SqlClient[] = [];
afterEach(async () => {
  for (const client of opened.splice(0)) await client.close();
});

async function open(schema = freshSchema('state_client'), url = postgresUrl()): Promise<SqlClient> {
  const client = await openPostgresClient({ url, schema });
  opened.push(client);
  return client;
}

function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
}

async function openError(options: { url: string; schema: string }): Promise<Error> {
  return openPostgresClient(options).then(
    () => expect.fail('opened'),
    (error: unknown) => error as Error,
  );
}

describe('openPostgresClient', () => {
  it('binds ? placeholders, booleans and many parameters, and counts changes', async () => {
    const client = await open();
    await client.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, active BOOLEAN); CREATE TABLE wide (a INTEGER, b TEXT, c TEXT)');
    await client.run('INSERT INTO items (id, name, active) VALUES (?, ?, ?)', [1, 'what?', true]);
    // A literal ? in quoted text is not a placeholder.
    expect(await client.get("SELECT name, active, '?' AS mark FROM items WHERE id = ?", [1])).toEqual({ name: 'what?', active: true, mark: '?' });

    const ids = Array.from({ length: 2_000 }, (_, index) => index + 2);
    await client.runBatch('INSERT INTO items (id, name, active) VALUES (?, ?, ?)', ids.map((id) => [id, `item ${id}`, id % 2 === 0]));
    const placeholders = ids.map(() => '?').join(', ');
    expect(await client.get<{ n: string }>(`SELECT COUNT(*) AS n FROM items WHERE id IN (${placeholders})`, ids)).toEqual({ n: '2000' });
    expect(await client.run('UPDATE items SET active = ? WHERE active = ?', [false, true])).toEqual({ changes: 1_001 });

    // 30,000 rows × 3 columns: more parameters than one PostgreSQL statement takes, so the batch is chunked.
    const rows = Array.from({ length: 30_000 }, (_, index) => [index, `b${index}`, null]);
    await client.runBatch('INSERT INTO wide (a, b, c) VALUES (?, ?, ?)', rows);
    const last = await client.all<{ a: number; b: string }>('SELECT a, b FROM wide ORDER BY a DESC LIMIT 2');
    expect(last).toEqual([{ a: 29_999, b: 'b29999' }, { a: 29_998, b: 'b29998' }]);
    expect(await client.get('SELECT COUNT(*) AS n FROM wide')).toEqual({ n: '30000' });
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    const client = await open();
    await client.exec('CREATE TABLE notes (body TEXT NOT NULL)');
    const value = await client.transaction(async (tx) => {
      await tx.run('INSERT INTO notes VALUES (?)', ['kept']);
      return tx.get<{ n: string }>('SELECT COUNT(*) AS n FROM notes');
    });
    expect(value).toEqual({ n: '1' });
    const failed = client.transaction(async (tx) => {
      await tx.runBatch('INSERT INTO notes VALUES (?)', [['lost 1'], ['lost 2']]);
      throw new Error('boom');
    });
    await expect(failed).rejects.toThrow('boom');
    expect(await client.all('SELECT body FROM notes')).toEqual([{ body: 'kept' }]);
  });

  it('keeps a statement issued outside a concurrent transaction out of it', async () => {
    const client = await open();
    await client.exec('CREATE TABLE notes (body TEXT NOT NULL)');
    let inserted!: () => void;
    const insideWrote = new Promise<void>((resolve) => (inserted = resolve));
    let outsideDone!: () => void;
    const outsideWrote = new Promise<void>((resolve) => (outsideDone = resolve));
    const transaction = client.transaction(async (tx) => {
      await tx.run('INSERT INTO notes VALUES (?)', ['inside']);
      inserted();
      await outsideWrote;
      throw new Error('roll back');
    });
    await insideWrote;
    // Uncommitted work is invisible outside, and the outside write commits on its own.
    expect(await client.all('SELECT body FROM notes')).toEqual([]);
    await client.run('INSERT INTO notes VALUES (?)', ['outside']);
    outsideDone();
    await expect(transaction).rejects.toThrow('roll back');
    expect(await client.all('SELECT body FROM notes')).toEqual([{ body: 'outside' }]);
  });

  it('migrates a schema once when two clients open it at the same time', async () => {
    const schema = freshSchema('state_migrate');
    const [first, second] = await Promise.all([open(schema), open(schema)]);
    expect(await first!.all('SELECT version FROM segflow_schema')).toEqual([{ version: SCHEMA_VERSION }]);
    await second!.run("INSERT INTO meta (key, value) VALUES ('k', 'v')");
    const reopened = await open(schema);
    expect(await reopened.all('SELECT version FROM segflow_schema')).toEqual([{ version: SCHEMA_VERSION }]);
    expect(await reopened.all('SELECT key, value FROM meta')).toEqual([{ key: 'k', value: 'v' }]);
    expect(await reopened.get('SELECT COUNT(*) AS n FROM dead_letters')).toEqual({ n: '0' });
  });

  it('refuses a schema written by a newer segflow', async () => {
    const schema = freshSchema('state_newer');
    const client = await open(schema);
    await client.run('UPDATE segflow_schema SET version = ?', [SCHEMA_VERSION + 1]);
    const error = await openError({ url: postgresUrl(), schema });
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/newer segflow.*upgrade segflow/);
  });

  it('keeps two schemas apart', async () => {
    const a = await open(freshSchema('state_a'));
    const b = await open(freshSchema('state_b'));
    await a.run('INSERT INTO meta (key, value) VALUES (?, ?)', ['owner', 'a']);
    expect(await a.all('SELECT value FROM meta')).toEqual([{ value: 'a' }]);
    expect(await b.all('SELECT value FROM meta')).toEqual([]);
  });

  it('shows where the state lives without the password', async () => {
    const schema = freshSchema('state_location');
    const client = await open(schema, withPassword(postgresUrl(), 's3cret-pw'));
    expect(client.location).toBe(`${postgresUrl()}#${schema}`);
    expect(client.location).not.toContain('s3cret-pw');
  });

  it('reports an unreachable server as a one-line UserError without the password', async () => {
    const url = 'postgres://segflow:s3cret-pw@127.0.0.1:1/state';
    const error = await openError({ url, schema: 'refused' });
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain('127.0.0.1:1');
    expect(error.message).toMatch(/check that the server is running/);
    expect(error.message).not.toContain('s3cret-pw');
    expect(error.message).not.toContain('\n');
  });

  it('reports a missing database and a bad schema name as UserErrors', async () => {
    const missing = new URL(postgresUrl());
    missing.pathname = '/no_such_database';
    const error = await openError({ url: missing.toString(), schema: 'anything' });
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/no_such_database.*does not exist.*create it/);
    const badName = await openError({ url: postgresUrl(), schema: 'Robert"; DROP SCHEMA public; --' });
    expect(badName).toBeInstanceOf(UserError);
    expect(badName.message).toContain('lowercase letters, digits and _');
  });
});
