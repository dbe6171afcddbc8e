import type { SyncModeName } from '../config/sink-schema.js';
import type { PropertyValue, SinkChange, SinkOperation, SinkRecordRef } from './sink.js';

/**
 * The diff at the heart of a sync (DESIGN.md "Sync semantics"): desired state
 * per (profile, sink) against what the sink *acknowledged* last time. Pure:
 * the same inputs give the same changes, in a stable order.
 *
 * - Unchanged records cost no call.
 * - segflow removes only memberships it added (acknowledged or pending) and
 *   clears only values it set; a profile whose consent was withdrawn loses
 *   them in every mode.
 * - Anything sent without an answer (a crash mid-call) is uncertain:
 *   `pending` and `removing` memberships and pending values are "maybe at the
 *   vendor": re-sent if still wanted, removed or cleared if not. That is what
 *   makes a crash lose no removal and leave no stale value.
 */
export interface DesiredRecord {
  profileId: string;
  key: string;
  properties: Readonly<Record<string, PropertyValue>>;
  lists: ReadonlySet<string>;
}

export interface AckedRecord {
  profileId: string;
  key: string;
  vendorId?: string;
  /** The owned property values the sink confirmed; null when no upsert was ever acknowledged. */
  properties: Readonly<Record<string, PropertyValue>> | null;
  /** Values sent whose outcome is unknown (the run died before the answer): they may be at the vendor. */
  pendingProperties?: Readonly<Record<string, PropertyValue>> | null;
  lists: ReadonlyMap<string, 'pending' | 'member' | 'removing'>;
}

export interface PlanInput {
  mode: SyncModeName;
  desired: readonly DesiredRecord[];
  acked: ReadonlyMap<string, AckedRecord>;
  /** Changes parked in the dead-letter queue with the same content are not re-sent until retried or changed. */
  isParked?: (change: SinkChange) => boolean;
  /** Keys under an erasure request: their vendor records are deleted (whatever the mode). */
  isErased?: (key: string, profileId: string) => boolean;
  /** The sink can delete records; otherwise an erased record is emptied (values cleared, memberships removed). */
  canDelete?: boolean;
  /**
   * Profiles left out because their consent no longer covers the sink
   * (DesiredState.withoutConsent). They leave segflow's lists and lose
   * segflow's values in every mode: additive keeps what a profile that
   * merely left a segment had, but a withdrawal must undo it.
   */
  isWithoutConsent?: (profileId: string) => boolean;
}

export interface SyncPlan {
  changes: SinkChange[];
  /** Profiles whose vendor record is already in the desired state. */
  unchanged: number;
  parked: number;
  /** Acknowledged state to drop with no vendor call: another profile now owns the same vendor record (identity merge). */
  forget: string[];
  counts: Record<SinkOperation, number>;
}

