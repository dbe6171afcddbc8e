import type { SqlDialect } from './sql-client.js';

/**
 * The operational-state schema, append-only, one entry per version, with the
 * statements each dialect runs. Versions 1–3 are the SQLite layout segflow
 * wrote before state moved behind the StateStore (a state file written by an
 * older segflow is upgraded in place); PostgreSQL has no such history, so its
 * version 1 creates what SQLite's 1–3 did and its 2–3 are empty.
 *
 * Version 4 keys sink state by the vendor account a sink writes to (not by
 * the sink's id) and adds locks. Old rows are kept under `legacy-sink:<id>`
 * and adopted once by the first sync of that sink id (sink-account-state.ts).
 *
 * Version 5 holds the trigger engine's state (trigger-state.ts): one row per
 * profile (its state as JSON), its pending timers, the outbox of actions,
 * hold counters and the event clock, all written by one transaction.
 *
 * Version 7 holds the audit trail (audit-log.ts): hash-chained entries, the
 * one-row head each append locks and updates, and triggers that refuse
 * UPDATE and DELETE on the entries.
 */
export interface Migration {
  version: number;
  sqlite: string;
  postgres: string;
}

const IDENTITY_AND_RUNS = `
  CREATE TABLE identity_nodes (identifier TEXT PRIMARY KEY, profile_id TEXT NOT NULL);
  CREATE INDEX identity_nodes_profile ON identity_nodes(profile_id);
  CREATE TABLE identity_merges (run_id TEXT NOT NULL, from_profile TEXT NOT NULL, into_profile TEXT NOT NULL, at TEXT NOT NULL);
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE runs (run_id TEXT PRIMARY KEY, mapping TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL, summary TEXT);
  CREATE TABLE suppressions (key_hash TEXT PRIMARY KEY, reason TEXT NOT NULL, requested_at TEXT NOT NULL);`;

const ACCOUNT_TABLES = `
  CREATE TABLE sink_acks (
    account TEXT NOT NULL,
    profile_id TEXT NOT NULL,
    record_key TEXT NOT NULL,
    vendor_id TEXT,
    properties TEXT,
    -- Values sent but not yet confirmed (a crash between the call and the
    -- acknowledgement): the planner treats the vendor's value as unknown.
    pending_properties TEXT,
    acked_at TEXT NOT NULL,
    PRIMARY KEY (account, profile_id)
  );
  CREATE TABLE sink_lists (
    account TEXT NOT NULL,
    profile_id TEXT NOT NULL,
    list_key TEXT NOT NULL,
    -- pending: an add was sent, outcome unknown; removing: a removal was sent, outcome unknown.
    state TEXT NOT NULL CHECK (state IN ('pending', 'member', 'removing')),
    PRIMARY KEY (account, profile_id, list_key)
  );
  CREATE TABLE sink_accounts (
    account TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    last_sink_id TEXT NOT NULL,
    first_synced_at TEXT NOT NULL,
    last_synced_at TEXT NOT NULL
  );
  CREATE TABLE locks (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at BIGINT NOT NULL);`;

const DEAD_LETTER_COLUMNS = `
    account TEXT NOT NULL,
    sink_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    profile_id TEXT NOT NULL,
    record_key TEXT NOT NULL,
    op TEXT NOT NULL,
    list_key TEXT,
    fingerprint TEXT NOT NULL,
    change TEXT NOT NULL,
    error_code TEXT NOT NULL,
    error_message TEXT NOT NULL,
    failed_at TEXT NOT NULL,
    resolved_at TEXT,
    -- retried (un-parked), discarded (stays parked until the record's desired state changes), applied, superseded.
    resolution TEXT`;

// Times are milliseconds as DOUBLE PRECISION: exact for every integer a date needs, read back by pg as a
// number (BIGINT comes back as a string), and able to hold the -Infinity clock of an engine that has seen nothing.
const TRIGGER_TABLES = `
  CREATE TABLE trigger_clock (id INTEGER PRIMARY KEY CHECK (id = 1), event_time DOUBLE PRECISION NOT NULL);
  CREATE TABLE trigger_profiles (profile_id TEXT PRIMARY KEY, state TEXT NOT NULL);
  CREATE TABLE trigger_timers (
    profile_id TEXT NOT NULL,
    trigger_id TEXT NOT NULL,
    timer_id TEXT NOT NULL,
    due_at DOUBLE PRECISION NOT NULL,
    fire_at DOUBLE PRECISION NOT NULL,
    -- A firing deferred by quiet hours (JSON), judged again when the timer fires.
    deferred TEXT,
    PRIMARY KEY (profile_id, trigger_id, timer_id)
  );
  -- "Due before t, earliest first" reads this index in order; profile_id makes ties deterministic and the scan index-only.
  CREATE INDEX trigger_timers_fire ON trigger_timers(fire_at, profile_id);
  CREATE TABLE trigger_outbox (
    id TEXT PRIMARY KEY,
    trigger_id TEXT NOT NULL,
    profile_id TEXT NOT NULL,
    sink TEXT NOT NULL,
    fired_at DOUBLE PRECISION NOT NULL,
    action TEXT NOT NULL,
    -- Set by the delivery layer once the vendor has it.
    delivered_at DOUBLE PRECISION
  );
  CREATE TABLE trigger_holds (trigger_id TEXT NOT NULL, reason TEXT NOT NULL, held BIGINT NOT NULL, PRIMARY KEY (trigger_id, reason));`;

