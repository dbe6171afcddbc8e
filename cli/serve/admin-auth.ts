import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { AuthGate } from './auth-gate.js';

/**
 * Who may read `/metrics` and the `/healthz` details (counts, backlog, the
 * last load error, next runs): holders of an admin key when
 * `serve.admin_api_keys` is set; otherwise anyone who can reach a loopback
 * listener, and a server listening elsewhere refuses to start, since it
 * would hand its counters to the network.
 */
export type AdminAccess = 'admin-key' | 'loopback-open';

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (bare === '::1') return true;
  return /^::ffff:127\./.test(bare);
}

/** Decided before the server opens anything; throws the startup error that names the option. */
export function adminAccess(hasAdminKeys: boolean, host: string): AdminAccess {
  if (hasAdminKeys) return 'admin-key';
  if (isLoopbackHost(host)) return 'loopback-open';
  throw new Error(
    `serve: --host ${host} is not a loopback address, and /metrics would be served there without authentication; ` +
      "set serve.admin_api_keys: ['${env:SEGFLOW_ADMIN_KEY}'] in the mapping (scrapers then send Authorization: Bearer <key>), or listen on 127.0.0.1",
  );
}

export interface AdminRoutesOptions {
  access: AdminAccess;
  gate: AuthGate;
  metrics: () => Promise<{ contentType: string; text: string }>;
  /** `ok` or `degraded`: what any caller (a load balancer) sees. */
  status: () => string;
  /** Counts and errors, for admins only. */
  details: () => Record<string, unknown>;
}

export async function registerAdminRoutes(app: FastifyInstance, options: AdminRoutesOptions): Promise<void> {
  app.get('/healthz', async (request, reply) => {
    const admin = options.access === 'loopback-open' || options.gate.holds(request.headers, 'admin');
    return reply.header('cache-control', 'no-store').send({ status: options.status(), ...(admin ? options.details() : {}) });
  });
  app.get('/metrics', async (request, reply) => {
    if (options.access === 'admin-key') {
      const verdict = options.gate.bearer(request, 'admin');
      if (!verdict.ok) {
        if (verdict.retryAfterSeconds !== undefined) reply.header('retry-after', String(verdict.retryAfterSeconds));
        if (verdict.status === 401) reply.header('www-authenticate', 'Bearer realm="segflow admin"');
        return reply.code(verdict.status).header('cache-control', 'no-store').send({ error: verdict.message });
      }
    }
    const { contentType, text } = await options.metrics();
    return reply.header('content-type', contentType).header('cache-control', 'no-store').send(text);
  });
}
