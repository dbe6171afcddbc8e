import { canonicalJson } from './canonical-json.js';
import { entryHash, entryMac, GENESIS_HASH, parseDetail, type StoredAuditEntry } from './audit-entry.js';

/**
 * Walks the trail from #1 and names the FIRST entry that is not what was
 * sealed: a gap in seq (an entry deleted), a detail or field changed (its
 * hash no longer matches), an entry that does not follow its predecessor
 * (prev differs: one removed, inserted, reordered, or rewritten with a fresh
 * hash), and the head record (the last seq and hash, kept beside the trail)
 * catches the newest entries deleted.
 *
 * With the key, MACs are required from the first MACed entry through the
 * newest one: a trail begun before SEGFLOW_AUDIT_KEY was set keeps its
 * unkeyed start (sealed into the first MAC through its hash chain), but
 * someone who rewrites the whole chain without the key must leave the newest
 * entry unMACed or wrongly MACed, and either fails. Without the key, MACs
 * are not checked (the verdict says so).
 */
export type ChainVerdict =
  | { intact: true; entries: number; head: ChainHead; macs: 'checked' | 'unchecked' | 'none' }
  | { intact: false; seq: number; reason: string };

export interface ChainHead {
  seq: number;
  hash: string;
}

export function verifyChain(entries: readonly StoredAuditEntry[], head: ChainHead | undefined, key: string | undefined): ChainVerdict {
  let previous: ChainHead = { seq: 0, hash: GENESIS_HASH };
  let macSeen = false;
  for (const entry of entries) {
    const problem = entryProblem(entry, previous) ?? macProblem(entry, key, macSeen);
    if (problem !== undefined) return { intact: false, seq: problem.seq ?? entry.seq, reason: problem.reason };
    macSeen ||= entry.mac !== null;
    previous = { seq: entry.seq, hash: entry.hash };
  }
  if (head === undefined) return { intact: false, seq: previous.seq, reason: `the trail's head record (audit_head) was deleted, so deleted newest entries could not be told: restore it from a backup` };
  if (head.seq > previous.seq) {
    return { intact: false, seq: previous.seq + 1, reason: `entry #${previous.seq + 1} is missing: the trail ends at #${previous.seq}, but its head records #${head.seq} (the newest entries were deleted)` };
  }
  if (head.seq !== previous.seq || head.hash !== previous.hash) {
    return { intact: false, seq: previous.seq, reason: `entry #${previous.seq} is not the head the trail recorded (#${head.seq}): the newest entries were replaced` };
  }
  const last = entries.at(-1);
  if (key !== undefined && last !== undefined && last.mac === null) {
    return { intact: false, seq: last.seq, reason: `entry #${last.seq}, the newest, has no MAC although SEGFLOW_AUDIT_KEY is set: the trail was written or rewritten without the key` };
  }
  const macs = !entries.some((entry) => entry.mac !== null) ? 'none' : key === undefined ? 'unchecked' : 'checked';
  return { intact: true, entries: entries.length, head: previous, macs };
}

/** The one-line form a user reads (`segflow audit verify`). */
export function describeVerdict(verdict: ChainVerdict): string {
  if (!verdict.intact) return `audit trail broken at entry #${verdict.seq}: ${verdict.reason}`;
  if (verdict.entries === 0) return 'audit trail is empty';
  const macs = verdict.macs === 'checked' ? ', MACs checked' : verdict.macs === 'unchecked' ? ' (MACs not checked: SEGFLOW_AUDIT_KEY is not set)' : ' (hash chain only: it was written without SEGFLOW_AUDIT_KEY)';
  return `audit trail intact: ${verdict.entries} entries, head #${verdict.head.seq} ${verdict.head.hash}${macs}`;
}

/** What is wrong with one entry; `seq` when it names another entry than the one read (a missing one). */
interface EntryProblem {
  seq?: number;
  reason: string;
}

function entryProblem(entry: StoredAuditEntry, previous: ChainHead): EntryProblem | undefined {
  const expected = previous.seq + 1;
  if (entry.seq > expected) {
    const where = previous.seq === 0 ? `the trail starts at #${entry.seq}` : `the trail goes from #${previous.seq} to #${entry.seq}`;
    return { seq: expected, reason: `entry #${expected} is missing: ${where}` };
  }
  if (entry.seq < expected) return { reason: `entry #${entry.seq} comes after #${previous.seq}: entries were reordered` };
  const detail = parseDetail(entry.detail);
  if (detail === undefined || canonicalJson(detail) !== entry.detail) return { reason: `entry #${entry.seq} was edited: its detail is not the JSON it was sealed with` };
  if (entryHash({ ...entry, detail }) !== entry.hash) return { reason: `entry #${entry.seq} was edited: its content no longer matches its hash` };
  if (entry.prev !== previous.hash) {
    return {
      reason: previous.seq === 0
        ? 'entry #1 does not start the trail: entries before it were removed, or it was moved'
        : `entry #${entry.seq} does not follow entry #${previous.seq}: #${previous.seq} was rewritten, or entries were removed, inserted or reordered`,
    };
  }
  return undefined;
}

function macProblem(entry: StoredAuditEntry, key: string | undefined, macSeen: boolean): EntryProblem | undefined {
  if (key === undefined) return undefined;
  if (entry.mac === null) return macSeen ? { reason: `entry #${entry.seq} has no MAC although earlier entries have one: it was written or rewritten without SEGFLOW_AUDIT_KEY` } : undefined;
  if (entry.mac !== entryMac(entry.hash, key)) return { reason: `entry #${entry.seq} has a MAC that does not match: it was rewritten without the key, or SEGFLOW_AUDIT_KEY is not the key it was written with` };
  return undefined;
}
