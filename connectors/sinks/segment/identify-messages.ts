import { createHash } from 'node:crypto';
import type { PropertyValue, SinkChange } from '../../../core/sync/sink.js';

/**
 * How segflow's changes become Segment identify calls (pure: no I/O).
 *
 * - `upsert` / `update` → `identify({ userId: key, traits: properties })`.
 *   Identify merges traits, so the properties segflow owns overwrite their
 *   keys and leave everything else on the profile alone; `null` clears a
 *   value. (Whether an update may be sent at all is the sink's decision.)
 * - `list-add` / `list-remove` → the trait `<list key>: true | false`: the
 *   shape Engage uses for audience membership (a boolean trait named after
 *   the audience key, true on entry and false on exit), so downstream
 *   destinations and Engage audiences can read it like any audience.
 *   `context.segflow` names the audience, so the Segment debugger (and a
 *   person reading a profile) can tell where the boolean comes from.
 */
export interface IdentifyMessage {
  userId: string;
  traits: Record<string, PropertyValue>;
  messageId: string;
  context?: { segflow: { audience_key: string; audience_name?: string } };
}

/** Segment's per-event limit (HTTP Tracking API "Max request size"); the simulator counts it the same way. */
export const MAX_EVENT_BYTES = 32 * 1_024;
/** What the SDK keeps each request under: 500 KB minus padding (`MAX_BATCH_SIZE_IN_KB = 480`). */
export const MAX_REQUEST_BYTES = 480 * 1_024;
/**
 * Fields the SDK adds to every event before sending (timestamp,
 * context.library, _metadata, integrations, type): about 230 bytes on
 * Node 20; 512 keeps the estimate on the safe side of the 32 KB limit.
 */
export const SDK_FIELDS_ALLOWANCE_BYTES = 512;
/** `{"batch":[…],"writeKey":"…","sentAt":"…"}` around the events. */
const REQUEST_ENVELOPE_BYTES = 512;

export interface MessageOptions {
  /** Display names from the last `prepare`, by list key. */
  listNames: ReadonlyMap<string, string>;
  /** What a replay shares and a later sync does not: the sync run's id (see `messageIdFor`). */
  scope: string;
}

/** The identify call for one change, or `undefined` for an operation a tracking call cannot express (delete). */
export function identifyFor(change: SinkChange, options: MessageOptions): IdentifyMessage | undefined {
  const userId = change.record.key;
  switch (change.op) {
    case 'upsert':
    case 'update': {
      const traits = { ...change.properties };
      return { userId, traits, messageId: messageIdFor(change.record.profileId, userId, change.op, traits, options) };
    }
    case 'list-add':
    case 'list-remove': {
      const traits = { [change.list]: change.op === 'list-add' };
      const name = options.listNames.get(change.list);
      return {
        userId,
        traits,
        messageId: messageIdFor(change.record.profileId, userId, change.op, traits, options),
        context: { segflow: { audience_key: change.list, ...(name !== undefined ? { audience_name: name } : {}) } },
      };
    }
    case 'delete':
      return undefined;
  }
}

/**
 * Segment drops a message whose messageId it saw in roughly the last 24
 * hours. The id is a hash of (profile, operation, content, scope), so a
 * batch retried after a lost response within the run is deduplicated
 * instead of delivered twice.
 *
 * Content alone is not enough: a profile that goes A → B → A within 24 h
 * would send A's id twice and Segment would silently drop the second A
 * (its traits would stay at B). The scope is the sync run, so a later run's
 * return to the same content gets a new id. A run that re-sends after a
 * crash (a new run) delivers twice, which is harmless for identify (the
 * merge is idempotent); a dropped update is not. (A time window served as
 * the scope before; it still dropped A, B, A within the window.)
 */
export function messageIdFor(profileId: string, userId: string, op: string, traits: Record<string, PropertyValue>, options: Pick<MessageOptions, 'scope'>): string {
  const digest = createHash('sha256').update(JSON.stringify([profileId, userId, op, sortedEntries(traits), options.scope])).digest('hex');
  // Segment asks for messageIds under 100 characters.
  return `segflow-${digest.slice(0, 40)}`;
}

function sortedEntries(traits: Record<string, PropertyValue>): Array<[string, PropertyValue]> {
  return Object.entries(traits).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Upper estimate of the event's size as Segment measures it (UTF-8 bytes of its JSON), SDK-added fields included. */
export function estimatedEventBytes(message: IdentifyMessage): number {
  return Buffer.byteLength(JSON.stringify({ type: 'identify', ...message }), 'utf8') + SDK_FIELDS_ALLOWANCE_BYTES;
}

/**
 * Splits messages into requests that stay under 480 KB, keeping order. The
 * SDK has the same guard, but its byte count is broken in 3.1.0 (it counts
 * `%XX` escapes and the letter "i", not bytes: segmentio/analytics-next
 * PR #1390), so plain-ASCII traits are never split by it and a large batch
 * would reach Segment as a 400 for every record in it.
 */
export function groupBySize<T>(items: readonly T[], sizeOf: (item: T) => number, maxBytes: number = MAX_REQUEST_BYTES): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let bytes = REQUEST_ENVELOPE_BYTES;
  for (const item of items) {
    const size = sizeOf(item) + 1;
    if (current.length > 0 && bytes + size > maxBytes) {
      groups.push(current);
      current = [];
      bytes = REQUEST_ENVELOPE_BYTES;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
