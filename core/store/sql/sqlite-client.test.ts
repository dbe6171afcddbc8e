import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../../test/support/temporary-directory.js';
import { UserError } from '../../errors/user-error.js';
import { SCHEMA_VERSION } from './migrations.js';
import type { SqlClient } from './sql-client.js';
import { openSqliteClient } from './sqlite-client.js';

const opened: SqlClient[] = [];
afterEach(async () => {
  for (const client of opened.splice(0)) await client.close();
});

function open(path = join(temporaryDirectory('sqlite-client'), 'state.db')): SqlClient {
  const client = openSqliteClient(path);
  opened.push(client);
  return client;
}

function openError(path: string): Error {
  try {
    opened.push(openSqliteClient(path));
  } catch (error) {
    return error as Error;
  }
  return expect.fail('opened');
}

describe('openSqliteClient', () => {
  it('binds ? placeholders, booleans and many parameters, and counts changes', async () => {
    const client = open();
    await client.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, active INTEGER)');
    await client.run('INSERT INTO items (id, name, active) VALUES (?, ?, ?)', [1, 'what?', true]);
    // SQLite has no boolean type: true is stored as 1.
    expect(await client.get('SELECT name, active FROM items WHERE id = ?', [1])).toEqual({ name: 'what?', active: 1 });

    const ids = Array.from({ length: 2_000 }, (_, index) => index + 2);
    await client.runBatch('INSERT INTO items (id, name, active) VALUES (?, ?, ?)', ids.map((id) => [id, `item ${id}`, id % 2 === 0]));
    const placeholders = ids.map(() => '?').join(', ');
    expect(await client.get(`SELECT COUNT(*) AS n FROM items WHERE id IN (${placeholders})`, ids)).toEqual({ n: 2_000 });
    expect(await client.run('UPDATE items SET active = ? WHERE active = ?', [false, true])).toEqual({ changes: 1_001 });
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    const client = open();
    await client.exec('CREATE TABLE notes (body TEXT NOT NULL)');
    const value = await client.transaction(async (tx) => {
      await tx.run('INSERT INTO notes VALUES (?)', ['kept']);
      return tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM notes');
    });
    expect(value).toEqual({ n: 1 });
    const failed = client.transaction(async (tx) => {
      await tx.runBatch('INSERT INTO notes VALUES (?)', [['lost 1'], ['lost 2']]);
      throw new Error('boom');
    });
    await expect(failed).rejects.toThrow('boom');
    expect(await client.all('SELECT body FROM notes')).toEqual([{ body: 'kept' }]);
  });

  it('runs a statement issued during a transaction after it, not inside it', async () => {
    const client = open();
    await client.exec('CREATE TABLE notes (body TEXT NOT NULL)');
    let inserted!: () => void;
    const insideWrote = new Promise<void>((resolve) => (inserted = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const transaction = client.transaction(async (tx) => {
      await tx.run('INSERT INTO notes VALUES (?)', ['inside']);
      inserted();
      await released;
      throw new Error('roll back');
    });
    await insideWrote;
    const outside = client.run('INSERT INTO notes VALUES (?)', ['outside']);
    release();
    await expect(transaction).rejects.toThrow('roll back');
    await outside;
    expect(await client.all('SELECT body FROM notes')).toEqual([{ body: 'outside' }]);
  });

  it('migrates a file once, and opening it again changes nothing', async () => {
    const path = join(temporaryDirectory('sqlite-migrate'), 'state.db');
    const first = open(path);
    await first.run("INSERT INTO meta (key, value) VALUES ('k', 'v')");
    const second = open(path);
    expect(await second.get('PRAGMA user_version')).toEqual({ user_version: SCHEMA_VERSION });
    expect(await second.all('SELECT key, value FROM meta')).toEqual([{ key: 'k', value: 'v' }]);
    expect(await second.get('SELECT COUNT(*) AS n FROM dead_letters')).toEqual({ n: 0 });
  });

  it('refuses a file written by a newer segflow', () => {
    const path = join(temporaryDirectory('sqlite-newer'), 'state.db');
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const error = openError(path);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/newer segflow.*upgrade segflow/);
  });

  it('keeps two files apart', async () => {
    const directory = temporaryDirectory('sqlite-apart');
    const a = open(join(directory, 'a.db'));
    const b = open(join(directory, 'b.db'));
    await a.run('INSERT INTO meta (key, value) VALUES (?, ?)', ['owner', 'a']);
    expect(await a.all('SELECT value FROM meta')).toEqual([{ value: 'a' }]);
    expect(await b.all('SELECT value FROM meta')).toEqual([]);
  });

  it('names the file as its location', () => {
    const path = join(temporaryDirectory('sqlite-location'), 'state.db');
    expect(open(path).location).toBe(path);
  });

  it('reports a file that is not a database as a UserError naming it', () => {
    const path = join(temporaryDirectory('sqlite-corrupt'), 'state.db');
    writeFileSync(path, Buffer.from(Array.from({ length: 8_192 }, (_, index) => (index * 37 + 11) % 256)));
    const error = openError(path);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/restore it from a backup/);
  });
});
