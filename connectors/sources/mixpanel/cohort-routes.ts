import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { cohortWebhookFailure, handleCohortWebhook } from './cohort-webhook.js';
import { cohortSignalLines, parseCohortState, serializeCohortState } from './cohort-signals.js';
import { basicAuthMatches } from './webhook-auth.js';

/** One mixpanel source's cohort receiver, resolved by the server. */
export interface CohortEndpoint {
  sourceId: string;
  auth: { username: string; password: string };
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
export async function registerMixpanelCohortRoutes(app: FastifyInstance, options: { endpoints: readonly CohortEndpoint[]; now: () => number }): Promise<void> {
  const turns = new Map<string, Promise<unknown>>();
  const inTurn = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const result = (turns.get(key) ?? Promise.resolve()).then(work, work);
    turns.set(key, result.catch(() => undefined));
    return result;
  };
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 16 * 1024 * 1024 }, (_request, body, done) => done(null, body));
    scope.post<{ Params: { sourceId: string } }>('/webhooks/mixpanel/:sourceId', async (request, reply) => {
      const endpoint = options.endpoints.find((candidate) => candidate.sourceId === request.params.sourceId);
      if (!endpoint) return reply.code(404).send({ status: 'failure', error: { message: 'no cohort receiver for this source', code: 404 } });
      const authorization = request.headers.authorization;
      if (!basicAuthMatches(typeof authorization === 'string' ? authorization : undefined, endpoint.auth)) {
        request.log.warn({ source: endpoint.sourceId }, 'cohort webhook refused: bad credentials');
        return reply.code(401).send({ status: 'failure', error: { message: 'unauthorized', code: 401 } });
      }
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