export function planSync(input: PlanInput): SyncPlan {
  const { mode } = input;
  const changes: SinkChange[] = [];
  const forget: string[] = [];
  let unchanged = 0;
  let parked = 0;
  const push = (change: SinkChange): void => {
    if (input.isParked?.(change)) parked += 1;
    else changes.push(change);
  };

  const desiredKeys = new Set(input.desired.map((record) => record.key));
  for (const desired of input.desired) {
    const acked = input.acked.get(desired.profileId);
    const before = changes.length + parked;
    // A changed key was moved to a retired pseudo-profile by SyncStateStore.reconcileKeys; a mismatch here means no reconcile ran.
    const sameRecord = acked !== undefined && acked.key === desired.key;
    const record: SinkRecordRef = {
      profileId: desired.profileId,
      key: desired.key,
      ...(sameRecord && acked.vendorId ? { vendorId: acked.vendorId } : {}),
    };
    const properties = mode === 'additive' && sameRecord && acked.properties ? keepSetValues(desired.properties, acked.properties) : desired.properties;
    // Values sent but never confirmed leave the vendor in one of two states: send again unless both match.
    const uncertain = sameRecord && acked.pendingProperties != null && !sameValues(properties, acked.pendingProperties);
    let recordParked = false;
    if (!sameRecord || acked.properties === null || !sameValues(properties, acked.properties) || uncertain) {
      const parkedBefore = parked;
      push({ op: mode === 'enrich' ? 'update' : 'upsert', record, properties: { ...properties } });
      recordParked = parked > parkedBefore;
    }
    // A record the vendor refused (parked) cannot hold memberships yet; enrich never creates;
    // in both cases memberships wait until the record is known to exist.
    const recordExists = record.vendorId !== undefined;
    if (recordExists || (!recordParked && mode !== 'enrich')) {
      const current = sameRecord ? acked.lists : new Map<string, 'pending' | 'member' | 'removing'>();
      for (const list of [...desired.lists].sort()) {
        if (current.get(list) !== 'member') push({ op: 'list-add', record, list });
      }
      if (mode !== 'additive') {
        for (const list of [...current.keys()].sort()) {
          if (!desired.lists.has(list)) push({ op: 'list-remove', record, list });
        }
      }
    }
    if (changes.length + parked === before) unchanged += 1;
  }

  const desiredProfiles = new Set(input.desired.map((record) => record.profileId));
  for (const acked of [...input.acked.values()].sort((a, b) => (a.profileId < b.profileId ? -1 : 1))) {
    if (desiredProfiles.has(acked.profileId)) continue;
    if (desiredKeys.has(acked.key)) {
      forget.push(acked.profileId);
      continue;
    }
    const erased = input.isErased?.(acked.key, acked.profileId.split('~')[0] as string) ?? false;
    if (erased && input.canDelete !== false) {
      push({ op: 'delete', record: { profileId: acked.profileId, key: acked.key, ...(acked.vendorId ? { vendorId: acked.vendorId } : {}) } });
      continue;
    }
    const withoutConsent = input.isWithoutConsent?.(acked.profileId.split('~')[0] as string) ?? false;
    if (mode === 'additive' && !erased && !withoutConsent) continue;
    // Left the sink's scope (lost its key, deleted, merged away): undo what segflow set.
    const record: SinkRecordRef = { profileId: acked.profileId, key: acked.key, ...(acked.vendorId ? { vendorId: acked.vendorId } : {}) };
    for (const list of [...acked.lists.keys()].sort()) push({ op: 'list-remove', record, list });
    // A value may be at the vendor if it was confirmed or sent without an answer.
    const isSet = (value: PropertyValue | undefined) => value !== null && value !== undefined && value !== '';
    const names = new Set([...Object.keys(acked.properties ?? {}), ...Object.keys(acked.pendingProperties ?? {})]);
    if ([...names].some((name) => isSet(acked.properties?.[name]) || isSet(acked.pendingProperties?.[name]))) {
      const cleared = Object.fromEntries([...names].map((name) => [name, null]));
      push({ op: 'update', record, properties: cleared });
    }
  }

  const counts = { upsert: 0, update: 0, 'list-add': 0, 'list-remove': 0, delete: 0 } as Record<SinkOperation, number>;
  for (const change of changes) counts[change.op] += 1;
  return { changes, unchanged, parked, forget, counts };
}

function sameValues(a: Readonly<Record<string, PropertyValue>>, b: Readonly<Record<string, PropertyValue>>): boolean {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const name of names) {
    if (normalize(a[name]) !== normalize(b[name])) return false;
  }
  return true;
}

/** Vendors store "no value" as empty; segflow treats null, undefined and '' alike. */
function normalize(value: PropertyValue | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

function keepSetValues(desired: Readonly<Record<string, PropertyValue>>, acked: Readonly<Record<string, PropertyValue>>): Record<string, PropertyValue> {
  const result: Record<string, PropertyValue> = { ...desired };
  for (const [name, value] of Object.entries(result)) {
    if ((value === null || value === '') && acked[name] !== undefined && acked[name] !== null) result[name] = acked[name];
  }
  return result;
}
