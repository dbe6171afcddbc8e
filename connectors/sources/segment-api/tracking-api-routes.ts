import type { KeyObject } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SecretDigest } from '../../../core/config/secret-digest.js';
import { matchWriteKey, requestWriteKey } from './write-key.js';
import { decodeTrackingRequest, SINGLE_EVENT_PATHS, type DeletionRequest, type SingleEventPath } from './tracking-request.js';
import { verifyWebhookSignature } from './webhook-signature.js';

/** What the routes need of one segment-api source, resolved by the server. */
export interface SegmentApiEndpoint {
  sourceId: string;
  /** SHA-256 of each write key (core/config/secret-digest.ts): the keys themselves are not kept. */
  writeKeys: readonly SecretDigest[];
  /** HMAC needs the secret itself; a KeyObject keeps it out of strings, logs and JSON. */
  webhookSecret?: KeyObject;
  /** Durable append (resolves after fsync). */
  append(lines: string): Promise<void>;
  /** True when the journal is too far ahead of the loader or the disk: answer 429. */
  saturated(): boolean;
  /**
   * Segment's delete messages, as erasure requests: resolves once they are
   * durable (suppressed, recorded for the next run). Absent: a delete is refused (400).
   */
  requestErasure?(deletions: readonly DeletionRequest[]): Promise<void>;
}

export interface SegmentApiRoutesOptions {
  endpoints: readonly SegmentApiEndpoint[];
  now: () => number;
  /** Seconds a saturated server asks clients to wait. @default 2 */
  retryAfterSeconds?: number;
  /** Counts for /metrics and the logs. */
  onAccepted?: (sourceId: string, events: number) => void;
  /**
   * Per-credential budget, asked once a credential is verified, with a bucket
   * name (a write key digest's hex, or `webhook:<source id>`): seconds until
   * the next request may pass (429), or undefined to admit. @default admit all
   */
  admit?: (bucket: string) => number | undefined;
  /**
   * Told of each refused credential with the client's address: seconds to wait
   * when that address is over its failed-auth budget (429 instead of 401).
   * Only refusals are counted, so a valid key is never held back. @default never
   */
  refused?: (address: string) => number | undefined;
}

/** Bodies above this are refused by Fastify itself (413); Segment's own 500 KB rule is ours (400, named). */
const RAW_BODY_LIMIT = 4 * 1024 * 1024;

/**
 * Segment's HTTP Tracking API (`/v1/batch`, `/v1/track`, …) and the Webhooks
 * destination receiver, answering 200 only once the events are durable.
 * Bodies are taken raw (a Buffer) whatever their Content-Type: gzip and
 * signatures need the bytes, and real clients mislabel both.
 */
