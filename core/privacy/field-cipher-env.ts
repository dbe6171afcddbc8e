import { resolveSecret, SECRET_REFERENCE } from '../config/secrets.js';
import { UserError } from '../errors/user-error.js';
import { createFieldCipher, PII_ENCRYPTION_KEYS_VARIABLE, type FieldCipher, type FieldKey } from './field-cipher.js';

/**
 * The field cipher this environment configures.
 *
 * SEGFLOW_PII_ENCRYPTION_KEYS="kid2:<base64 32 bytes>,kid1:<base64 32 bytes>":
 * the first key seals new values, every listed key opens values sealed with
 * it. The variable may instead hold `${file:/run/secrets/pii-keys}`, a
 * secret file (mode 0600 or stricter) with the same list, so the keys need
 * not sit in the process environment. Unset or empty: no encryption
 * (`encrypting` false), which `segflow run` and `validate` point out.
 *
 * Generate a key with `openssl rand -base64 32`.
 */
export function fieldCipherFromEnvironment(env: Readonly<Record<string, string | undefined>>): FieldCipher {
  const keys = fieldKeysFromEnvironment(env);
  try {
    return createFieldCipher(keys);
  } catch (error) {
    throw new UserError(`${PII_ENCRYPTION_KEYS_VARIABLE}: ${(error as Error).message}`, { cause: error });
  }
}

/** The listed keys, current first (empty when unset): `keys rotate` fingerprints them for the audit trail. */
export function fieldKeysFromEnvironment(env: Readonly<Record<string, string | undefined>>): FieldKey[] {
  const raw = env[PII_ENCRYPTION_KEYS_VARIABLE];
  if (raw === undefined || raw.trim() === '') return [];
  try {
    const text = SECRET_REFERENCE.test(raw.trim()) ? resolveSecret(raw.trim(), env as NodeJS.ProcessEnv, PII_ENCRYPTION_KEYS_VARIABLE) : raw;
    return parseFieldKeys(text);
  } catch (error) {
    throw new UserError(`${PII_ENCRYPTION_KEYS_VARIABLE}: ${(error as Error).message.replace(`${PII_ENCRYPTION_KEYS_VARIABLE}: `, '')}`, { cause: error });
  }
}

/** Parses `id:base64,id:base64`; messages name the entry by position and id, never the key. */
export function parseFieldKeys(text: string): FieldKey[] {
  const entries = text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (entries.length === 0) throw new Error('no key listed (expected id:base64key[,id:base64key…])');
  return entries.map((entry, index) => {
    const colon = entry.indexOf(':');
    if (colon <= 0) throw new Error(`entry ${index + 1} is not id:base64key (generate a key with: openssl rand -base64 32)`);
    const id = entry.slice(0, colon);
    const encoded = entry.slice(colon + 1);
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) throw new Error(`key "${id}" is not base64`);
    return { id, key: Buffer.from(encoded, encoded.includes('-') || encoded.includes('_') ? 'base64url' : 'base64') };
  });
}

/** The one line `run` and `validate` print when PII at rest is not encrypted; undefined when it is. */
export function unencryptedNote(cipher: FieldCipher): string | undefined {
  if (cipher.encrypting) return undefined;
  return `note: PII at rest is unencrypted (e-mails and phones in the state store's dead letters, sink state and trigger outbox); set ${PII_ENCRYPTION_KEYS_VARIABLE}=<id>:<base64 key> (openssl rand -base64 32) to encrypt them`;
}
