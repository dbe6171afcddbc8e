/**
 * What a Segment source keeps from the calls it accepts, as far as a sink
 * can observe it: per userId the merged traits (identify merges: later
 * values overwrite keys, `null` included), messageId deduplication over
 * about 24 hours, and the events Segment answers 200 for but drops (they
 * show only in the Debugger: no userId/anonymousId, a track without a
 * name, the 2,501st event of a batch).
 */
export type DropReason = 'no_user_anon_id' | 'invalid_type' | 'track_without_event' | 'batch_over_event_limit' | 'rejected_by_fault_plan';

export interface DroppedEvent {
  reason: DropReason;
  messageId?: string;
  userId?: string;
}

export type Receipt = 'stored' | 'duplicate' | 'dropped';

export interface ProfileStore {
  /** Applies one event of a request (outer context already merged in). */
  receive(event: Record<string, unknown>, rejects: (userId: string) => boolean): Receipt;
  drop(event: Record<string, unknown>, reason: DropReason): void;
  users(): Map<string, Record<string, unknown>>;
  /** Arrivals per messageId, duplicates included. */
  messageCounts(): Map<string, number>;
  /** Audience display name → trait key, from `context.segflow` of membership calls. */
  audienceKey(name: string): string | undefined;
  dropped(): DroppedEvent[];
  counts(): { identifies: number; otherEvents: number; deduplicated: number };
}

/** Segment's deduplication look-back ("approximately 24 hours"). */
export const DEDUP_WINDOW_MS = 24 * 60 * 60 * 1_000;
const EVENT_TYPES = new Set(['identify', 'track', 'page', 'screen', 'group', 'alias']);

export function createProfileStore(now: () => number): ProfileStore {
  const users = new Map<string, Record<string, unknown>>();
  const messages = new Map<string, { count: number; windowStart: number }>();
  const audiences = new Map<string, string>();
  const dropped: DroppedEvent[] = [];
  const counts = { identifies: 0, otherEvents: 0, deduplicated: 0 };

  function drop(event: Record<string, unknown>, reason: DropReason): void {
    const messageId = stringField(event, 'messageId');
    const userId = stringField(event, 'userId');
    dropped.push({ reason, ...(messageId !== undefined ? { messageId } : {}), ...(userId !== undefined ? { userId } : {}) });
  }

  /** True when this messageId was already taken within the window (the event is then ignored). */
  function isDuplicate(messageId: string | undefined): boolean {
    // Segment stamps a messageId on events that arrive without one: those are never duplicates.
    if (messageId === undefined) return false;
    const at = now();
    const seen = messages.get(messageId);
    if (!seen) {
      messages.set(messageId, { count: 1, windowStart: at });
      return false;
    }
    seen.count += 1;
    if (at - seen.windowStart < DEDUP_WINDOW_MS) return true;
    seen.windowStart = at;
    return false;
  }

  return {
    receive(event, rejects) {
      const type = stringField(event, 'type');
      const userId = stringField(event, 'userId');
      if (type === undefined || !EVENT_TYPES.has(type)) return reject(event, 'invalid_type');
      if (userId === undefined && stringField(event, 'anonymousId') === undefined && type !== 'alias') return reject(event, 'no_user_anon_id');
      if (type === 'track' && stringField(event, 'event') === undefined) return reject(event, 'track_without_event');
      if (userId !== undefined && rejects(userId)) return reject(event, 'rejected_by_fault_plan');
      if (isDuplicate(stringField(event, 'messageId'))) {
        counts.deduplicated += 1;
        return 'duplicate';
      }
      if (type !== 'identify') {
        counts.otherEvents += 1;
        return 'stored';
      }
      counts.identifies += 1;
      rememberAudience(event);
      // An anonymous-only identify lands on an anonymous profile, which a userId sink never reads.
      if (userId === undefined) return 'stored';
      const traits = isRecord(event.traits) ? event.traits : {};
      users.set(userId, { ...users.get(userId), ...traits });
      return 'stored';
    },
    drop,
    users: () => new Map([...users].map(([userId, traits]) => [userId, { ...traits }])),
    messageCounts: () => new Map([...messages].map(([messageId, seen]) => [messageId, seen.count])),
    audienceKey: (name) => audiences.get(name),
    dropped: () => [...dropped],
    counts: () => ({ ...counts }),
  };

  function reject(event: Record<string, unknown>, reason: DropReason): Receipt {
    drop(event, reason);
    return 'dropped';
  }

  function rememberAudience(event: Record<string, unknown>): void {
    const segflow = isRecord(event.context) ? event.context.segflow : undefined;
    if (!isRecord(segflow)) return;
    const key = segflow.audience_key;
    const name = segflow.audience_name;
    if (typeof key === 'string' && typeof name === 'string') audiences.set(name, key);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(event: Record<string, unknown>, name: string): string | undefined {
  const value = event[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
