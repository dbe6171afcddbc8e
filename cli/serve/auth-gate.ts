import type { RateLimitsConfig } from '../../core/config/serve-schema.js';
import { DEFAULT_RATE_LIMITS } from '../../core/config/serve-schema.js';
import type { KeyRing, KeyScope } from './api-key-auth.js';
import { presentedKey } from './api-key-auth.js';
import { createRateLimiter } from './rate-limit.js';

/**
 * Every endpoint's credentials pass here: Bearer keys against the key ring
 * and its scopes, the per-key budgets (`serve.rate_limits`), and the
 * failed-auth budget per client address. Only refusals draw on the address
 * budget and it is consulted after the credential, so a valid key is never
 * held back by someone else's guessing behind the same address (a proxy).
 * What it does not do: an attacker who ignores 429 still learns, per
 * request, that a guess was wrong; key length is the defence against
 * guessing, the budget only slows it and keeps the logs readable.
 */
export type GateVerdict =
  | { ok: true }
  | { ok: false; status: 401 | 403 | 429; retryAfterSeconds?: number; message: string };

export interface AuthGate {
  /** A Bearer / X-API-Key request for `scope`. */
  bearer(request: { headers: Readonly<Record<string, string | string[] | undefined>>; ip: string }, scope: Exclude<KeyScope, 'ingest'>): GateVerdict;
  /** Whether the request carries a key with `scope` (no budgets drawn): /healthz's details. */
  holds(headers: Readonly<Record<string, string | string[] | undefined>>, scope: KeyScope): boolean;
  /** A refused credential from `address`: seconds to wait when the address is over budget. */
  refused(address: string): number | undefined;
  /** A verified ingest credential (write key digest hex, webhook, cohort login): seconds to wait when over budget. */
  admitIngest(bucket: string): number | undefined;
}

export interface AuthGateOptions {
  ring: KeyRing;
  limits?: RateLimitsConfig | undefined;
  /** Milliseconds, monotonic (performance.now in the server, stepped in tests). */
  now: () => number;
}

const KEY_HINT: Record<Exclude<KeyScope, 'ingest'>, string> = {
  profile: 'a key listed in serve.profile_api.api_keys',
  admin: 'a key listed in serve.admin_api_keys',
};

export function createAuthGate(options: AuthGateOptions): AuthGate {
  const limits = { ...DEFAULT_RATE_LIMITS, ...options.limits };
  const ingest = createRateLimiter({ perSecond: limits.ingest_per_second, now: options.now });
  const profile = createRateLimiter({ perSecond: limits.profile_per_second, now: options.now });
  const failures = createRateLimiter({ perSecond: limits.failed_auth_per_minute / 60, burst: limits.failed_auth_per_minute, now: options.now });
  const refused = (address: string) => failures.take(address);
  return {
    bearer(request, scope) {
      const key = options.ring.identify(presentedKey(request.headers));
      if (key === undefined) {
        const wait = refused(request.ip);
        if (wait !== undefined) return { ok: false, status: 429, retryAfterSeconds: wait, message: 'too many refused keys from this address; retry after the Retry-After delay' };
        return { ok: false, status: 401, message: `missing or unknown API key: send Authorization: Bearer <key> (${KEY_HINT[scope]})` };
      }
      if (!key.scopes.has(scope)) return { ok: false, status: 403, message: `this key does not grant the ${scope} scope (${KEY_HINT[scope]})` };
      if (scope === 'profile') {
        const wait = profile.take(key.digest.toString('hex'));
        if (wait !== undefined) return { ok: false, status: 429, retryAfterSeconds: wait, message: 'rate limit for this key exceeded (serve.rate_limits.profile_per_second); retry after the Retry-After delay' };
      }
      return { ok: true };
    },
    holds: (headers, scope) => options.ring.identify(presentedKey(headers))?.scopes.has(scope) ?? false,
    refused,
    admitIngest: (bucket) => ingest.take(bucket),
  };
}
