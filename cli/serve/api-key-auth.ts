import { digestSecret, matchDigest, type SecretDigest } from '../../core/config/secret-digest.js';

/**
 * The server's Bearer keys, each with the scopes it grants: `profile` (the
 * profile API, `serve.profile_api.api_keys`) and `admin` (`/metrics`, the
 * `/healthz` details, `serve.admin_api_keys`). Write keys (`ingest`) are Basic
 * credentials of their source and checked by its routes. Only SHA-256 digests
 * are kept (hashed as the keys are resolved); a key listed under both options
 * holds both scopes.
 */
export type KeyScope = 'ingest' | 'profile' | 'admin';

export interface ScopedKey {
  digest: SecretDigest;
  scopes: ReadonlySet<KeyScope>;
}

export interface KeyRing {
  /** The presented key's entry, compared in constant time against every digest; undefined when unknown. */
  identify(presented: string | undefined): ScopedKey | undefined;
  /** Whether any key grants `scope`. */
  has(scope: KeyScope): boolean;
}

export function createKeyRing(grants: ReadonlyArray<{ digest: SecretDigest; scope: KeyScope }>): KeyRing {
  const byHex = new Map<string, { digest: SecretDigest; scopes: Set<KeyScope> }>();
  for (const grant of grants) {
    const hex = grant.digest.toString('hex');
    const entry = byHex.get(hex) ?? { digest: grant.digest, scopes: new Set<KeyScope>() };
    entry.scopes.add(grant.scope);
    byHex.set(hex, entry);
  }
  const entries = [...byHex.values()];
  const digests = entries.map((entry) => entry.digest);
  return {
    identify(presented) {
      const matched = matchDigest(presented, digests);
      return matched === undefined ? undefined : entries.find((entry) => entry.digest === matched);
    },
    has: (scope) => entries.some((entry) => entry.scopes.has(scope)),
  };
}

/** Resolved key texts → grants; the texts are not kept. */
export function grantsFor(keys: readonly string[], scope: KeyScope): Array<{ digest: SecretDigest; scope: KeyScope }> {
  return keys.map((key) => ({ digest: digestSecret(key), scope }));
}

/**
 * `Authorization: Bearer <key>` (the scheme in any case, as RFC 9110 says;
 * the key exactly as sent, one token), else `X-API-Key: <key>`.
 */
export function presentedKey(headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^bearer[ \t]+(\S+)$/i.exec(authorization.trim());
    if (match) return match[1];
  }
  const header = headers['x-api-key'];
  return typeof header === 'string' && header.trim() !== '' ? header.trim() : undefined;
}

/** The password of `Authorization: Basic base64(user:password)` (how a browser sends a key it asked for), else undefined. */
export function basicPassword(headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization !== 'string') return undefined;
  const match = /^basic[ \t]+([A-Za-z0-9+/]+={0,2})$/i.exec(authorization.trim());
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 || colon === decoded.length - 1 ? undefined : decoded.slice(colon + 1);
}
