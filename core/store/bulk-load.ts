import type { DuckDBConnection } from '@duckdb/node-api';
import type { JsonValue } from '../events/canonical-event.js';
import { fileSegmentTop, normalizedSegmentQuery } from '../events/normalize-segment-sql.js';
import type { BatchOutcome, NormalizeSettings } from './commit-batch.js';
import { DEDUP_ORDER, ID_KEY_SQL } from './event-store-schema.js';
import { MESSAGE_HASH_SQL } from './message-hash.js';

export interface BulkLoadRequest {
  sourceId: string;
  file: string;
  /** A larger record fails the load (ingest.max_event_bytes). */
  maxRecordBytes: number;
  cursor: JsonValue;
  nextSeq: number;
  normalize: NormalizeSettings;
}

/**
 * A whole clean Segment JSONL file in one transaction, parsed by DuckDB's
 * parallel reader straight from disk: no line crosses into JavaScript. The
 * load is all-or-nothing: unless every line parsed and took the fast path
 * (the same conservative rules as the staged path), it rolls back and
 * returns null, and the source reads the file line by line, which can name
 * each bad line in the quarantine. Duplicates are removed after the insert
 * (against stored events, then within the file), on the narrow columns.
 */
export async function bulkLoadSegmentFile(connection: DuckDBConnection, request: BulkLoadRequest): Promise<(BatchOutcome & { read: number; seqsUsed: number }) | null> {
  if (!(await linesWithinLimit(connection, request.file, request.maxRecordBytes))) return null;
  const base = request.nextSeq;
  const normalized = normalizedSegmentQuery(request.normalize, fileSegmentTop(request.file, request.maxRecordBytes));
  await connection.run('BEGIN TRANSACTION');
  try {
    try {
      await connection.run(`
        INSERT INTO events
        SELECT CAST($3 AS BIGINT), ${MESSAGE_HASH_SQL('message_id')}, $1,
               -- A line the fast path declines aborts the whole load.
               CASE WHEN fast THEN message_id ELSE error('segflow: line not eligible for the bulk path') END, type, event, user_id, anonymous_id,
               device_id, previous_id, ${ID_KEY_SQL}, epoch_ms(ts_ms), CASE WHEN received_ms IS NULL THEN NULL ELSE epoch_ms(received_ms) END,
               revenue, order_id, category, properties, traits, consent, $2, NULL
        FROM (${normalized})`, [request.sourceId, request.file, base + 1]);
    } catch {
      // Not parseable as a whole (a malformed line, a non-object line): the
      // line-by-line path will say which.
      await connection.run('ROLLBACK');
      return null;
    }
    // Every record became a row (the reader fails on a malformed line, the
    // insert on any line the fast path declines).
    const records = Number((await connection.runAndReadAll('SELECT count(*) FROM events WHERE seq > $1', [base])).getRows()[0]?.[0] ?? 0);
    // Counted now, removed after COMMIT (see pending_dedup): copies of events
    // already stored, and repeats within the file.
    // Strings are compared only inside hash groups that repeat (integers are
    // ~10x cheaper to group than message ids): the exact count, fast.
    const accepted = Number((await connection.runAndReadAll(`
      WITH load AS (SELECT mid_hash, message_id FROM events WHERE seq > $1),
      suspects AS (
        SELECT mid_hash FROM load GROUP BY mid_hash HAVING count(*) > 1
        UNION SELECT mid_hash FROM load WHERE mid_hash IN (SELECT mid_hash FROM events WHERE seq <= $1)),
      clear AS (SELECT count(*) AS n FROM load WHERE mid_hash NOT IN (SELECT mid_hash FROM suspects)),
      checked AS (
        SELECT count(DISTINCT n.message_id) AS n FROM load n
        WHERE n.mid_hash IN (SELECT mid_hash FROM suspects) AND NOT EXISTS (
          SELECT 1 FROM events o WHERE o.seq <= $1 AND o.mid_hash = n.mid_hash AND o.message_id = n.message_id))
      SELECT clear.n + checked.n FROM clear, checked`, [base])).getRows()[0]?.[0] ?? 0);
    await connection.run('INSERT INTO pending_dedup VALUES ($1)', [base + 1]);
    await connection.run(`
      INSERT INTO source_checkpoints VALUES ($1, $2, $3, $4, 0, $5, now())
      ON CONFLICT (source_id) DO UPDATE SET cursor = excluded.cursor,
        read_records = source_checkpoints.read_records + excluded.read_records,
        accepted_records = source_checkpoints.accepted_records + excluded.accepted_records,
        duplicate_records = source_checkpoints.duplicate_records + excluded.duplicate_records,
        updated_at = excluded.updated_at`,
      [request.sourceId, JSON.stringify(request.cursor), records, accepted, records - accepted]);
    await connection.run('COMMIT');
    await removeDuplicatesOfLoad(connection, base + 1);
    // The whole file shares one seq (its load): numbering rows would cost an
    // UPDATE of every row (2.7 s per million at commit) or a serial read.
    return { read: records, accepted, events: accepted, duplicates: records - accepted, quarantined: 0, seqsUsed: 1 };
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  }
}

