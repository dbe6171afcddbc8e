import type { Rng } from '../../../../core/random/rng.js';
import type { SimRequest, SimResponse } from '../../../../core/sync/simulation/index.js';

/**
 * Marketo Identity (vendor-facts.md §3 "Auth"): client credentials in, one
 * bearer token out. Asking again before expiry returns the *same* token with
 * its remaining life; bad credentials are the one HTTP-level error (401).
 */
export type TokenState = 'valid' | 'expired' | 'invalid';

export interface TokenIssuer {
  handle(request: SimRequest): SimResponse;
  check(token: string): TokenState;
  /** Every issued token now answers 602; the next Identity call mints a new one. */
  expireAll(): void;
  readonly requests: number;
}

export interface TokenIssuerOptions {
  rng: Rng;
  now: () => number;
  lifetimeSeconds: number;
  clientId: string;
  clientSecret: string;
}

export function createTokenIssuer(options: TokenIssuerOptions): TokenIssuer {
  const expiries = new Map<string, number>();
  let current: string | undefined;
  let requests = 0;

  function mint(): string {
    const hex = Array.from({ length: 4 }, () => options.rng.uint32().toString(16).padStart(8, '0')).join('');
    const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    return `${uuid}:ab`;
  }

  function credentials(request: SimRequest): URLSearchParams {
    const merged = new URLSearchParams(request.query);
    if (/x-www-form-urlencoded/i.test(request.headers['content-type'] ?? '')) {
      for (const [name, value] of new URLSearchParams(request.rawBody)) merged.set(name, value);
    }
    return merged;
  }

  return {
    handle(request) {
      if (request.method !== 'GET' && request.method !== 'POST') return { status: 405, body: { error: 'method_not_allowed' } };
      requests += 1;
      const params = credentials(request);
      if (params.get('grant_type') !== 'client_credentials') {
        return { status: 400, body: { error: 'invalid_request', error_description: 'Missing grant type' } };
      }
      if (params.get('client_id') !== options.clientId || params.get('client_secret') !== options.clientSecret) {
        return { status: 401, body: { error: 'unauthorized', error_description: 'Bad client credentials' } };
      }
      const now = options.now();
      if (current === undefined || (expiries.get(current) ?? 0) <= now) {
        current = mint();
        expiries.set(current, now + options.lifetimeSeconds * 1_000);
      }
      const remainingMs = (expiries.get(current) ?? now) - now;
      return {
        status: 200,
        body: { access_token: current, token_type: 'bearer', expires_in: Math.max(0, Math.ceil(remainingMs / 1_000) - 1), scope: 'segflow-api-user@sandbox.marketo' },
      };
    },
    check(token) {
      const expiresAt = expiries.get(token);
      if (expiresAt === undefined) return 'invalid';
      return options.now() < expiresAt ? 'valid' : 'expired';
    },
    expireAll() {
      for (const token of expiries.keys()) expiries.set(token, Number.NEGATIVE_INFINITY);
    },
    get requests() {
      return requests;
    },
  };
}