export async function registerSegmentApiRoutes(app: FastifyInstance, options: SegmentApiRoutesOptions): Promise<void> {
  const retryAfter = String(options.retryAfterSeconds ?? 2);
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: RAW_BODY_LIMIT }, (_request, body, done) => done(null, body));

    const accept = async (endpoint: SegmentApiEndpoint, lines: string, events: number, deletions: readonly DeletionRequest[], reply: FastifyReply) => {
      if (endpoint.saturated()) {
        return reply.code(429).header('Retry-After', retryAfter).send({ success: false, error: 'ingest queue is full; retry after the Retry-After delay' });
      }
      if (deletions.length > 0) {
        if (endpoint.requestErasure === undefined) return reply.code(400).send({ success: false, error: 'this server does not take delete messages' });
        // Before the events of the same request are journaled: their load then finds the person suppressed.
        try {
          await endpoint.requestErasure(deletions);
        } catch (error) {
          reply.log.error({ source: endpoint.sourceId, err: { message: (error as Error).message } }, 'erasure request could not be recorded');
          return reply.code(503).header('Retry-After', retryAfter).send({ success: false, error: 'the delete request could not be made durable; retry' });
        }
        reply.log.info({ source: endpoint.sourceId, deletions: deletions.length }, 'erasure requests recorded');
      }
      try {
        if (lines !== '') await endpoint.append(lines);
      } catch (error) {
        reply.log.error({ source: endpoint.sourceId, err: { message: (error as Error).message } }, 'journal write failed');
        return reply.code(503).header('Retry-After', retryAfter).send({ success: false, error: 'events could not be made durable; retry' });
      }
      options.onAccepted?.(endpoint.sourceId, events);
      return reply.code(200).send({ success: true });
    };

    const allKeys = options.endpoints.flatMap((endpoint) => endpoint.writeKeys.map((digest) => ({ digest, endpoint })));
    const unauthorized = (request: FastifyRequest, reply: FastifyReply, message: string) => {
      const wait = options.refused?.(request.ip);
      if (wait !== undefined) return reply.code(429).header('Retry-After', String(wait)).send({ success: false, error: 'too many refused credentials from this address; retry after the Retry-After delay' });
      return reply.code(401).send({ success: false, error: message });
    };
    const overBudget = (bucket: string, reply: FastifyReply) => {
      const wait = options.admit?.(bucket);
      return wait === undefined ? undefined : reply.code(429).header('Retry-After', String(wait)).send({ success: false, error: 'rate limit for this key exceeded (serve.rate_limits.ingest_per_second); retry after the Retry-After delay' });
    };

    const tracking = (path: 'batch' | SingleEventPath) => async (request: FastifyRequest, reply: FastifyReply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const decoded = decodeTrackingRequest({
        endpoint: path, body, contentEncoding: header(request, 'content-encoding'), receivedAt: new Date(options.now()).toISOString(),
      });
      // The key is checked before the body's verdict is shown: an unauthenticated caller learns nothing.
      const key = requestWriteKey(header(request, 'authorization'), decoded.ok ? decoded.writeKey : bodyWriteKeyHint(body));
      const matched = matchWriteKey(key, allKeys.map((entry) => entry.digest));
      const endpoint = allKeys.find((entry) => entry.digest === matched)?.endpoint;
      if (!endpoint || !matched) {
        return unauthorized(request, reply, key === undefined ? 'missing write key (HTTP Basic "writeKey:" or writeKey in the body)' : 'unknown write key');
      }
      const limited = overBudget(matched.toString('hex'), reply);
      if (limited) return limited;
      if (!decoded.ok) {
        request.log.info({ source: endpoint.sourceId, reason: decoded.message }, 'request refused');
        return reply.code(400).send({ success: false, error: decoded.message });
      }
      return accept(endpoint, decoded.lines, decoded.events, decoded.deletions, reply);
    };

    scope.post('/v1/batch', tracking('batch'));
    for (const path of Object.keys(SINGLE_EVENT_PATHS) as SingleEventPath[]) scope.post(`/v1/${path}`, tracking(path));

    scope.post<{ Params: { sourceId: string } }>('/webhooks/segment/:sourceId', async (request, reply) => {
      const endpoint = options.endpoints.find((candidate) => candidate.sourceId === request.params.sourceId && candidate.webhookSecret !== undefined);
      if (!endpoint || endpoint.webhookSecret === undefined) return reply.code(404).send({ success: false, error: 'no webhook receiver for this source' });
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const verdict = verifyWebhookSignature(body, header(request, 'x-signature'), endpoint.webhookSecret);
      if (!verdict.ok) {
        // Logged without the payload: an attacker's body is not ours to keep.
        request.log.warn({ source: endpoint.sourceId, reason: verdict.reason }, 'webhook refused');
        return unauthorized(request, reply, verdict.reason);
      }
      const limited = overBudget(`webhook:${endpoint.sourceId}`, reply);
      if (limited) return limited;
      const items = Array.isArray(verdict.payload) ? verdict.payload : [verdict.payload];
      const decoded = decodeTrackingRequest({
        endpoint: 'batch', body: Buffer.from(JSON.stringify({ batch: items })), contentEncoding: undefined, receivedAt: new Date(options.now()).toISOString(),
      });
      if (!decoded.ok) return reply.code(400).send({ success: false, error: decoded.message });
      return accept(endpoint, decoded.lines, decoded.events, decoded.deletions, reply);
    });
  });
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A refused body may still name its write key; only the key is looked for, so the 401/400 order holds. */
function bodyWriteKeyHint(body: Buffer): string | undefined {
  const match = /"writeKey"\s*:\s*"([^"\\]{1,200})"/.exec(body.subarray(0, 4096).toString('utf8'));
  return match?.[1];
}
