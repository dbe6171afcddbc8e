/**
 * DuckDB schema for events, quarantine, checkpoints and features. Versioned
 * with a tiny migrations table so an older state directory is upgraded in
 * place, never silently misread.
 */
export const EVENT_STORE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS events (
     -- Ingestion order: increases with every commit; the rows of one bulk
     -- file load share one value. A watermark, not an event id.
     seq BIGINT NOT NULL,
     mid_hash UBIGINT NOT NULL,
     source_id VARCHAR NOT NULL,
     message_id VARCHAR NOT NULL,
     type VARCHAR NOT NULL,
     event VARCHAR,
     user_id VARCHAR,
     anonymous_id VARCHAR,
     device_id VARCHAR,
     previous_id VARCHAR,
     id_key VARCHAR NOT NULL,
     ts TIMESTAMP NOT NULL,
     received_at TIMESTAMP,
     revenue DOUBLE,
     order_id VARCHAR,
     category VARCHAR,
     -- What features and privacy read, as JSON text: properties, traits
     -- (identify), consent (context.consent). Separate columns, because
     -- consent repeats per event and compresses to nearly nothing alone. The
     -- rest of a raw Segment message (library, ip, page) stays in the source.
     properties VARCHAR NOT NULL,
     traits VARCHAR,
     consent VARCHAR,
     origin_file VARCHAR,
     origin_line BIGINT
   );
   CREATE TABLE IF NOT EXISTS quarantine (
     run_id VARCHAR NOT NULL,
     source_id VARCHAR NOT NULL,
     file VARCHAR NOT NULL,
     line BIGINT NOT NULL,
     reason VARCHAR NOT NULL,
     sample VARCHAR NOT NULL
   );
   CREATE TABLE IF NOT EXISTS source_checkpoints (
     source_id VARCHAR PRIMARY KEY,
     cursor VARCHAR NOT NULL,
     read_records BIGINT NOT NULL,
     accepted_records BIGINT NOT NULL,
     quarantined_records BIGINT NOT NULL,
     duplicate_records BIGINT NOT NULL,
     updated_at TIMESTAMP NOT NULL
   );`,
  // Bulk file loads remove duplicates in a second transaction (deleting rows
  // a transaction itself appended cost 2 s per million at commit); this row,
  // committed with the load, says the cleanup is owed if a crash came between.
  `CREATE TABLE IF NOT EXISTS pending_dedup (seq BIGINT PRIMARY KEY);`,
];

/**
 * The identity key an event is attributed through: the userId when present,
 * else the anonymousId. Identity stitching maps every key to a profile, so a
 * merge re-attributes earlier events without rewriting them.
 */
export const ID_KEY_SQL = `CASE WHEN user_id IS NOT NULL THEN 'u:' || user_id ELSE 'a:' || anonymous_id END`;

/** Columns staged by the ingest loop, in appender order. */
export const STAGE_COLUMNS = `
  line_no BIGINT, message_id VARCHAR, type VARCHAR, event VARCHAR,
  user_id VARCHAR, anonymous_id VARCHAR, device_id VARCHAR, previous_id VARCHAR,
  ts_ms BIGINT, received_ms BIGINT, revenue DOUBLE, order_id VARCHAR, category VARCHAR,
  properties VARCHAR, traits VARCHAR, consent VARCHAR, origin_file VARCHAR, origin_line BIGINT, records INTEGER`;

/**
 * Which copy of a repeated messageId is kept: decided by content, not by
 * arrival order, so the staged and the bulk path keep the same one (retries
 * differ only in sentAt/receivedAt). Columns exist in events and stage rows.
 */
export const DEDUP_ORDER = 'ts, received_at NULLS LAST, properties, seq';
