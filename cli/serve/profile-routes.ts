import type { FastifyInstance } from 'fastify';
import { answerProfileRequest, type ProfileSnapshot } from '../../core/runtime/index.js';
import { performance } from 'node:perf_hooks';
import { DEFAULT_RATE_LIMITS } from '../../core/config/serve-schema.js';
import { createKeyRing, grantsFor } from './api-key-auth.js';
import { createAuthGate, type AuthGate } from './auth-gate.js';

/**
 * `GET /v1/profiles/:id`: a userId, an anonymousId or `email_sha256:<hex>`
 * → the profile's segments and the mapping's listed features, from the
 * snapshot of the last run (a Map lookup: no DuckDB on the request path).
 * The id is in the path, so the server's refusal log records the route
 * pattern only, never the id. Keys need the `profile` scope (auth-gate.ts:
 * 401 unknown, 403 another scope's key, 429 over its budget).
 */
export interface ProfileRoutesOptions {
  /** The server's gate (scopes, budgets). */
  gate?: AuthGate;
  /** Without a gate: these keys, no per-key budget (bench/profile-api measures the route alone). */
  apiKeys?: readonly string[];
  snapshot: () => ProfileSnapshot | null;
  onAnswer: (status: number) => void;
}

export async function registerProfileRoutes(app: FastifyInstance, options: ProfileRoutesOptions): Promise<void> {
  const gate = options.gate ?? createAuthGate({
    ring: createKeyRing(grantsFor(options.apiKeys ?? [], 'profile')),
    limits: { ...DEFAULT_RATE_LIMITS, profile_per_second: Number.POSITIVE_INFINITY },
    now: () => performance.now(),
  });
  app.get<{ Params: { id: string } }>('/v1/profiles/:id', async (request, reply) => {
    const send = (status: number, body: unknown) => {
      options.onAnswer(status);
      return reply.code(status).header('cache-control', 'no-store').send(body);
    };
    const verdict = gate.bearer(request, 'profile');
    if (!verdict.ok) {
      if (verdict.status === 401) reply.header('www-authenticate', 'Bearer realm="segflow profiles"');
      if (verdict.retryAfterSeconds !== undefined) reply.header('retry-after', String(verdict.retryAfterSeconds));
      return send(verdict.status, { error: verdict.message });
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
