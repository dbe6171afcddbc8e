import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { UserError } from '../errors/user-error.js';

/**
 * How erased identifiers are hashed in the shared suppression file. With
 * SEGFLOW_PII_KEY set: HMAC-SHA-256 under that key, so a copy of the file
 * (it is meant to be committed) does not let anyone test guessed emails.
 * Without a key: SHA-256 with a random salt stored in the file, which keeps
 * the file free of raw PII and its hashes unlinkable to other files, but
 * lets someone holding the file check a guessed address; forget says so.
 */
export const PII_KEY_VARIABLE = 'SEGFLOW_PII_KEY';

export type HashScheme =
  | { scheme: 'hmac-sha256'; keyCheck: string }
  | { scheme: 'sha256-salted'; salt: string };

export interface IdentifierHasher {
  readonly header: HashScheme;
  hash(identifier: string): string;
}

const KEY_CHECK_INPUT = 'segflow-suppressions:key-check';

/** The scheme a new file gets in this environment. */
export function newHashScheme(env: NodeJS.ProcessEnv, random: (bytes: number) => Buffer = randomBytes): HashScheme {
  const key = env[PII_KEY_VARIABLE];
  if (key !== undefined && key !== '') return { scheme: 'hmac-sha256', keyCheck: hmac(key, KEY_CHECK_INPUT) };
  return { scheme: 'sha256-salted', salt: random(16).toString('hex') };
}

/** The hasher for an existing file's scheme; refuses a missing or different key rather than miss a suppression. */
export function hasherFor(header: HashScheme, env: NodeJS.ProcessEnv, where: string): IdentifierHasher {
  if (header.scheme === 'sha256-salted') {
    return { header, hash: (identifier) => createHash('sha256').update(`${header.salt}:${identifier}`).digest('hex') };
  }
  const key = env[PII_KEY_VARIABLE];
  if (key === undefined || key === '') {
    throw new UserError(`${where} was written with a key: set ${PII_KEY_VARIABLE} to the same key, or erased people could not be recognised (nothing was done)`);
  }
  if (!sameHex(hmac(key, KEY_CHECK_INPUT), header.keyCheck)) {
    throw new UserError(`${where} was written with a different ${PII_KEY_VARIABLE}: set the key it was written with (nothing was done)`);
  }
  return { header, hash: (identifier) => hmac(key, identifier) };
}

function hmac(key: string, value: string): string {
  return createHmac('sha256', key).update(value).digest('hex');
}

function sameHex(left: string, right: string): boolean {
  const a = Buffer.from(left, 'hex');
  const b = Buffer.from(right, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
