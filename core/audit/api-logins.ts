import type { StoredAuditEntry } from './audit-entry.js';
import { appendAudit, type AuditTarget } from './append-audit.js';
import { digestFingerprint, secretFingerprint } from './hash-identifier.js';

/**
 * API logins in the trail (ingest write keys, profile-API keys). The actor
 * is the key (`api-key:<fingerprint>`), not this process; the credential
 * itself is fingerprinted at once and never kept.
 *
 * Every request authenticates, so one entry per request would make the trail
 * a request log (and an attacker trying keys would write thousands of
 * transactions). `loginAudit` folds them: a key's first acceptance in a
 * window is recorded at once, its later ones and every refusal are counted
 * and written by `flush` (on a timer, and at shutdown), one entry per
 * endpoint, outcome, key and scope or reason. A refused credential that is
 * no configured key is not named at all (its fingerprint identifies
 * nothing, and grouping by it would give each guess its own entry): those
 * are counted per endpoint and reason, with how many distinct ones came.
 */
export interface ApiLoginRecord {
  /** The credential presented; absent or empty when none was sent. */
  credential?: string;
  /** Instead of `credential`: the SHA-256 of a key the server matched by digest (ingest write keys are kept only so). */
  keyDigest?: Uint8Array;
  /** The endpoint family: `ingest`, `profile`, `admin`, `metrics`. */
  endpoint: string;
  outcome: 'accepted' | 'refused';
  /** The scope granted. */
  scope?: string;
  /** Why it was refused (`unknown key`, `wrong scope`, `missing`): never the credential. */
  reason?: string;
  /** The credential is a configured key (refused for its scope, or revoked): refusals then name it. @default false */
  knownKey?: boolean;
  /** Logins folded into this entry. @default 1 */
  count?: number;
}

type FoldedLogin = Omit<ApiLoginRecord, 'credential' | 'keyDigest' | 'knownKey'> & { keyFingerprint?: string; count: number; distinctCredentials?: Set<string> };

export function recordApiLogin(target: AuditTarget, login: ApiLoginRecord): Promise<StoredAuditEntry> {
  return appendLogin(target, folded(login));
}

export interface LoginAudit {
  /** Records or counts one authentication (see above). */
  note(login: ApiLoginRecord): Promise<void>;
  /** Writes what was counted since the last flush; a new window starts once `windowMs` has passed. */
  flush(): Promise<void>;
}

export interface LoginAuditOptions {
  now: () => number;
  /** How long a key's acceptance stays recorded before the next one is written at once again. @default 3_600_000 (an hour) */
  windowMs?: number;
}

export function loginAudit(target: AuditTarget, options: LoginAuditOptions): LoginAudit {
  const windowMs = options.windowMs ?? 3_600_000;
  let windowStart = options.now();
  let recorded = new Set<string>();
  let counted = new Map<string, FoldedLogin>();
  return {
    async note(login) {
      const next = folded(login);
      const firstAcceptance = login.outcome === 'accepted' && !recorded.has(next.keyFingerprint ?? '');
      if (firstAcceptance) {
        recorded.add(next.keyFingerprint ?? '');
        await appendLogin(target, next);
        return;
      }
      const group = loginGroup(next);
      const earlier = counted.get(group);
      if (earlier === undefined) counted.set(group, next);
      else {
        earlier.count += next.count;
        for (const credential of next.distinctCredentials ?? []) if ((earlier.distinctCredentials?.size ?? 0) < MAX_DISTINCT) earlier.distinctCredentials?.add(credential);
      }
    },
    async flush() {
      const due = [...counted.values()];
      counted = new Map();
      if (options.now() - windowStart >= windowMs) {
        windowStart = options.now();
        recorded = new Set();
      }
      for (const login of due) await appendLogin(target, login);
    },
  };
}

/** Distinct unknown credentials counted per group, at most (an attack must not grow memory). */
const MAX_DISTINCT = 10_000;

function folded(login: ApiLoginRecord): FoldedLogin {
  const { credential, keyDigest, knownKey, ...rest } = login;
  const fingerprint = credential !== undefined && credential !== '' ? secretFingerprint(credential) : keyDigest !== undefined ? digestFingerprint(keyDigest) : undefined;
  const base = { ...rest, count: login.count ?? 1 };
  if (fingerprint === undefined) return base;
  if (login.outcome === 'accepted' || knownKey === true) return { ...base, keyFingerprint: fingerprint };
  return { ...base, distinctCredentials: new Set([fingerprint]) };
}

function loginGroup(login: FoldedLogin): string {
  return JSON.stringify([login.endpoint, login.outcome, login.keyFingerprint ?? null, login.distinctCredentials !== undefined, login.scope ?? null, login.reason ?? null]);
}

function appendLogin(target: AuditTarget, login: FoldedLogin): Promise<StoredAuditEntry> {
  return appendAudit(target, 'api_login', {
    endpoint: login.endpoint, outcome: login.outcome,
    ...(login.keyFingerprint !== undefined ? { keyFingerprint: login.keyFingerprint } : {}),
    ...(login.scope !== undefined ? { scope: login.scope } : {}),
    ...(login.reason !== undefined ? { reason: login.reason } : {}),
    count: login.count,
    ...(login.distinctCredentials !== undefined ? { distinctCredentials: login.distinctCredentials.size } : {}),
  }, login.keyFingerprint !== undefined ? `api-key:${login.keyFingerprint}` : login.distinctCredentials !== undefined ? 'api-key:unknown' : 'api-key:none');
}
