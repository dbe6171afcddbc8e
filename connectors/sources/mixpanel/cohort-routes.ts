import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cohortWebhookFailure, handleCohortWebhook } from './cohort-webhook.js';
import { cohortSignalLines, parseCohortState, serializeCohortState } from './cohort-signals.js';
import type { SecretDigest } from '../../../core/config/secret-digest.js';
import { basicAuthMatches } from './webhook-auth.js';

/** One mixpanel source's cohort receiver, resolved by the server. */
export interface CohortEndpoint {
  sourceId: string;
  /** basicCredentialDigest(username, password): the credentials themselves are not kept. */
  auth: SecretDigest;
  /** Durable append to the cohort journal (resolves after fsync). */
  append(lines: string): Promise<void>;
  loadState(cohortKey: string): Promise<string | undefined>;
  saveState(cohortKey: string, state: string): Promise<void>;
}

/**
 * `POST /webhooks/mixpanel/:sourceId`: Mixpanel's cohort sync. Per cohort,
 * messages are applied one at a time (pages of one export may arrive
 * together). The signals are journaled before the cohort's state is saved:
 * a crash between the two makes the next message re-derive the same
 * change, whose lines the store then deduplicates (same body, same ids) or
 * simply repeats (entering twice is still entering).
 */
export interface CohortRoutesOptions {
  endpoints: readonly CohortEndpoint[];
  now: () => number;
  /** Per-login budget once the credentials are verified (bucket `cohort:<source id>`): seconds to wait (429), or undefined. @default admit all */
  admit?: (bucket: string) => number | undefined;
  /** Told of each refused login with the client's address: seconds to wait (429 instead of 401) when it is over its failed-auth budget. @default never */
  refused?: (address: string) => number | undefined;
}

/** A cohort arrives in pages of members with their properties; 16 MiB (the limit before this change) leaves room for wide ones. */
const BODY_LIMIT = 16 * 1024 * 1024;

export async function registerMixpanelCohortRoutes(app: FastifyInstance, options: CohortRoutesOptions): Promise<void> {
  const turns = new Map<string, Promise<unknown>>();
  const inTurn = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const result = (turns.get(key) ?? Promise.resolve()).then(work, work);
    turns.set(key, result.catch(() => undefined));
    return result;
  };
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_request, body, done) => done(null, body));
    const failure = (status: number, message: string) => ({ status: 'failure', error: { message, code: status } });
    // Credentials are checked on the headers, before the body is read: a caller without them cannot make the server buffer 16 MiB.
    const authenticate = async (request: FastifyRequest<{ Params: { sourceId: string } }>, reply: FastifyReply) => {
      const endpoint = options.endpoints.find((candidate) => candidate.sourceId === request.params.sourceId);
      if (!endpoint) return reply.code(404).send(failure(404, 'no cohort receiver for this source'));
      const authorization = request.headers.authorization;
      if (!basicAuthMatches(typeof authorization === 'string' ? authorization : undefined, endpoint.auth)) {
        request.log.warn({ source: endpoint.sourceId }, 'cohort webhook refused: bad credentials');
        const wait = options.refused?.(request.ip);
        if (wait !== undefined) return reply.code(429).header('Retry-After', String(wait)).send(failure(429, 'too many refused logins from this address; retry later'));
        return reply.code(401).header('WWW-Authenticate', 'Basic realm="segflow cohort webhook"').send(failure(401, 'unauthorized'));
      }
      const wait = options.admit?.(`cohort:${endpoint.sourceId}`);
      if (wait !== undefined) return reply.code(429).header('Retry-After', String(wait)).send(failure(429, 'rate limit exceeded (serve.rate_limits.ingest_per_second); retry later'));
      return undefined;
    };
    scope.post<{ Params: { sourceId: string } }>('/webhooks/mixpanel/:sourceId', { onRequest: authenticate }, async (request, reply) => {
      const endpoint = options.endpoints.find((candidate) => candidate.sourceId === request.params.sourceId)!;
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return reply.code(400).send({ action: '', status: 'failure', error: { message: 'body is not valid JSON', code: 400 } });
      }
      const probe = handleCohortWebhook(body, undefined);
      if (!probe.ok) return reply.code(400).send(probe.response);
      const digest = createHash('sha256').update(raw).digest('hex');
      try {
        const outcome = await inTurn(`${endpoint.sourceId}/${probe.cohortKey}`, async () => {
          const prior = parseCohortState(await endpoint.loadState(probe.cohortKey));
          const handled = handleCohortWebhook(body, prior);
          if (!handled.ok) return handled;
          if (handled.change) {
            const lines = cohortSignalLines(handled.change, handled.members, digest, new Date(options.now()).toISOString());
            if (lines !== '') await endpoint.append(lines);
          }
          await endpoint.saveState(handled.cohortKey, serializeCohortState(handled.state));
          return handled;
        });
        if (outcome.ok) request.log.info({ source: endpoint.sourceId, cohort: outcome.cohortKey, added: outcome.change?.add.length ?? 0, removed: outcome.change?.remove.length ?? 0, skipped: outcome.skipped.length }, 'cohort sync applied');
        return reply.code(outcome.httpStatus).send(outcome.response);
      } catch (error) {
        request.log.error({ source: endpoint.sourceId, err: { message: (error as Error).message } }, 'cohort sync failed');
        const failure = cohortWebhookFailure(String((body as { action?: unknown }).action ?? ''), 503, 'segflow could not store this cohort update; retry');
        return reply.code(failure.httpStatus).send(failure.response);
      }
    });
  });
}
