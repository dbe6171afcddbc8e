import pg from 'pg';
import { UserError } from '../../errors/user-error.js';
import { migrationsFor, SCHEMA_VERSION } from './migrations.js';
import type { SqlClient, SqlExecutor, SqlRunResult, SqlValue } from './sql-client.js';

export interface PostgresClientOptions {
  /** `postgres://user:password@host:port/database`; the password never appears in messages. */
  url: string;
  /** The schema that holds this state: lowercase letters, digits and `_` (see `postgresSchemaName`). */
  schema: string;
}

/** PostgreSQL limits one statement to 65,535 bind parameters. */
const MAX_PARAMETERS = 65_535;
/** First key of the advisory lock migrations take (the second is the schema's hash); "sgfl". */
const MIGRATION_LOCK_CLASS = 0x7367_666c;

/**
 * The shared driver: a small `pg` pool whose every connection works in one
 * schema, so several segflow processes (and several mappings, each in its own
 * schema) can share one database. Outside a transaction a statement takes any
 * pooled connection: it never joins another caller's open transaction, and
 * PostgreSQL's row locks (not a queue in this process) make it wait for
 * conflicting writes.
 */
export async function openPostgresClient(options: PostgresClientOptions): Promise<SqlClient> {
  const location = `${withoutPassword(options.url)}#${options.schema}`;
  const schema = quoteIdentifier(checkSchemaName(options.schema));
  const pool = new pg.Pool({
    connectionString: options.url,
    max: 4,
    connectionTimeoutMillis: 10_000,
    // pg-pool awaits this before it hands the connection out (its types say void), so no statement runs in the wrong schema.
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    onConnect: (client) => client.query(`SET search_path TO ${schema}`),
  });
  // An idle connection the server drops emits 'error' on the pool; unhandled, that would end the process. The next statement reports it instead.
  pool.on('error', () => undefined);
  const fail = (error: unknown): never => {
    throw asUserError(error, location);
  };
  try {
    await migrate(pool, options.schema, location);
  } catch (error) {
    await pool.end().catch(() => undefined);
    fail(error);
  }
  const direct = executor(pool, fail);
  return {
    ...direct,
    location,
    transaction: async <T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> => {
      const client = await pool.connect().catch(fail);
      // A connection whose BEGIN or ROLLBACK failed is gone: released with the error, the pool drops it.
      let broken: Error | undefined;
      const keep = (error: unknown) => {
        broken = error instanceof Error ? error : new Error(String(error));
      };
      try {
        await client.query('BEGIN').catch((error: unknown) => {
          keep(error);
          return fail(error);
        });
        try {
          const result = await work(executor(client, fail));
          await client.query('COMMIT').catch(fail);
          return result;
        } catch (error) {
          if (!broken) await client.query('ROLLBACK').catch(keep);
          throw error;
        }
      } finally {
        client.release(broken);
      }
    },
    close: async () => {
      // pg throws on a second end(); closing twice is harmless here.
      if (!pool.ended) await pool.end();
    },
  };
}

/**
 * A mapping name as a schema name: lowercased, anything but letters, digits
 * and `_` becomes `_`, cut to PostgreSQL's 63 characters. Distinct mapping
 * names can collide (`a-b`, `a_b`), so the caller should keep the result.
 */
export function postgresSchemaName(name: string): string {
  const sanitized = name.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const leading = /^[a-z_]/.test(sanitized) && !sanitized.startsWith('pg_') ? sanitized : `s_${sanitized}`;
  return leading.slice(0, 63);
}

type Queryable = pg.Pool | pg.PoolClient;

function executor(queryable: Queryable, fail: (error: unknown) => never): SqlExecutor {
  const query = (sql: string, parameters: readonly SqlValue[] = []) => queryable.query(numbered(sql).text, [...parameters]).catch(fail);
  return {
    dialect: 'postgres',
    all: async <Row extends object>(sql: string, parameters?: readonly SqlValue[]) => (await query(sql, parameters)).rows as Row[],
    get: async <Row extends object>(sql: string, parameters?: readonly SqlValue[]) => (await query(sql, parameters)).rows[0] as Row | undefined,
    run: async (sql: string, parameters?: readonly SqlValue[]): Promise<SqlRunResult> => ({ changes: (await query(sql, parameters)).rowCount ?? 0 }),
    runBatch: async (sql: string, rows: ReadonlyArray<readonly SqlValue[]>) => {
      const insert = multiRowInsert(sql);
      if (!insert || rows.some((row) => row.length !== insert.width)) {
        for (const row of rows) await query(sql, row);
        return;
      }
      const chunk = Math.max(1, Math.min(1_000, Math.floor(MAX_PARAMETERS / insert.width)));
      for (let start = 0; start < rows.length; start += chunk) {
        const part = rows.slice(start, start + chunk);
        // Numbered here rather than through the cache: every chunk size would be a new cached text.
        await queryable.query(insert.sqlFor(part.length), part.flat()).catch(fail);
      }
    },
    exec: async (sql: string) => {
      // No parameters: pg uses the simple protocol, which accepts several statements.
      await queryable.query(sql).catch(fail);
    },
  };
}