/**
 * Whether every line of the file is at most `maxBytes` long. DuckDB's JSON
 * reader does not hold newline-delimited records to `maximum_object_size`
 * (a 30 MB line loads), so the lines are measured first by the CSV reader,
 * which enforces `max_line_size` in bytes, as the line path counts them. A
 * longer line (or anything else this scan declines) sends the file to the
 * line path, which rejects that line with its size. \x01 cannot appear in
 * valid JSON text, so each line is one field.
 */
async function linesWithinLimit(connection: DuckDBConnection, file: string, maxBytes: number): Promise<boolean> {
  try {
    await connection.run(`SELECT count(*) FROM read_csv('${file.replaceAll("'", "''")}', columns = {'line': 'VARCHAR'}, delim = '\x01',
      quote = '', escape = '', header = false, auto_detect = false, max_line_size = ${Math.max(1, Math.round(maxBytes))})`);
    return true;
  } catch {
    return false;
  }
}

/**
 * The second half of a bulk load: drop the load's copies of events stored
 * before it and its repeats of one messageId (keeping the copy DEDUP_ORDER
 * picks), then clear the marker. Idempotent; run again after a crash.
 */
export async function removeDuplicatesOfLoad(connection: DuckDBConnection, seq: number): Promise<void> {
  await connection.run('BEGIN TRANSACTION');
  try {
    await connection.run(`
      DELETE FROM events WHERE seq = $1 AND mid_hash IN (SELECT mid_hash FROM events WHERE seq < $1) AND EXISTS (
        SELECT 1 FROM events o WHERE o.seq < $1 AND o.mid_hash = events.mid_hash AND o.message_id = events.message_id)`, [seq]);
    await connection.run(`
      DELETE FROM events WHERE rowid IN (
        SELECT row FROM (
          SELECT rowid AS row, row_number() OVER (PARTITION BY message_id ORDER BY ${DEDUP_ORDER}, rowid) AS copy
          FROM events WHERE seq = $1 AND mid_hash IN (
            SELECT mid_hash FROM events WHERE seq = $1 GROUP BY mid_hash HAVING count(*) > 1))
        WHERE copy > 1)`, [seq]);
    await connection.run('DELETE FROM pending_dedup WHERE seq = $1', [seq]);
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  }
}

/** Finishes the duplicate removal of bulk loads a crash interrupted. */
export async function finishPendingDedups(connection: DuckDBConnection): Promise<void> {
  const pending = await connection.runAndReadAll('SELECT seq FROM pending_dedup ORDER BY seq');
  for (const [seq] of pending.getRows()) await removeDuplicatesOfLoad(connection, Number(seq));
}
