import type { DuckDBConnection } from '@duckdb/node-api';
import type { JsonObject } from '../../events/canonical-event.js';
import type { TriggerEvent } from '../../triggers/trigger-types.js';

/**
 * The trigger engine's view of the event store: events stored after a
 * cursor, in store order. The cursor is (seq, messageId) because the rows
 * of one bulk file load share one seq. Reading is at-least-once (the cursor
 * is saved after the engine's commit); the engine drops a replayed
 * messageId, so a crash between the two fires nothing twice.
 */
export interface FeedCursor {
  seq: number;
  messageId: string;
}

export interface FedEvent {
  idKey: string;
  userId: string | null;
  anonymousId: string | null;
  event: TriggerEvent;
  /** Identify traits, when the event carries them. */
  traits: JsonObject | null;
  /** context.consent as stored (JSON text). */
  consent: string | null;
}

export const START_OF_FEED: FeedCursor = { seq: 0, messageId: '' };

const READ = `
  SELECT seq, message_id, type, event, id_key, user_id, anonymous_id, epoch_ms(ts) AS ts_ms, properties, traits, consent
  FROM events WHERE seq > $1 OR (seq = $1 AND message_id > $2)
  ORDER BY seq, message_id LIMIT $3`;

export async function readEventsAfter(duck: DuckDBConnection, cursor: FeedCursor, limit: number): Promise<{ events: FedEvent[]; cursor: FeedCursor }> {
  const reader = await duck.runAndReadAll(READ, [cursor.seq, cursor.messageId, limit]);
  const events: FedEvent[] = [];
  let last = cursor;
  for (const row of reader.getRows()) {
    const [seq, messageId, type, name, idKey, userId, anonymousId, tsMs, properties, traits, consent] = row as [bigint | number, string, string, string | null, string, string | null, string | null, bigint | number, string, string | null, string | null];
    events.push({
      idKey, userId, anonymousId, consent,
      traits: traits === null ? null : (parseObject(traits) ?? null),
      event: { messageId, type: type as TriggerEvent['type'], event: name, timestamp: Number(tsMs), properties: parseObject(properties) ?? {} },
    });
    last = { seq: Number(seq), messageId };
  }
  return { events, cursor: last };
}

export function parseCursor(text: string | undefined): FeedCursor {
  if (text === undefined) return START_OF_FEED;
  const parsed = JSON.parse(text) as Partial<FeedCursor>;
  return { seq: Number(parsed.seq ?? 0), messageId: String(parsed.messageId ?? '') };
}

function parseObject(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}
