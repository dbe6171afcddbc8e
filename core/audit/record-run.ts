import { createHash } from 'node:crypto';
import type { Mapping } from '../config/mapping-schema.js';
import type { JsonValue } from '../events/canonical-event.js';
import type { RunSummary } from '../pipeline/run-pipeline.js';
import { parseDetail, type AuditDetail } from './audit-entry.js';
import { appendAudit, type AuditTarget } from './append-audit.js';
import { canonicalJson } from './canonical-json.js';

/**
 * A run's entry: its id, how it ended, its counts and the hash of the mapping
 * it ran. When that hash differs from the previous run's, a `config_changed`
 * entry with both hashes comes first, so a DPO sees which runs ran which
 * configuration without the trail holding the mapping itself.
 */
export interface RunRecord {
  runId: string;
  status: 'succeeded' | 'failed' | 'aborted';
  summary?: RunSummary;
}

export async function recordRun(target: AuditTarget & { readonly mapping: Mapping }, run: RunRecord): Promise<void> {
  const hash = mappingHash(target.mapping);
  const previous = await target.state.audit.latest('run');
  const previousHash = previous === undefined ? undefined : parseDetail(previous.detail)?.mappingHash;
  if (typeof previousHash === 'string' && previousHash !== hash) {
    await appendAudit(target, 'config_changed', { runId: run.runId, previousMappingHash: previousHash, mappingHash: hash });
  }
  await appendAudit(target, 'run', { runId: run.runId, status: run.status, mappingHash: hash, ...(run.summary ? runCounts(run.summary) : {}) });
}

/** SHA-256 of the parsed mapping's canonical JSON: comments and key order do not count as a change. */
export function mappingHash(mapping: Mapping): string {
  // Through JSON first: the parsed mapping may hold undefined optionals, which have no canonical form.
  const plain = JSON.parse(JSON.stringify(mapping)) as JsonValue;
  return createHash('sha256').update(canonicalJson(plain)).digest('hex');
}

/** Counts only: segment ids and sizes, never a profile, key or trait. */
export function runCounts(summary: RunSummary): AuditDetail {
  const { read, accepted, quarantined, duplicates, stored, suppressed } = summary.events;
  return {
    events: { read, accepted, quarantined, duplicates, stored, ...(suppressed !== undefined ? { suppressed } : {}) },
    profiles: summary.profiles,
    segments: Object.fromEntries(summary.segments.map((segment) => [segment.id, segment.size])),
  };
}
