import { createHmac, createVerify } from 'node:crypto';
import type { SimRequest, SimResponse } from '../../../../core/sync/simulation/index.js';
import { orgIdFor, shortId, userIdFor } from './org-identity.js';

export interface AccessTokenOptions {
  clientId: string;
  clientSecret: string;
  /** Session lifetime. @default 2 h (Salesforce's default session timeout) */
  ttlMs: number;
  /** PEM public key: when set, JWT bearer assertions must be signed with its private key; else signatures are not checked. */
  jwtPublicKey?: string;
  now: () => number;
  /** Folded into token values so two simulators never accept each other's tokens. */
  seed: number;
}

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * The OAuth side of the fake org: `POST /services/oauth2/token` for the
 * server-to-server grants (client credentials, JWT bearer; neither issues a
 * refresh token) and the session check every API call makes.
 */
export class AccessTokens {
  private readonly expiresAt = new Map<string, number>();
  private issued = 0;
  private clientSecret: string;
  private readonly orgId: string;
  private readonly userId: string;

  constructor(private readonly options: AccessTokenOptions) {
    this.clientSecret = options.clientSecret;
    this.orgId = orgIdFor(options.seed);
    this.userId = userIdFor(options.seed);
  }

  /** Rotates the connected app's secret: tokens keep working, new grants need the new secret. */
  setClientSecret(secret: string): void {
    this.clientSecret = secret;
  }

  /** Invalidates every issued token now (sessions expired or revoked). */
  expireAll(): void {
    this.expiresAt.clear();
  }

  /** True when the request carries a live `Authorization: Bearer` token. */
  authorizes(request: SimRequest): boolean {
    const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
    const expiry = match?.[1] === undefined ? undefined : this.expiresAt.get(match[1]);
    return expiry !== undefined && this.options.now() < expiry;
  }

  tokenEndpoint(request: SimRequest, instanceUrl: string): SimResponse {
    const form = new URLSearchParams(request.rawBody);
    const grant = form.get('grant_type');
    if (grant === 'client_credentials') {
      if (form.get('client_id') !== this.options.clientId || form.get('client_secret') !== this.clientSecret) {
        return { status: 400, body: { error: 'invalid_client', error_description: 'invalid client credentials' } };
      }
      return { status: 200, body: this.issue(instanceUrl) };
    }
    if (grant === JWT_BEARER) {
      const problem = this.assertionProblem(form.get('assertion') ?? '');
      if (problem) return { status: 400, body: { error: 'invalid_grant', error_description: problem } };
      return { status: 200, body: this.issue(instanceUrl) };
    }
    return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' } };
  }

  private issue(instanceUrl: string): Record<string, string> {
    this.issued += 1;
    const issuedAt = this.options.now();
    const token = `${shortId(this.orgId)}!AQ${this.options.seed.toString(36)}.sim${this.issued.toString(36)}${(issuedAt % 1_000_000).toString(36)}`;
    this.expiresAt.set(token, issuedAt + this.options.ttlMs);
    const id = `${instanceUrl}/id/${this.orgId}/${this.userId}`;
    return {
      access_token: token,
      instance_url: instanceUrl,
      id,
      token_type: 'Bearer',
      issued_at: String(issuedAt),
      signature: createHmac('sha256', this.clientSecret).update(`${id}${issuedAt}`).digest('base64'),
      scope: 'api',
    };
  }

  /** Checks the claims Salesforce checks (issuer = consumer key, subject, audience, expiry) and, with a key, the RS256 signature. */
  private assertionProblem(assertion: string): string | undefined {
    const [header, payload, signature] = assertion.split('.');
    if (!header || !payload || !signature) return 'invalid assertion';
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return 'invalid assertion';
    }
    if (claims.iss !== this.options.clientId) return 'invalid assertion: unknown issuer';
    if (typeof claims.sub !== 'string' || claims.sub === '') return 'invalid assertion: no subject';
    if (typeof claims.aud !== 'string') return 'invalid assertion: no audience';
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= this.options.now()) return 'expired authorization code';
    if (this.options.jwtPublicKey) {
      const verifier = createVerify('RSA-SHA256').update(`${header}.${payload}`);
      if (!verifier.verify(this.options.jwtPublicKey, Buffer.from(signature, 'base64url'))) return 'invalid assertion: bad signature';
    }
    return undefined;
  }
}
