import Database from 'better-sqlite3';

/**
 * Operational state in SQLite (WAL, so the CLI and `segflow serve` can share
 * it): identity graph, run history. Migrations are append-only; a state
 * directory written by an older segflow is upgraded in place.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE identity_nodes (
     identifier TEXT PRIMARY KEY,
     profile_id TEXT NOT NULL
   ) WITHOUT ROWID;
   CREATE INDEX identity_nodes_profile ON identity_nodes(profile_id);
   CREATE TABLE identity_merges (
     run_id TEXT NOT NULL,
     from_profile TEXT NOT NULL,
     into_profile TEXT NOT NULL,
     at TEXT NOT NULL
   );
   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE runs (
     run_id TEXT PRIMARY KEY,
     mapping TEXT NOT NULL,
     started_at TEXT NOT NULL,
     finished_at TEXT,
     status TEXT NOT NULL,
     summary TEXT
   );`,
];

export type StateDb = Database.Database;

export function openStateDb(path: string): StateDb {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let next = version; next < MIGRATIONS.length; next++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[next] as string);
      db.pragma(`user_version = ${next + 1}`);
    })();
  }
  return db;
}

export function getMeta(db: StateDb, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMeta(db: StateDb, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}
