import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import type { CanonicalEvent, JsonValue, RecordOrigin } from '../events/canonical-event.js';
import { EVENT_STORE_MIGRATIONS, ID_KEY_SQL, STAGE_COLUMNS } from './event-store-schema.js';

export interface SourceProgress {
  cursor: JsonValue;
  read: number;
  accepted: number;
  quarantined: number;
  duplicates: number;
}

export interface BatchOutcome {
  /** Input records stored as new events. */
  accepted: number;
  events: number;
  /** Input records whose messageId was already stored (or repeated in the batch). */
  duplicates: number;
  quarantined: number;
}

export interface EventStore {
  readonly connection: DuckDBConnection;
  progress(sourceId: string): Promise<SourceProgress | null>;
  stageEvent(event: CanonicalEvent, origin: RecordOrigin, records: number, payload: string): void;
  stageReject(origin: RecordOrigin, reason: string, sample: string): void;
  /** Staged rows not yet committed. */
  readonly staged: number;
  /**
   * Moves staged events into `events` (skipping known messageIds), staged
   * rejects into `quarantine`, and the source's cursor, in ONE transaction:
   * a crash before COMMIT replays from the previous cursor, a crash after it
   * resumes from this one. Either way every event is stored exactly once.
   */
  commit(sourceId: string, runId: string, cursor: JsonValue, read: number): Promise<BatchOutcome>;
  close(): void;
}

