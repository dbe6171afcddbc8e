import { createFieldCipher, type FieldCipher } from '../../privacy/field-cipher.js';
import type { SqlClient, SqlDialect } from '../sql/sql-client.js';
import { createActionOutbox, type ActionOutbox } from './action-outbox.js';
import { createAuditLog, type AuditLog } from './audit-log.js';
import { createDeadLetters, type DeadLetters } from './dead-letters.js';
import { createIdentityState, type IdentityState } from './identity-state.js';
import { createLocks, type Locks } from './locks.js';
import { createMetaState, type MetaState } from './meta-state.js';
import { createRunHistory, type RunHistory } from './run-history.js';
import { createSinkAccountState, type SinkAccountState } from './sink-account-state.js';
import { createSuppressionList, type SuppressionList } from './suppression-list.js';
import { createTriggerState, type TriggerState } from './trigger-state.js';

/**
 * Every read and write of operational state goes through here (DESIGN.md
 * "StateStore"): the identity graph, run history, what each vendor account
 * acknowledged and what may be in flight to it, the dead-letter queue, the
 * suppression list, model identities, meta and locks. Async, so the embedded
 * SQLite driver and the shared PostgreSQL driver are interchangeable; one
 * contract suite (test/state-store-contract.test.ts) runs against both.
 */
export interface StateStore {
  readonly driver: SqlDialect;
  /** Where the state lives, for messages (never a password). */
  readonly location: string;
  readonly meta: MetaState;
  readonly identity: IdentityState;
  readonly runs: RunHistory;
  readonly suppressions: SuppressionList;
  readonly deadLetters: DeadLetters;
  readonly locks: Locks;
  /** The trigger engine's profile states, timers, outbox and hold counts (its TriggerStateRepository). */
  readonly triggers: TriggerState;
  /** What delivery did with the triggers' outbox: owed actions, outcomes, the action dead letters. */
  readonly actions: ActionOutbox;
  /** Acknowledged sink state of one vendor account (see sink-account-state.ts for the key). */
  account(account: string): SinkAccountState;
  /** The tamper-evident audit trail (audit-log.ts; record and verify through core/audit/). */
  readonly audit: AuditLog;
  /** Seals and opens the PII columns (encrypted-columns.ts); passes values through when no key is configured. */
  readonly cipher: FieldCipher;
  /** The SQL seam itself, for maintenance that walks tables (key rotation); state modules are the way for everything else. */
  readonly sql: SqlClient;
  close(): Promise<void>;
}

export function createStateStore(sql: SqlClient, now: () => number = Date.now, cipher: FieldCipher = createFieldCipher([])): StateStore {
  const meta = createMetaState(sql);
  return {
    driver: sql.dialect,
    location: sql.location,
    meta,
    identity: createIdentityState(sql, meta),
    runs: createRunHistory(sql),
    suppressions: createSuppressionList(sql, now),
    deadLetters: createDeadLetters(sql, now, cipher),
    locks: createLocks(sql),
    triggers: createTriggerState(sql, cipher),
    actions: createActionOutbox(sql, cipher),
    account: (account) => createSinkAccountState(sql, account, now, cipher),
    audit: createAuditLog(sql, now),
    cipher,
    sql,
    close: () => sql.close(),
  };
}
