import { generateKeyPairSync, verify, type KeyObject } from 'node:crypto';

/**
 * A throwaway service-account key. Its `universe_domain` is not
 * googleapis.com, so google-auth-library signs a self-signed JWT locally
 * (JWTAccess) instead of exchanging it at oauth2.googleapis.com: the real
 * client's credential path runs end to end, offline, and the fake checks the
 * signature with the public half.
 */
export interface FakeServiceAccount {
  /** The key file's JSON, as a user would put it in an environment variable. */
  json: string;
  email: string;
  publicKey: KeyObject;
}

export function createFakeServiceAccount(project = 'segflow-test'): FakeServiceAccount {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const email = `segflow-reader@${project}.iam.gserviceaccount.com`;
  const key = {
    type: 'service_account',
    project_id: project,
    private_key_id: 'fake-key-1',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: email,
    client_id: '1',
    universe_domain: 'segflow.invalid',
  };
  return { json: JSON.stringify(key), email, publicKey };
}

/** Whether an `Authorization` header carries an RS256 JWT from this account, signed by its key. */
export function verifyBearer(header: string | undefined, account: FakeServiceAccount): { ok: true } | { ok: false; why: string } {
  const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
  if (token === undefined) return { ok: false, why: 'no bearer token' };
  const [head, payload, signature] = token.split('.');
  if (head === undefined || payload === undefined || signature === undefined) return { ok: false, why: 'not a JWT' };
  const valid = verify('RSA-SHA256', Buffer.from(`${head}.${payload}`), account.publicKey, Buffer.from(signature, 'base64url'));
  if (!valid) return { ok: false, why: 'bad signature' };
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: string };
  return claims.iss === account.email ? { ok: true } : { ok: false, why: `issuer ${claims.iss ?? '(none)'}` };
}
