import Database from 'better-sqlite3';
import { UserError } from '../../errors/user-error.js';
import { migrationsFor, SCHEMA_VERSION } from './migrations.js';
import type { SqlClient, SqlExecutor, SqlRunResult, SqlValue } from './sql-client.js';

/**
 * The embedded driver: better-sqlite3 (v12; v13 crashes on Node 20) in WAL
 * mode, so the CLI and `segflow serve` can share a state file. better-sqlite3
 * is synchronous; the client is async so it fits the same contract as
 * PostgreSQL, and a small queue keeps one transaction's statements together
 * while other callers wait (BEGIN IMMEDIATE takes the file's write lock at
 * once, so two processes never deadlock upgrading a read lock).
 */
export function openSqliteClient(path: string): SqlClient {
  let db: Database.Database;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (error) {
    throw asUserError(error, path);
  }
  const statements = new Map<string, Database.Statement>();
  const statement = (sql: string) => {
    let prepared = statements.get(sql);
    if (!prepared) {
      prepared = db.prepare(sql);
      statements.set(sql, prepared);
    }
    return prepared;
  };
  const bind = (parameters: readonly SqlValue[]) => parameters.map((value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value));
  const direct: SqlExecutor = {
    dialect: 'sqlite',
    all: async <Row extends object>(sql: string, parameters: readonly SqlValue[] = []) => statement(sql).all(...bind(parameters)) as Row[],
    get: async <Row extends object>(sql: string, parameters: readonly SqlValue[] = []) => statement(sql).get(...bind(parameters)) as Row | undefined,
    run: async (sql: string, parameters: readonly SqlValue[] = []): Promise<SqlRunResult> => ({ changes: statement(sql).run(...bind(parameters)).changes }),
    runBatch: async (sql: string, rows: ReadonlyArray<readonly SqlValue[]>) => {
      const prepared = statement(sql);
      for (const row of rows) prepared.run(...bind(row));
    },
    exec: async (sql: string) => {
      db.exec(sql);
    },
  };
  // Every statement and transaction takes its turn: a statement issued while a transaction awaits runs after it.
  let tail: Promise<unknown> = Promise.resolve();
  const turn = <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work);
    tail = result.catch(() => undefined);
    return result;
  };
  return {
    dialect: 'sqlite',
    location: path,
    all: (sql, parameters) => turn(() => direct.all(sql, parameters)),
    get: (sql, parameters) => turn(() => direct.get(sql, parameters)),
    run: (sql, parameters) => turn(() => direct.run(sql, parameters)),
    runBatch: (sql, rows) => turn(() => direct.runBatch(sql, rows)),
    exec: (sql) => turn(() => direct.exec(sql)),
    transaction: <T>(work: (tx: SqlExecutor) => Promise<T>) => turn(async () => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(direct);
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    }),
    close: async () => {
      await tail;
      db.close();
    },
  };
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new UserError(`${db.name} was written by a newer segflow (schema ${version}, this one knows ${SCHEMA_VERSION}): upgrade segflow`);
  }
  for (const migration of migrationsFor('sqlite', version)) {
    db.transaction(() => {
      if (migration.sql.trim() !== '') db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}

function asUserError(error: unknown, path: string): Error {
  if (error instanceof UserError) return error;
  const code = (error as { code?: string }).code;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new UserError(`${path} is not a readable segflow state file (${(error as Error).message}): restore it from a backup, or move it away to start from empty state`);
  }
  if (code === 'SQLITE_CANTOPEN' || /directory does not exist/.test((error as Error).message ?? '')) return new UserError(`cannot open the state file ${path}: check that its directory exists and is writable`);
  if (code === 'SQLITE_BUSY') return new UserError(`${path} is locked by another segflow process: wait for it to finish`);
  return error instanceof Error ? error : new Error(String(error));
}
