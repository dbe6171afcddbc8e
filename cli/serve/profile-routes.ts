import type { FastifyInstance } from 'fastify';
import { answerProfileRequest, type ProfileSnapshot } from '../../core/runtime/index.js';
import { createKeyCheck, presentedKey } from './api-key-auth.js';

/**
 * `GET /v1/profiles/:id`: a userId, an anonymousId or `email_sha256:<hex>`
 * → the profile's segments and the mapping's listed features, from the
 * snapshot of the last run (a Map lookup: no DuckDB on the request path).
 * The id is in the path, so the server's refusal log records the route
 * pattern only, never the id.
 */
export interface ProfileRoutesOptions {
  apiKeys: readonly string[];
  snapshot: () => ProfileSnapshot | null;
  onAnswer: (status: number) => void;
}

export async function registerProfileRoutes(app: FastifyInstance, options: ProfileRoutesOptions): Promise<void> {
  const allowed = createKeyCheck(options.apiKeys);
  app.get<{ Params: { id: string } }>('/v1/profiles/:id', async (request, reply) => {
    const send = (status: number, body: unknown) => {
      options.onAnswer(status);
      return reply.code(status).header('cache-control', 'no-store').send(body);
    };
    if (!allowed(presentedKey(request.headers))) {
      reply.header('www-authenticate', 'Bearer realm="segflow profiles"');
      return send(401, { error: 'missing or unknown API key: send Authorization: Bearer <key> (a key listed in serve.profile_api.api_keys)' });
    }
    const snapshot = options.snapshot();
    if (snapshot === null) {
      reply.header('retry-after', '60');
      return send(503, { error: 'no profiles yet: they are served from the last run (run the mapping, or wait for its schedule)' });
    }
    const answer = answerProfileRequest(snapshot, request.params.id);
    return send(answer.status, answer.body);
  });
}
