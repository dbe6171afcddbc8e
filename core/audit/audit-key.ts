import { hostname } from 'node:os';
import { UserError } from '../errors/user-error.js';

/**
 * Where the trail's MAC key and actor name come from: the environment only
 * (never the mapping, which is committed). Without a key the trail is a hash
 * chain, which catches an edit but not someone who rewrites every entry after
 * it; with one, that needs the key too (audit-entry.ts).
 */
export const AUDIT_KEY_VARIABLE = 'SEGFLOW_AUDIT_KEY';
export const AUDIT_ACTOR_VARIABLE = 'SEGFLOW_AUDIT_ACTOR';

/** A guessable key would make the MAC decorative. */
const MINIMUM_KEY_LENGTH = 16;

export function auditKey(env: NodeJS.ProcessEnv): string | undefined {
  const key = env[AUDIT_KEY_VARIABLE];
  if (key === undefined || key === '') return undefined;
  if (key.length < MINIMUM_KEY_LENGTH) {
    throw new UserError(`${AUDIT_KEY_VARIABLE} is ${key.length} characters long: use at least ${MINIMUM_KEY_LENGTH} random characters (for example \`openssl rand -hex 32\`)`);
  }
  return key;
}

/** Who acts, as the trail names them: SEGFLOW_AUDIT_ACTOR when set (a worker's name), else `segflow@<host>`. */
export function auditActor(env: NodeJS.ProcessEnv): string {
  const named = env[AUDIT_ACTOR_VARIABLE];
  return named !== undefined && named !== '' ? named : `segflow@${hostname()}`;
}
