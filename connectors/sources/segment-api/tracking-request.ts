import { gunzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';

/** Segment's HTTP Tracking API limits (vendor-facts §6.3): larger gets 400. */
export const MAX_EVENT_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 500 * 1024;

export const SINGLE_EVENT_PATHS = {
  track: 'track', identify: 'identify', page: 'page', screen: 'screen', group: 'group', alias: 'alias',
} as const;
export type SingleEventPath = keyof typeof SINGLE_EVENT_PATHS;

/** Segment's user deletion as it forwards it to destinations (`type: "delete"`; destination functions get `onDelete`). */
export interface DeletionRequest {
  messageId: string;
  userId?: string;
  anonymousId?: string;
}

export type DecodedRequest =
  | { ok: true; writeKey: string | undefined; lines: string; events: number; deletions: DeletionRequest[] }
  | { ok: false; status: 400; message: string };

export interface DecodeOptions {
  /** `/v1/batch`, or the single-event path's type. */
  endpoint: 'batch' | SingleEventPath;
  body: Buffer;
  contentEncoding: string | undefined;
  receivedAt: string;
  maxEventBytes?: number;
}

const fail = (message: string): DecodedRequest => ({ ok: false, status: 400, message });

/**
 * One request body → the spool lines it becomes, or a 400 saying why.
 * Pure (but for the messageId it invents when a client sent none), so every
 * rule is tested without a server and fuzzed.
 *
 * - gzip is decoded whenever Content-Encoding says so, whatever the
 *   Content-Type label (RudderStack's and other clients label gzip bodies
 *   application/x-www-form-urlencoded);
 * - 500 KB per request (decoded) and 32 KB per event, as Segment: a request
 *   breaking either is refused whole, naming which;
 * - the batch's outer `context` and `integrations` are merged into each item
 *   (the item's own keys win);
 * - the write key never reaches the spool (it is a credential);
 * - a `type: "delete"` message is an erasure request, not an event: it is
 *   returned apart (`deletions`) and never becomes a spool line.
 */
export function decodeTrackingRequest(options: DecodeOptions): DecodedRequest {
  const maxEventBytes = options.maxEventBytes ?? MAX_EVENT_BYTES;
  let raw = options.body;
  const encoding = (options.contentEncoding ?? '').trim().toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') {
    try {
      raw = gunzipSync(raw, { maxOutputLength: MAX_BATCH_BYTES + 1 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger/.test((error as Error).message)) {
        return fail(`request body is over Segment's 500 KB batch limit once decompressed`);
      }
      return fail('request body says Content-Encoding: gzip but is not a complete gzip stream');
    }
  } else if (encoding !== '' && encoding !== 'identity') {
    return fail(`unsupported Content-Encoding "${encoding}" (gzip or none)`);
  }
  if (raw.length > MAX_BATCH_BYTES) {
    return fail(`request body is ${raw.length.toLocaleString('en-US')} bytes, over Segment's 500 KB batch limit: send smaller batches`);
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return fail('request body is not valid JSON');
  }
  if (!isObject(body)) return fail('request body must be a JSON object');
  const writeKey = typeof body.writeKey === 'string' ? body.writeKey : undefined;
  let items: unknown[];
  if (options.endpoint === 'batch') {
    if (!Array.isArray(body.batch)) return fail('"batch" must be an array of events');
    items = body.batch;
  } else {
    items = [{ ...body, type: SINGLE_EVENT_PATHS[options.endpoint] }];
  }
  const outerContext = isObject(body.context) ? body.context : undefined;
  const outerIntegrations = isObject(body.integrations) ? body.integrations : undefined;
  let lines = '';
  let events = 0;
  const deletions: DeletionRequest[] = [];
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    const where = options.endpoint === 'batch' ? `event ${index} of the batch` : 'the event';
    if (!isObject(item)) return fail(`${where} is not a JSON object`);
    if (item.type === 'delete') {
      const deletion = deletionOf(item);
      if (deletion === undefined) return fail(`${where} is a delete message without a "userId" (or "anonymousId"): nobody to erase`);
      deletions.push(deletion);
      continue;
    }
    const { writeKey: _ignored, ...event } = item;
    void _ignored;
    if (outerContext) event.context = { ...outerContext, ...(isObject(event.context) ? event.context : {}) };
    if (outerIntegrations) event.integrations = { ...outerIntegrations, ...(isObject(event.integrations) ? event.integrations : {}) };
    // Segment assigns one when a library sent none; without it the event could not be deduplicated.
    if (typeof event.messageId !== 'string' || event.messageId === '') event.messageId = `api-${randomUUID()}`;
    event.receivedAt = options.receivedAt;
    const text = JSON.stringify(event);
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > maxEventBytes) {
      return fail(`${where} (messageId ${String(event.messageId).slice(0, 64)}) is ${bytes.toLocaleString('en-US')} bytes, over Segment's 32 KB event limit`);
    }
    lines += `${text}\n`;
    events += 1;
  }
  return { ok: true, writeKey, lines, events, deletions };
}

function deletionOf(item: Record<string, unknown>): DeletionRequest | undefined {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  const userId = text(item.userId);
  const anonymousId = text(item.anonymousId);
  if (userId === undefined && anonymousId === undefined) return undefined;
  // Without a messageId every retry would be a new request; with Segment's, a retry is the same one.
  const messageId = text(item.messageId) ?? `delete-${userId ?? ''}:${anonymousId ?? ''}`;
  return { messageId, ...(userId !== undefined ? { userId } : {}), ...(anonymousId !== undefined ? { anonymousId } : {}) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