/** An `INSERT … VALUES (?, …, ?) …` whose only placeholders are that tuple, as numbered text for n tuples. */
function multiRowInsert(sql: string): { width: number; sqlFor: (count: number) => string } | undefined {
  const match = /\bVALUES\s*(\(\s*\?(?:\s*,\s*\?)*\s*\))/i.exec(sql);
  if (!match || !/^\s*INSERT\b/i.test(sql)) return undefined;
  const width = (match[1] as string).split('?').length - 1;
  if (numbered(sql).count !== width) return undefined;
  const end = match.index + match[0].length;
  const before = sql.slice(0, end - (match[1] as string).length);
  const after = sql.slice(end);
  const tuple = (first: number) => `(${Array.from({ length: width }, (_, column) => `$${first + column + 1}`).join(', ')})`;
  return { width, sqlFor: (count) => `${before}${Array.from({ length: count }, (_, row) => tuple(row * width)).join(', ')}${after}` };
}

const translations = new Map<string, { text: string; count: number }>();

/** `?` placeholders as PostgreSQL's `$1…$n` (skipping quoted text and comments), and how many there are. */
export function numbered(sql: string): { text: string; count: number } {
  let translated = translations.get(sql);
  if (translated === undefined) {
    let count = 0;
    const text = sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\/|\?/g, (token) => (token === '?' ? `$${++count}` : token));
    translated = { text, count };
    translations.set(sql, translated);
  }
  return translated;
}

async function migrate(pool: pg.Pool, name: string, location: string): Promise<void> {
  const schema = quoteIdentifier(name);
  for (;;) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // Two processes opening a fresh schema at once: the second waits here, then finds the work done.
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [MIGRATION_LOCK_CLASS, name]);
      const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [name]);
      // Created only when missing: CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when the schema exists.
      if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${schema}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.segflow_schema (version INTEGER NOT NULL)`);
      const row = (await client.query<{ version: number }>(`SELECT version FROM ${schema}.segflow_schema`)).rows[0];
      const version = row?.version ?? 0;
      if (version > SCHEMA_VERSION) {
        throw new UserError(`${location} was written by a newer segflow (schema ${version}, this one knows ${SCHEMA_VERSION}): upgrade segflow`);
      }
      const next = migrationsFor('postgres', version)[0];
      if (next) {
        if (next.sql.trim() !== '') await client.query(next.sql);
        if (row) await client.query(`UPDATE ${schema}.segflow_schema SET version = $1`, [next.version]);
        else await client.query(`INSERT INTO ${schema}.segflow_schema (version) VALUES ($1)`, [next.version]);
      }
      await client.query('COMMIT');
      if (!next) return;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

function checkSchemaName(schema: string): string {
  if (/^[a-z_][a-z0-9_]{0,62}$/.test(schema) && !schema.startsWith('pg_')) return schema;
  throw new UserError(
    `"${schema}" cannot be a PostgreSQL state schema: use 1–63 lowercase letters, digits and _, not starting with a digit or pg_ (for example "${postgresSchemaName(schema)}")`,
  );
}

function quoteIdentifier(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** The URL for messages: no password, whether in the authority or in `?password=`. */
function withoutPassword(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError('the PostgreSQL state URL is not a valid URL (not shown: it may hold a password): expected postgres://user:password@host:port/database');
  }
  parsed.password = '';
  parsed.searchParams.delete('password');
  return parsed.toString();
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

/** Failures the user fixes (server down, wrong credentials, no database) as one line; anything else unchanged. */
function asUserError(error: unknown, location: string): Error {
  if (error instanceof UserError || !(error instanceof Error)) return error instanceof Error ? error : new Error(String(error));
  const code = (error as { code?: unknown }).code;
  const detail = (error.message || (error instanceof AggregateError ? String(error.errors[0]) : String(code))).replace(/\s+/g, ' ');
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) {
    return new UserError(`cannot reach PostgreSQL at ${location} (${detail}): check that the server is running and the URL's host and port`);
  }
  if (/timeout|terminated unexpectedly/i.test(error.message) && code === undefined) {
    return new UserError(`PostgreSQL at ${location} closed the connection or did not answer (${detail}): check that the server is running and reachable`);
  }
  if (code === '28P01' || code === '28000' || /\bSASL\b|password must be/i.test(error.message)) {
    return new UserError(`PostgreSQL at ${location} refused the login (${detail}): check the user and password in the state URL`);
  }
  if (code === '3D000') return new UserError(`${detail} on the PostgreSQL server at ${location}: create it (createdb) or fix the database in the state URL`);
  if (code === '42501') return new UserError(`PostgreSQL at ${location}: ${detail}: grant the user CREATE on the database, or create the schema for it`);
  if (code === '57P03' || code === '53300') return new UserError(`PostgreSQL at ${location} cannot take the connection now (${detail}): try again shortly`);
  return error;
}
