import { createSign } from 'node:crypto';

export interface JwtAssertionInput {
  /** Consumer key of the connected app (the `iss` claim). */
  clientId: string;
  /** The user the integration runs as (the `sub` claim). */
  username: string;
  /** https://login.salesforce.com, https://test.salesforce.com or the community URL. */
  audience: string;
  /** PEM RSA private key matching the certificate uploaded to the app. */
  privateKey: string;
  now: number;
}

/** Salesforce rejects assertions whose `exp` is more than 3 minutes away. */
const LIFETIME_SECONDS = 180;

/** The signed RS256 JWT for the OAuth 2.0 JWT bearer flow (no library: the format is three base64url parts). */
export function buildJwtAssertion(input: JwtAssertionInput): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ alg: 'RS256', typ: 'JWT' });
  const claims = encode({ iss: input.clientId, sub: input.username, aud: input.audience, exp: Math.floor(input.now / 1000) + LIFETIME_SECONDS });
  const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(input.privateKey).toString('base64url');
  return `${header}.${claims}.${signature}`;
}
