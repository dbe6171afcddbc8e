import { readableEntry, type StoredAuditEntry } from './audit-entry.js';
import type { ChainVerdict } from './verify-chain.js';

/**
 * The trail as JSONL for a DPO: one entry per line (detail as JSON, MAC when
 * there is one), then one line with the head hash and the verdict, so the
 * reader can keep the head and later show that nothing before it changed
 * (a later export must contain the same entry with the same hash). With
 * `since`, only entries from then on are listed; the head line is the
 * whole trail's.
 */
export function exportLines(entries: readonly StoredAuditEntry[], verdict: ChainVerdict, exportedAt: string, since?: string): string {
  const lines = entries.filter((entry) => since === undefined || entry.at >= since).map((entry) => JSON.stringify(readableEntry(entry)));
  lines.push(JSON.stringify({ head: headLine(verdict, entries), exportedAt, ...(since !== undefined ? { since } : {}) }));
  return `${lines.join('\n')}\n`;
}

function headLine(verdict: ChainVerdict, entries: readonly StoredAuditEntry[]) {
  if (verdict.intact) return { seq: verdict.head.seq, hash: verdict.head.hash, entries: verdict.entries, intact: true, macs: verdict.macs };
  const last = entries.at(-1);
  return { seq: last?.seq ?? 0, hash: last?.hash ?? null, entries: entries.length, intact: false, brokenAt: verdict.seq, reason: verdict.reason };
}