export async function openEventStore(path: string, options: { memoryLimit?: string; threads?: number } = {}): Promise<EventStore> {
  const instance = await DuckDBInstance.create(path, {
    memory_limit: options.memoryLimit ?? '1GB',
    threads: String(options.threads ?? 2),
    preserve_insertion_order: 'false',
  });
  const connection = await instance.connect();
  await migrate(connection);
  await connection.run(`CREATE TEMP TABLE stage_events (${STAGE_COLUMNS})`);
  await connection.run('CREATE TEMP TABLE stage_rejects (file VARCHAR, line BIGINT, reason VARCHAR, sample VARCHAR)');
  const events: DuckDBAppender = await connection.createAppender('stage_events', 'main', 'temp');
  const rejects: DuckDBAppender = await connection.createAppender('stage_rejects', 'main', 'temp');
  let staged = 0;
  let stagedRejects = 0;
  // One writer per state directory (DuckDB locks the file), so the sequence
  // can live here: nextval() per row cost 3x the whole insert.
  const maxSeq = await connection.runAndReadAll('SELECT coalesce(max(seq), 0) FROM events');
  let nextSeq = Number(maxSeq.getRows()[0]?.[0] ?? 0);

  const varchar = (appender: DuckDBAppender, value: string | null) => (value === null ? appender.appendNull() : appender.appendVarchar(value));

  return {
    connection,
    get staged() {
      return staged + stagedRejects;
    },
    async progress(sourceId) {
      const reader = await connection.runAndReadAll(
        'SELECT cursor, read_records, accepted_records, quarantined_records, duplicate_records FROM source_checkpoints WHERE source_id = $1',
        [sourceId],
      );
      const row = reader.getRows()[0];
      if (!row) return null;
      return {
        cursor: JSON.parse(String(row[0])) as JsonValue,
        read: Number(row[1]),
        accepted: Number(row[2]),
        quarantined: Number(row[3]),
        duplicates: Number(row[4]),
      };
    },
    stageEvent(event, origin, records, payload) {
      // Appender calls cross into native code once per value: the cheapest bulk
      // path the Node API offers (measured ~0.9M rows/s vs ~0.3M via CSV staging).
      events.appendBigInt(BigInt(staged));
      events.appendVarchar(event.messageId);
      events.appendVarchar(event.type);
      varchar(events, event.event);
      varchar(events, event.userId);
      varchar(events, event.anonymousId);
      varchar(events, event.deviceId);
      varchar(events, event.previousId);
      events.appendBigInt(BigInt(Math.round(event.timestamp)));
      if (event.receivedAt === null) events.appendNull();
      else events.appendBigInt(BigInt(Math.round(event.receivedAt)));
      if (event.revenue === null) events.appendNull();
      else events.appendDouble(event.revenue);
      varchar(events, event.orderId);
      varchar(events, event.category);
      events.appendVarchar(payload);
      events.appendVarchar(origin.file);
      events.appendBigInt(BigInt(origin.line));
      events.appendInteger(records);
      events.endRow();
      staged++;
    },
    stageReject(origin, reason, sample) {
      rejects.appendVarchar(origin.file);
      rejects.appendBigInt(BigInt(origin.line));
      rejects.appendVarchar(reason);
      rejects.appendVarchar(sample);
      rejects.endRow();
      stagedRejects++;
    },
    async commit(sourceId, runId, cursor, read) {
      events.flushSync();
      rejects.flushSync();
      const outcome = await commitStaged(connection, sourceId, runId, cursor, read, stagedRejects);
      nextSeq += outcome.events;
      staged = 0;
      stagedRejects = 0;
      return outcome;
    },
    close() {
      events.closeSync();
      rejects.closeSync();
      connection.closeSync();
      instance.closeSync();
    },
  };

  async function commitStaged(
    connectionToUse: DuckDBConnection, sourceId: string, runId: string, cursor: JsonValue, read: number, quarantined: number,
  ): Promise<BatchOutcome> {
    await connectionToUse.run('BEGIN TRANSACTION');
    try {
      // First occurrence within the batch wins (line order). Then anything
      // already stored is a duplicate. The check against stored events scans
      // only the 8-byte hash column; strings are compared only for the rare
      // hash hits, so a hash collision can never drop an event.
      await connectionToUse.run(`
        CREATE OR REPLACE TEMP TABLE stage_new AS
        SELECT *, hash(message_id) AS mid_hash FROM stage_events
        QUALIFY row_number() OVER (PARTITION BY message_id ORDER BY line_no) = 1`);
      const hits = await connectionToUse.runAndReadAll(
        'SELECT count(*) FROM stage_new WHERE mid_hash IN (SELECT mid_hash FROM events)');
      if (Number(hits.getRows()[0]?.[0] ?? 0) > 0) {
        await connectionToUse.run(`
          CREATE OR REPLACE TEMP TABLE stage_hits AS
          SELECT e.message_id FROM events e
          WHERE e.mid_hash IN (SELECT mid_hash FROM stage_new WHERE mid_hash IN (SELECT mid_hash FROM events))`);
        await connectionToUse.run('DELETE FROM stage_new WHERE message_id IN (SELECT message_id FROM stage_hits)');
        await connectionToUse.run('DROP TABLE stage_hits');
      }
      await connectionToUse.run(`
        INSERT INTO events
        SELECT CAST($2 AS BIGINT) + row_number() OVER (ORDER BY line_no), mid_hash, $1, message_id, type, event, user_id, anonymous_id, device_id, previous_id,
               ${ID_KEY_SQL}, epoch_ms(ts_ms), CASE WHEN received_ms IS NULL THEN NULL ELSE epoch_ms(received_ms) END,
               revenue, order_id, category, payload, origin_file, origin_line
        FROM stage_new`, [sourceId, nextSeq]);
      const counts = await connectionToUse.runAndReadAll(`
        SELECT (SELECT count(*) FROM stage_new), (SELECT coalesce(sum(records), 0) FROM stage_new),
               (SELECT coalesce(sum(records), 0) FROM stage_events)`);
      const row = counts.getRows()[0] ?? [0, 0, 0];
      const insertedIds = Number(row[0]);
      const accepted = Number(row[1]);
      const stagedRecords = Number(row[2]);
      await connectionToUse.run(
        `INSERT INTO quarantine SELECT $1, $2, file, line, reason, sample FROM stage_rejects`, [runId, sourceId]);
      await connectionToUse.run(`
        INSERT INTO source_checkpoints VALUES ($1, $2, $3, $4, $5, $6, now())
        ON CONFLICT (source_id) DO UPDATE SET cursor = excluded.cursor,
          read_records = source_checkpoints.read_records + excluded.read_records,
          accepted_records = source_checkpoints.accepted_records + excluded.accepted_records,
          quarantined_records = source_checkpoints.quarantined_records + excluded.quarantined_records,
          duplicate_records = source_checkpoints.duplicate_records + excluded.duplicate_records,
          updated_at = excluded.updated_at`,
        [sourceId, JSON.stringify(cursor), read, accepted, quarantined, stagedRecords - accepted]);
      await connectionToUse.run('COMMIT');
      await connectionToUse.run('DELETE FROM stage_events');
      await connectionToUse.run('DROP TABLE IF EXISTS stage_new');
      await connectionToUse.run('DELETE FROM stage_rejects');
      return { accepted, events: insertedIds, duplicates: stagedRecords - accepted, quarantined };
    } catch (error) {
      await connectionToUse.run('ROLLBACK');
      throw error;
    }
  }
}

async function migrate(connection: DuckDBConnection): Promise<void> {
  await connection.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)');
  const reader = await connection.runAndReadAll('SELECT coalesce(max(version), 0) FROM schema_migrations');
  const current = Number(reader.getRows()[0]?.[0] ?? 0);
  for (let version = current + 1; version <= EVENT_STORE_MIGRATIONS.length; version++) {
    await connection.run('BEGIN TRANSACTION');
    await connection.run(EVENT_STORE_MIGRATIONS[version - 1] as string);
    await connection.run('INSERT INTO schema_migrations VALUES ($1, now())', [version]);
    await connection.run('COMMIT');
  }
}
