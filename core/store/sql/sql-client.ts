/**
 * The one seam between operational state and a database: portable SQL with
 * `?` placeholders, run by a driver (SQLite embedded, PostgreSQL shared).
 * State modules (`core/store/state/*`) are written once against this, so both
 * drivers run the same statements and one contract suite covers both.
 *
 * Portable SQL here means: `?` placeholders (never a literal `?` in the text),
 * `INSERT … ON CONFLICT (…) DO …`, no `WITHOUT ROWID`, no `UPDATE OR IGNORE`,
 * JSON read back in TypeScript rather than with `json_extract`. Where the
 * dialects differ (migrations, upserts that need `excluded`), `dialect` says
 * which one runs.
 */
export type SqlDialect = 'sqlite' | 'postgres';

export type SqlValue = string | number | boolean | null;

export interface SqlRunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
}

export interface SqlExecutor {
  readonly dialect: SqlDialect;
  all<Row extends object>(sql: string, parameters?: readonly SqlValue[]): Promise<Row[]>;
  get<Row extends object>(sql: string, parameters?: readonly SqlValue[]): Promise<Row | undefined>;
  run(sql: string, parameters?: readonly SqlValue[]): Promise<SqlRunResult>;
  /**
   * One statement for many parameter rows, in order. Drivers may send an
   * `INSERT … VALUES (?, …)` as multi-row inserts (PostgreSQL does, in chunks
   * under its parameter limit), so the rows of one call must not conflict
   * with each other on the statement's ON CONFLICT target.
   */
  runBatch(sql: string, rows: ReadonlyArray<readonly SqlValue[]>): Promise<void>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface SqlClient extends SqlExecutor {
  /** Where the state lives, for messages: a file path, or a URL without its password. */
  readonly location: string;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back
   * when it throws. Statements issued on the client (not on `tx`) by other
   * callers never become part of it: SQLite (one connection) makes them wait
   * for the transaction to end; PostgreSQL runs them on another pooled
   * connection, where they see only committed work. Inside `work`, use `tx`
   * only: calling the client there can wait on the transaction itself.
   */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