// What delivery did with each outbox row: NULL while owed; retry_at holds a retryable failure back.
const ACTION_DELIVERY = `
  ALTER TABLE trigger_outbox ADD COLUMN outcome TEXT CHECK (outcome IN ('delivered', 'skipped', 'dead'));
  ALTER TABLE trigger_outbox ADD COLUMN detail TEXT;
  ALTER TABLE trigger_outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE trigger_outbox ADD COLUMN retry_at DOUBLE PRECISION;
  CREATE INDEX trigger_outbox_owed ON trigger_outbox(fired_at, id) WHERE outcome IS NULL;`;

// seq is INTEGER in both (pg reads it back as a number); the head row exists from the start, so appends lock it.
const AUDIT_TABLES = `
  CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL,
    mac TEXT
  );
  CREATE INDEX audit_log_kind ON audit_log(kind, seq);
  CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
  INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${'0'.repeat(64)}');`;

const AUDIT_APPEND_ONLY_SQLITE = `
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;`;

const AUDIT_APPEND_ONLY_POSTGRES = `
  CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
  CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE PROCEDURE audit_log_refuse_change();`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, sqlite: IDENTITY_AND_RUNS.replace('CREATE TABLE suppressions (key_hash TEXT PRIMARY KEY, reason TEXT NOT NULL, requested_at TEXT NOT NULL);', ''), postgres: IDENTITY_AND_RUNS },
  {
    version: 2,
    sqlite: `CREATE TABLE sink_records (sink_id TEXT NOT NULL, profile_id TEXT NOT NULL, record_key TEXT NOT NULL, vendor_id TEXT, properties TEXT, pending_properties TEXT, acked_at TEXT NOT NULL, PRIMARY KEY (sink_id, profile_id)) WITHOUT ROWID;
      CREATE TABLE sink_memberships (sink_id TEXT NOT NULL, profile_id TEXT NOT NULL, list_key TEXT NOT NULL, state TEXT NOT NULL CHECK (state IN ('pending', 'member', 'removing')), PRIMARY KEY (sink_id, profile_id, list_key)) WITHOUT ROWID;
      CREATE TABLE sink_dlq (id INTEGER PRIMARY KEY, sink_id TEXT NOT NULL, run_id TEXT NOT NULL, profile_id TEXT NOT NULL, op TEXT NOT NULL, list_key TEXT, fingerprint TEXT NOT NULL, change TEXT NOT NULL, error_code TEXT NOT NULL, error_message TEXT NOT NULL, failed_at TEXT NOT NULL, resolved_at TEXT);`,
    postgres: '',
  },
  { version: 3, sqlite: 'CREATE TABLE suppressions (key_hash TEXT PRIMARY KEY, reason TEXT NOT NULL, requested_at TEXT NOT NULL) WITHOUT ROWID;', postgres: '' },
  {
    version: 4,
    sqlite: `${ACCOUNT_TABLES}
      CREATE TABLE dead_letters (id INTEGER PRIMARY KEY, ${DEAD_LETTER_COLUMNS});
      INSERT INTO sink_acks SELECT 'legacy-sink:' || sink_id, profile_id, record_key, vendor_id, properties, pending_properties, acked_at FROM sink_records;
      INSERT INTO sink_lists SELECT 'legacy-sink:' || sink_id, profile_id, list_key, state FROM sink_memberships;
      INSERT INTO dead_letters (account, sink_id, run_id, profile_id, record_key, op, list_key, fingerprint, change, error_code, error_message, failed_at, resolved_at, resolution)
        SELECT 'legacy-sink:' || sink_id, sink_id, run_id, profile_id, coalesce(json_extract(change, '$.record.key'), ''), op, list_key, fingerprint, change, error_code, error_message, failed_at, resolved_at, CASE WHEN resolved_at IS NULL THEN NULL ELSE 'superseded' END FROM sink_dlq;
      DROP TABLE sink_records; DROP TABLE sink_memberships; DROP TABLE sink_dlq;
      CREATE INDEX dead_letters_open ON dead_letters(account, profile_id) WHERE resolved_at IS NULL;
      CREATE INDEX dead_letters_key ON dead_letters(record_key);`,
    postgres: `${ACCOUNT_TABLES}
      CREATE TABLE dead_letters (id BIGSERIAL PRIMARY KEY, ${DEAD_LETTER_COLUMNS});
      CREATE INDEX dead_letters_open ON dead_letters(account, profile_id) WHERE resolved_at IS NULL;
      CREATE INDEX dead_letters_key ON dead_letters(record_key);`,
  },
  { version: 5, sqlite: TRIGGER_TABLES, postgres: TRIGGER_TABLES },
  { version: 6, sqlite: ACTION_DELIVERY, postgres: ACTION_DELIVERY },
  { version: 7, sqlite: `${AUDIT_TABLES}${AUDIT_APPEND_ONLY_SQLITE}`, postgres: `${AUDIT_TABLES}${AUDIT_APPEND_ONLY_POSTGRES}` },
];

export function migrationsFor(dialect: SqlDialect, fromVersion: number): Array<{ version: number; sql: string }> {
  return MIGRATIONS.filter((migration) => migration.version > fromVersion).map((migration) => ({ version: migration.version, sql: migration[dialect] }));
}

export const SCHEMA_VERSION = MIGRATIONS.length;
