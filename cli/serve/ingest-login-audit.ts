import type { LoginAudit } from '../../core/audit/index.js';
import type { AuthGate } from './auth-gate.js';

/** The per-credential budgets the ingest routes ask (tracking API, webhooks, Mixpanel cohorts). */
export interface IngestBudgets {
  admit(bucket: string): number | undefined;
  refused(address: string): number | undefined;
}

/**
 * The gate's ingest budgets, with every ingest login noted in the audit
 * trail on the way (folded as the profile API's are: a key's first
 * acceptance each hour at once, the rest counted). The routes ask `admit`
 * once a credential is verified, with the write key's digest in hex (the
 * server keeps only digests) or `webhook:<source>` / `cohort:<source>` for a
 * signature or a Basic password, and `refused` for every credential that
 * failed; neither hands over the credential itself.
 */
export function ingestBudgets(gate: Pick<AuthGate, 'admitIngest' | 'refused'>, logins: LoginAudit, onError: (error: Error) => void): IngestBudgets {
  const note = (login: Parameters<LoginAudit['note']>[0]) => void logins.note(login).catch((error: unknown) => onError(error as Error));
  return {
    admit(bucket) {
      const wait = gate.admitIngest(bucket);
      const [kind, source] = bucket.includes(':') ? bucket.split(':', 2) : ['ingest', undefined];
      note({
        ...(kind === 'ingest' ? { keyDigest: Buffer.from(bucket, 'hex') } : {}),
        endpoint: kind === 'ingest' ? 'ingest' : `${kind}:${source ?? ''}`,
        outcome: wait === undefined ? 'accepted' : 'refused',
        ...(wait === undefined ? { scope: 'ingest' } : { reason: 'rate limited' }),
        knownKey: true,
      });
      return wait;
    },
    refused(address) {
      note({ endpoint: 'ingest', outcome: 'refused', reason: 'missing or unknown credential' });
      return gate.refused(address);
    },
  };
}
