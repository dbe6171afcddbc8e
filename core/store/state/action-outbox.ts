import type { OutgoingAction } from '../../triggers/engine-records.js';
import type { FieldCipher } from '../../privacy/field-cipher.js';
import type { SqlClient, SqlValue } from '../sql/sql-client.js';
import { readOutboxAction } from './trigger-state.js';

/**
 * The delivery side of the trigger outbox (rows written by the engine's
 * commit, trigger-state.ts): which actions are still owed to a vendor, and
 * what became of the others. An action leaves "owed" only with a final
 * outcome: delivered (the vendor has it), skipped (the vendor said there is
 * nothing to do, e.g. no such contact) or dead (the vendor refused it for
 * good: the action dead letter). A retryable failure stays owed, held back
 * until `retry_at`, so a vendor outage delays actions but never drops them.
 */
export type ActionOutcome = 'delivered' | 'skipped' | 'dead';

export interface OwedAction {
  action: OutgoingAction;
  /** Delivery attempts that ended in a retryable failure so far. */
  attempts: number;
}

export type ActionSettlement =
  | { id: string; outcome: ActionOutcome; detail?: string; at: number }
  /** Retryable failure: tried again at `retryAt` (wall clock ms). */
  | { id: string; outcome: 'retry'; detail: string; at: number; retryAt: number };

export interface ActionOutboxCount {
  sink: string;
  triggerId: string;
  /** `owed` while not yet final. */
  outcome: ActionOutcome | 'owed';
  count: number;
}

export interface DeadAction {
  id: string;
  sink: string;
  triggerId: string;
  profileId: string;
  kind: string;
  target: string | undefined;
  /** Masked before it was stored (no addresses or phone numbers). */
  detail: string;
  at: number;
}

export interface ActionOutbox {
  /** Owed actions whose retry time has come, oldest firing first. */
  owed(now: number, limit: number): Promise<OwedAction[]>;
  /** Final outcomes and retryable failures, in one transaction. */
  settle(settlements: readonly ActionSettlement[]): Promise<void>;
  counts(): Promise<ActionOutboxCount[]>;
  dead(): Promise<DeadAction[]>;
  /**
   * Erasure: the triggers' memory of these profiles goes entirely — outbox
   * rows (their payloads may hold traits), pending timers (a deferred firing
   * holds its event fields) and kind states. Returns the rows removed.
   */
  eraseProfiles(profileIds: readonly string[]): Promise<number>;
}

const OWED = 'SELECT action, attempts FROM trigger_outbox WHERE outcome IS NULL AND (retry_at IS NULL OR retry_at <= ?) ORDER BY fired_at, id LIMIT ?';
// Only an owed row is settled: a second delivery worker that sent the same action cannot overwrite the first outcome.
const SETTLE = 'UPDATE trigger_outbox SET outcome = ?, detail = ?, delivered_at = ? WHERE id = ? AND outcome IS NULL';
const RETRY = 'UPDATE trigger_outbox SET attempts = attempts + 1, detail = ?, retry_at = ? WHERE id = ? AND outcome IS NULL';

export function createActionOutbox(sql: SqlClient, cipher: FieldCipher): ActionOutbox {
  return {
    async owed(now, limit) {
      const rows = await sql.all<{ action: string; attempts: number | string }>(OWED, [now, limit]);
      return rows.map((row) => ({ action: readOutboxAction(cipher, row.action), attempts: Number(row.attempts) }));
    },
    async settle(settlements) {
      if (settlements.length === 0) return;
      const final: SqlValue[][] = [];
      const retries: SqlValue[][] = [];
      for (const settlement of settlements) {
        if (settlement.outcome === 'retry') retries.push([settlement.detail, settlement.retryAt, settlement.id]);
        else final.push([settlement.outcome, settlement.detail ?? null, settlement.at, settlement.id]);
      }
      await sql.transaction(async (tx) => {
        for (const row of final) await tx.run(SETTLE, row);
        for (const row of retries) await tx.run(RETRY, row);
      });
    },
    async counts() {
      const rows = await sql.all<{ sink: string; trigger_id: string; outcome: string | null; n: number | string }>(
        'SELECT sink, trigger_id, outcome, count(*) AS n FROM trigger_outbox GROUP BY sink, trigger_id, outcome ORDER BY sink, trigger_id, outcome',
      );
      return rows.map((row) => ({ sink: row.sink, triggerId: row.trigger_id, outcome: (row.outcome ?? 'owed') as ActionOutboxCount['outcome'], count: Number(row.n) }));
    },
    async eraseProfiles(profileIds) {
      let removed = 0;
      await sql.transaction(async (tx) => {
        for (const profileId of new Set(profileIds)) {
          for (const table of ['trigger_outbox', 'trigger_timers', 'trigger_profiles']) removed += (await tx.run(`DELETE FROM ${table} WHERE profile_id = ?`, [profileId])).changes;
        }
      });
      return removed;
    },
    async dead() {
      const rows = await sql.all<{ action: string; detail: string | null; delivered_at: number }>("SELECT action, detail, delivered_at FROM trigger_outbox WHERE outcome = 'dead' ORDER BY delivered_at, id");
      return rows.map((row) => {
        const action = readOutboxAction(cipher, row.action);
        return { id: action.id, sink: action.sink, triggerId: action.triggerId, profileId: action.profileId, kind: action.kind, target: action.target, detail: row.detail ?? '', at: Number(row.delivered_at) };
      });
    },
  };
}
