import type { Rng } from '../../../../core/random/rng.js';
import type { SimRequest, SimResponse } from '../../../../core/sync/simulation/index.js';
import type { ErrorBodies } from './error-bodies.js';

/**
 * Who may call the fake account. HubSpot private-app tokens never refresh,
 * so a sync that must survive an expired token needs an OAuth app: its
 * refresh token buys a new access token at `POST /oauth/v1/token`. The
 * simulator issues both at start (the sandbox account's credentials).
 */
export type TokenKind = 'private-app' | 'oauth';

interface IssuedToken {
  kind: TokenKind;
  /** Epoch ms; private-app tokens have none. */
  expiresAt: number | undefined;
}

export interface OAuthAppCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

/** Every scope the sink needs; tests take some away to see the 403. */
export const SINK_SCOPES = [
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.lists.read',
  'crm.lists.write',
  'behavioral_events.event_definitions.read_write',
  'analytics.behavioral_events.send',
] as const;

export type AuthOutcome = { ok: true; kind: TokenKind } | { ok: false; response: SimResponse };

export class TokenRegistry {
  readonly privateAppToken: string;
  readonly oauthApp: OAuthAppCredentials;
  /** An access token for the OAuth app, as an install would hand out. */
  readonly initialAccessToken: string;
  private readonly tokens = new Map<string, IssuedToken>();
  private scopes = new Set<string>(SINK_SCOPES);
  refreshes = 0;

  constructor(
    private readonly rng: Rng,
    private readonly errors: ErrorBodies,
    private readonly now: () => number,
    /** HubSpot OAuth access tokens live 30 minutes. */
    private readonly lifetimeMs: number,
  ) {
    this.privateAppToken = `pat-na1-${errors.correlationId()}`;
    this.tokens.set(this.privateAppToken, { kind: 'private-app', expiresAt: undefined });
    this.oauthApp = { clientId: errors.correlationId(), clientSecret: errors.correlationId(), refreshToken: `na1-${this.hex(4)}-${errors.correlationId()}` };
    this.initialAccessToken = this.issueAccessToken();
  }

  grantScopes(scopes: readonly string[]): void {
    this.scopes = new Set(scopes);
  }

  hasScope(scope: string): boolean {
    return this.scopes.has(scope);
  }

  /** Every token issued so far answers 401 from now on; the refresh token keeps working. */
  expireAll(): void {
    const at = this.now() - 1;
    for (const token of this.tokens.values()) token.expiresAt = at;
  }

  authenticate(authorization: string | undefined): AuthOutcome {
    const value = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const token = value === undefined ? undefined : this.tokens.get(value);
    if (!token) {
      return {
        ok: false,
        response: this.errors.respond(
          401,
          'INVALID_AUTHENTICATION',
          'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
        ),
      };
    }
    const now = this.now();
    if (token.expiresAt !== undefined && now >= token.expiresAt) {
      const ago = Math.max(0, Math.floor((now - token.expiresAt) / 1000));
      const message = token.kind === 'oauth' ? `The OAuth token used to make this call expired ${ago} second(s) ago.` : 'The access token used to make this call has expired.';
      return { ok: false, response: this.errors.respond(401, 'EXPIRED_AUTHENTICATION', message) };
    }
    return { ok: true, kind: token.kind };
  }

  /** `POST /oauth/v1/token` (form-encoded). Only the refresh grant is modelled. */
  handleTokenRequest(request: SimRequest): SimResponse {
    const form = new URLSearchParams(request.rawBody);
    const fail = (status: string, message: string): SimResponse => ({
      status: 400,
      body: { status, message, correlationId: this.errors.correlationId(), requestId: this.errors.correlationId() },
    });
    if (form.get('grant_type') !== 'refresh_token') return fail('BAD_GRANT_TYPE', 'missing or unsupported grant_type');
    if (form.get('client_id') !== this.oauthApp.clientId) return fail('BAD_CLIENT_ID', 'missing or unknown client id');
    if (form.get('client_secret') !== this.oauthApp.clientSecret) return fail('BAD_CLIENT_SECRET', 'missing or invalid client secret');
    if (form.get('refresh_token') !== this.oauthApp.refreshToken) return fail('BAD_REFRESH_TOKEN', 'missing or unknown refresh token');
    this.refreshes += 1;
    return {
      status: 200,
      body: { token_type: 'bearer', refresh_token: this.oauthApp.refreshToken, access_token: this.issueAccessToken(), expires_in: Math.floor(this.lifetimeMs / 1000) },
    };
  }

  private issueAccessToken(): string {
    const token = `C${this.hex(12)}`;
    this.tokens.set(token, { kind: 'oauth', expiresAt: this.now() + this.lifetimeMs });
    return token;
  }

  private hex(words: number): string {
    let out = '';
    for (let index = 0; index < words; index += 1) out += this.rng.uint32().toString(16).padStart(8, '0');
    return out;
  }
}
