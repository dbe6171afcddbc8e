import type { AuditDetail, AuditKind, StoredAuditEntry } from './audit-entry.js';
import { auditActor, auditKey } from './audit-key.js';
import type { StateStore } from '../store/state/state-store.js';

/** What recording needs: the state holding the trail and the environment holding its key. A Workspace is one. */
export interface AuditTarget {
  readonly state: StateStore;
  readonly env: NodeJS.ProcessEnv;
}

/** Appends one entry, MACed when SEGFLOW_AUDIT_KEY is set; the actor defaults to this process (audit-key.ts). */
export function appendAudit(target: AuditTarget, kind: AuditKind, detail: AuditDetail, actor: string = auditActor(target.env)): Promise<StoredAuditEntry> {
  const key = auditKey(target.env);
  return target.state.audit.append({ kind, actor, detail }, key === undefined ? {} : { key });
}
