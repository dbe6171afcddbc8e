import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SPOOL_FILE } from '../ingest/spool/spool-files.js';
import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import type { SqlExecutor } from '../store/sql/sql-client.js';

/**
 * Makes deleted rows physically gone. A DELETE only marks rows: DuckDB keeps
 * them in its blocks (measured: CHECKPOINT, FORCE CHECKPOINT, VACUUM and
 * even CREATE TABLE AS + DROP leave every byte of an erased email in
 * events.duckdb), and SQLite keeps them in free pages. What works, measured
 * on the files: DuckDB, copying the database into a fresh file and swapping
 * it in; SQLite, VACUUM with secure_delete on, then a WAL checkpoint that
 * truncates the log. Call with the stores closed (DuckDB locks its file).
 */
export async function rewriteEventStore(path: string): Promise<void> {
  if (!existsSync(path)) return;
  const fresh = `${path}.rewrite`;
  for (const leftover of [fresh, `${fresh}.wal`]) rmSync(leftover, { force: true });
  const instance = await DuckDBInstance.create(path);
  try {
    const connection = await instance.connect();
    try {
      const name = String((await connection.runAndReadAll('SELECT current_database()')).getRows()[0]?.[0]);
      await connection.run('CHECKPOINT');
      await connection.run(`ATTACH '${fresh.replace(/'/g, "''")}' AS segflow_rewrite`);
      await connection.run(`COPY FROM DATABASE "${name.replace(/"/g, '""')}" TO segflow_rewrite`);
      await connection.run('DETACH segflow_rewrite');
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
  fsyncFile(fresh);
  // The old file (with the erased bytes) is replaced whole; its WAL was checkpointed into it.
  renameSync(fresh, path);
  rmSync(`${path}.wal`, { force: true });
  rmSync(`${fresh}.wal`, { force: true });
}

export function vacuumSqlite(path: string): void {
  if (!existsSync(path)) return;
  const db = new Database(path);
  try {
    db.pragma('secure_delete = ON');
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

/**
 * Quarantine files (`<state>/quarantine/*.jsonl`, one row a line) lose every
 * line whose sample belongs to the person; a file left empty is removed.
 * Rewritten to a new file and renamed over the old one. Returns lines removed.
 */
export function eraseFromQuarantineFiles(stateDir: string, belongs: (sample: string) => boolean): number {
  const directory = join(stateDir, 'quarantine');
  if (!existsSync(directory)) return 0;
  let removed = 0;
  for (const name of readdirSync(directory).filter((entry) => entry.endsWith('.jsonl'))) {
    const file = join(directory, name);
    const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line !== '');
    const kept = lines.filter((line) => !belongs(sampleOf(line)));
    if (kept.length === lines.length) continue;
    removed += lines.length - kept.length;
    if (kept.length === 0) {
      rmSync(file);
      continue;
    }
    const next = `${file}.rewrite`;
    writeFileSync(next, `${kept.join('\n')}\n`, { mode: 0o600 });
    fsyncFile(next);
    renameSync(next, file);
  }
  return removed;
}

/** The sample of one quarantine line; the whole line when it is not the JSON segflow wrote. */
function sampleOf(line: string): string {
  try {
    const row = JSON.parse(line) as { sample?: unknown };
    return typeof row.sample === 'string' ? row.sample : line;
  } catch {
    return line;
  }
}

function fsyncFile(path: string): void {
  const descriptor = openSync(path, 'r+');
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

/**
 * The ingest API's journals (`<state>/spool/<source>/*.jsonl`) keep the raw
 * messages of the file being written (loaded files are deleted). A line of
 * the person is overwritten in place with spaces of the same byte length:
 * offsets, and so every committed cursor, stay valid, and a blank line is
 * skipped when read. Returns lines blanked.
 */
export function eraseFromJournals(stateDir: string, belongs: (line: string) => boolean): number {
  const root = join(stateDir, 'spool');
  if (!existsSync(root)) return 0;
  let blanked = 0;
  for (const source of readdirSync(root)) {
    const directory = join(root, source);
    for (const name of readdirSync(directory).filter((entry) => SPOOL_FILE.test(entry))) {
      const file = join(directory, name);
      const bytes = readFileSync(file);
      let changed = false;
      for (let start = 0; start < bytes.length;) {
        let end = bytes.indexOf(0x0a, start);
        if (end === -1) end = bytes.length;
        if (end > start && belongs(bytes.toString('utf8', start, end))) {
          bytes.fill(0x20, start, end);
          changed = true;
          blanked++;
        }
        start = end + 1;
      }
      if (!changed) continue;
      const next = `${file}.rewrite`;
      writeFileSync(next, bytes, { mode: 0o600 });
      fsyncFile(next);
      renameSync(next, file);
    }
  }
  return blanked;
}

/**
 * PostgreSQL keeps deleted rows in the table's pages until VACUUM FULL
 * rewrites the table into new files (plain VACUUM only marks the space
 * reusable). Each mapping's state lives in its own schema, so every table of
 * that schema is rewritten, one at a time (each takes its table's exclusive
 * lock for the rewrite: a state table of thousands of rows takes
 * milliseconds). The WAL and any backups still hold the old rows until they
 * are recycled or expire: that is the database's retention, not segflow's.
 */
export async function vacuumPostgresState(sql: SqlExecutor): Promise<string[]> {
  const tables = await sql.all<{ tablename: string }>('SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename');
  for (const { tablename } of tables) await sql.exec(`VACUUM FULL "${tablename.replace(/"/g, '""')}"`);
  return tables.map((table) => table.tablename);
}
