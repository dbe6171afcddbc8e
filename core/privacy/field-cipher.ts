import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { UserError } from '../errors/user-error.js';

/**
 * Encryption of single values at rest (state-store columns that hold raw
 * e-mails, phones and the traits a sink or trigger payload carries).
 *
 * AES-256-GCM, a fresh random 96-bit nonce per value (never derived from the
 * value, so equal e-mails do not give equal ciphertexts), and the key id in
 * the envelope so a value names the key that opens it:
 *
 *     enc:v1:<key id>:<base64url(nonce ‖ ciphertext ‖ 16-byte tag)>
 *
 * The `context` (e.g. `dead_letters.change`) is bound as additional
 * authenticated data: a ciphertext copied into another column fails to open
 * instead of being read as that column's value. The row is deliberately not
 * bound: state moves rows between profiles (relabels, merges) without
 * re-encrypting them.
 *
 * Several keys may be configured, the first being the one new values are
 * sealed with; the others only open older values until `segflow keys rotate`
 * has re-sealed them under the first. A value without the `enc:v1:` prefix
 * is plaintext written before encryption was configured, and reads as is.
 */
export interface FieldCipher {
  /** False when no key is configured: `seal` then returns its input. */
  readonly encrypting: boolean;
  /** Id of the key new values are sealed with (undefined without keys). */
  readonly currentKeyId: string | undefined;
  seal(plain: string, context: string): string;
  /** Throws a UserError naming `where` and the key id when the value cannot be opened. */
  open(stored: string, context: string, where: string): string;
  /** The key id a stored value was sealed with; undefined for plaintext. */
  keyIdOf(stored: string): string | undefined;
}

export interface FieldKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

/** Where the keys come from (field-cipher-env.ts parses it). */
export const PII_ENCRYPTION_KEYS_VARIABLE = 'SEGFLOW_PII_ENCRYPTION_KEYS';
export const ENVELOPE_PREFIX = 'enc:v1:';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** A cipher over `keys` (first = current); with no keys, values pass through unchanged. */
export function createFieldCipher(keys: readonly FieldKey[], random: (bytes: number) => Buffer = pooledRandomBytes()): FieldCipher {
  const byId = new Map<string, Buffer>();
  for (const { id, key } of keys) {
    if (!KEY_ID.test(id)) throw new Error(`key id "${id}" must be 1–32 letters, digits, "-" or "_"`);
    if (key.length !== 32) throw new Error(`key "${id}" must be 32 bytes for AES-256, not ${key.length}`);
    if (byId.has(id)) throw new Error(`key id "${id}" is listed twice`);
    byId.set(id, key);
  }
  const current = keys[0];
  return {
    encrypting: current !== undefined,
    currentKeyId: current?.id,
    seal(plain, context) {
      if (current === undefined) return plain;
      const nonce = random(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current.key, nonce);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([nonce, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${ENVELOPE_PREFIX}${current.id}:${body.toString('base64url')}`;
    },
    open(stored, context, where) {
      const envelope = parseEnvelope(stored);
      if (envelope === undefined) return stored;
      const key = byId.get(envelope.keyId);
      if (key === undefined) {
        const listed = byId.size === 0 ? `${PII_ENCRYPTION_KEYS_VARIABLE} is not set` : `${PII_ENCRYPTION_KEYS_VARIABLE} lists ${[...byId.keys()].join(', ')}`;
        throw new UserError(`${where} is encrypted with key "${envelope.keyId}", which is not configured (${listed}): add that key to ${PII_ENCRYPTION_KEYS_VARIABLE}, after the current one`);
      }
      const body = envelope.body;
      if (body.length < NONCE_BYTES + TAG_BYTES) throw tampered(where, envelope.keyId);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, NONCE_BYTES));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
        return Buffer.concat([decipher.update(body.subarray(NONCE_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw tampered(where, envelope.keyId);
      }
    },
    keyIdOf: (stored) => parseEnvelope(stored)?.keyId,
  };
}

/** Seals null as null: optional columns stay NULL, so `IS NULL` queries keep working. */
export function sealNullable(cipher: FieldCipher, plain: string | null, context: string): string | null {
  return plain === null ? null : cipher.seal(plain, context);
}

export function openNullable(cipher: FieldCipher, stored: string | null, context: string, where: string): string | null {
  return stored === null ? null : cipher.open(stored, context, where);
}

/**
 * randomBytes per call costs ~4 µs (a syscall-backed draw each time), as much
 * as the AES-GCM itself; drawing 12 KiB at once and slicing keeps nonces from
 * the same CSPRNG at a fraction of the cost. Slices never overlap.
 */
function pooledRandomBytes(poolBytes = 12 * 1024): (bytes: number) => Buffer {
  let pool = Buffer.alloc(0);
  let offset = 0;
  return (bytes) => {
    if (offset + bytes > pool.length) {
      pool = randomBytes(Math.max(poolBytes, bytes));
      offset = 0;
    }
    const slice = pool.subarray(offset, offset + bytes);
    offset += bytes;
    return slice;
  };
}

function parseEnvelope(stored: string): { keyId: string; body: Buffer } | undefined {
  if (!stored.startsWith(ENVELOPE_PREFIX)) return undefined;
  const rest = stored.slice(ENVELOPE_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon <= 0) return { keyId: rest, body: Buffer.alloc(0) };
  return { keyId: rest.slice(0, colon), body: Buffer.from(rest.slice(colon + 1), 'base64url') };
}

function tampered(where: string, keyId: string): UserError {
  return new UserError(`${where} does not decrypt under key "${keyId}": the value was altered or the key under that id is not the one it was written with (nothing was read)`);
}
