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
  // Sync state (issue 3). What each sink acknowledged, per profile; the
  // memberships segflow added (only those are ever removed); the dead-letter queue.
  `CREATE TABLE sink_records (
     sink_id TEXT NOT NULL,
     profile_id TEXT NOT NULL,
     record_key TEXT NOT NULL,
     vendor_id TEXT,
     properties TEXT,
     -- Values sent but not yet confirmed (a crash between the call and the
     -- acknowledgement): the planner treats the vendor's value as unknown.
     pending_properties TEXT,
     acked_at TEXT NOT NULL,
     PRIMARY KEY (sink_id, profile_id)
   ) WITHOUT ROWID;
   CREATE TABLE sink_memberships (
     sink_id TEXT NOT NULL,
     profile_id TEXT NOT NULL,
     list_key TEXT NOT NULL,
     -- pending: an add was sent, outcome unknown; removing: a removal was sent, outcome unknown.
     state TEXT NOT NULL CHECK (state IN ('pending', 'member', 'removing')),
     PRIMARY KEY (sink_id, profile_id, list_key)
   ) WITHOUT ROWID;
   CREATE TABLE sink_dlq (
     id INTEGER PRIMARY KEY,
     sink_id TEXT NOT NULL,
     run_id TEXT NOT NULL,
     profile_id TEXT NOT NULL,
     op TEXT NOT NULL,
     list_key TEXT,
     fingerprint TEXT NOT NULL,
     change TEXT NOT NULL,
     error_code TEXT NOT NULL,
     error_message TEXT NOT NULL,
     failed_at TEXT NOT NULL,
     resolved_at TEXT
   );
   CREATE INDEX sink_dlq_open ON sink_dlq(sink_id, profile_id) WHERE resolved_at IS NULL;`,
  // Erasure requests: hashes of normalized keys (core/privacy/suppressions.ts), never raw identifiers.
  `CREATE TABLE suppressions (
     key_hash TEXT PRIMARY KEY,
     reason TEXT NOT NULL,
     requested_at TEXT NOT NULL
   ) WITHOUT ROWID;`,
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
