import type { DuckDBConnection } from '@duckdb/node-api';
import type { JsonValue } from '../events/canonical-event.js';
import { normalizeSegmentSql } from '../events/normalize-segment-sql.js';
import type { Stager } from './stager.js';
import { ID_KEY_SQL } from './event-store-schema.js';
import { MESSAGE_HASH_SQL } from './message-hash.js';

/** DEDUP_ORDER over staged columns (ms instead of timestamps, line instead of seq). */
const STAGE_DEDUP_ORDER = 'ts_ms, received_ms NULLS LAST, properties, line_no';
import { normalizeStagedFallbacks } from './raw-fallback.js';
import type { NormalizeSettings } from './stager.js';

export interface BatchOutcome {
  /** Input records stored as new events. */
  accepted: number;
  events: number;
  /** Input records whose messageId was already stored (or repeated in the batch). */
  duplicates: number;
  quarantined: number;
}

export type { NormalizeSettings } from './stager.js';

export interface CommitRequest {
  sourceId: string;
  runId: string;
  cursor: JsonValue;
  read: number;
  nextSeq: number;
  normalize: NormalizeSettings;
  stager: Stager;
  /** [path, file_id] of staged raw lines; empty when none were staged. */
  rawFiles: Array<[string, number]>;
  flush(): void;
  rejectsBefore(): number;
}

/** One batch, one transaction: normalization, dedup, insert, quarantine, cursor. */
export async function commitStaged(connection: DuckDBConnection, request: CommitRequest): Promise<BatchOutcome> {
  if (request.rawFiles.length > 0) await normalizeRaw(connection, request);
  request.flush();
  const quarantined = request.rejectsBefore();
  await connection.run('BEGIN TRANSACTION');
  try {
    // One copy per messageId within the batch (chosen by content, as the
    // bulk path chooses: see DEDUP_ORDER). Then anything
    // already stored is a duplicate (mid_hash: see message-hash.ts). The check against stored events scans
    // only the 8-byte hash column; strings are compared only for the rare
    // hash hits, so a hash collision can never drop an event.
    await connection.run(`
      CREATE OR REPLACE TEMP TABLE stage_new AS
      SELECT *, ${MESSAGE_HASH_SQL('message_id')} AS mid_hash FROM stage_events
      QUALIFY row_number() OVER (PARTITION BY message_id ORDER BY ${STAGE_DEDUP_ORDER}) = 1`);
    const hits = await connection.runAndReadAll('SELECT count(*) FROM stage_new WHERE mid_hash IN (SELECT mid_hash FROM events)');
    if (Number(hits.getRows()[0]?.[0] ?? 0) > 0) {
      await connection.run(`
        CREATE OR REPLACE TEMP TABLE stage_hits AS
        SELECT e.message_id FROM events e
        WHERE e.mid_hash IN (SELECT mid_hash FROM stage_new WHERE mid_hash IN (SELECT mid_hash FROM events))`);
      await connection.run('DELETE FROM stage_new WHERE message_id IN (SELECT message_id FROM stage_hits)');
      await connection.run('DROP TABLE stage_hits');
    }
    // seq = batch base + staging order: unique and increasing without a sort
    // (gaps where duplicates were dropped are harmless).
    await connection.run(`
      INSERT INTO events
      SELECT CAST($2 AS BIGINT) + line_no + 1, mid_hash, $1, message_id, type, event, user_id, anonymous_id, device_id, previous_id,
             ${ID_KEY_SQL}, epoch_ms(ts_ms), CASE WHEN received_ms IS NULL THEN NULL ELSE epoch_ms(received_ms) END,
             revenue, order_id, category, properties, traits, consent, origin_file, origin_line
      FROM stage_new`, [request.sourceId, request.nextSeq]);
    const counts = await connection.runAndReadAll(`
      SELECT (SELECT count(*) FROM stage_new), (SELECT coalesce(sum(records), 0) FROM stage_new),
             (SELECT coalesce(sum(records), 0) FROM stage_events)`);
    const row = counts.getRows()[0] ?? [0, 0, 0];
    const inserted = Number(row[0]);
    const accepted = Number(row[1]);
    const stagedRecords = Number(row[2]);
    await connection.run('INSERT INTO quarantine SELECT $1, $2, file, line, reason, sample FROM stage_rejects', [request.runId, request.sourceId]);
    await connection.run(`
      INSERT INTO source_checkpoints VALUES ($1, $2, $3, $4, $5, $6, now())
      ON CONFLICT (source_id) DO UPDATE SET cursor = excluded.cursor,
        read_records = source_checkpoints.read_records + excluded.read_records,
        accepted_records = source_checkpoints.accepted_records + excluded.accepted_records,
        quarantined_records = source_checkpoints.quarantined_records + excluded.quarantined_records,
        duplicate_records = source_checkpoints.duplicate_records + excluded.duplicate_records,
        updated_at = excluded.updated_at`,
      [request.sourceId, JSON.stringify(request.cursor), request.read, accepted, quarantined, stagedRecords - accepted]);
    await connection.run('COMMIT');
    await connection.run('DELETE FROM stage_events');
    await connection.run('DELETE FROM stage_rejects');
    await connection.run('DROP TABLE IF EXISTS stage_new');
    return { accepted, events: inserted, duplicates: stagedRecords - accepted, quarantined };
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  }
}

/**
 * Raw Segment lines: DuckDB normalizes the ordinary ones in bulk; the rest go
 * through normalizeSegmentMessage (the reference, and author of every reason).
 */
async function normalizeRaw(connection: DuckDBConnection, request: CommitRequest): Promise<void> {
  await connection.run('CREATE OR REPLACE TEMP TABLE stage_files (file_id INTEGER, path VARCHAR)');
  for (const [path, fileId] of request.rawFiles) await connection.run('INSERT INTO stage_files VALUES ($1, $2)', [fileId, path]);
  await connection.run(normalizeSegmentSql(request.normalize));
  await connection.run(`
    INSERT INTO stage_events
    SELECT r.line_no, r.message_id, r.type, r.event, r.user_id, r.anonymous_id, r.device_id, r.previous_id,
           r.ts_ms, r.received_ms, r.revenue, r.order_id, r.category, r.properties, r.traits, r.consent, f.path, r.line, 1
    FROM raw_normalized r JOIN stage_files f USING (file_id) WHERE r.fast`);
  const slow = await connection.runAndReadAll(`
    SELECT r.line_no, f.path, r.line, r.text FROM raw_normalized r JOIN stage_files f USING (file_id)
    WHERE NOT r.fast ORDER BY r.line_no`);
  normalizeStagedFallbacks(slow.getRows(), request.stager, request.normalize);
  await connection.run('DROP TABLE raw_normalized');
  await connection.run('DELETE FROM stage_raw');
}
