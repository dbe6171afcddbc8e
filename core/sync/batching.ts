import type { SinkBatch, SinkCapabilities, SinkChange, SinkOperation } from './sink.js';

/**
 * Splits changes into vendor calls: one operation (and one list) per batch,
 * at most the vendor's batch size, and never the same record twice in one
 * batch (HubSpot rejects duplicate ids in a batch; Marketo can create a
 * duplicate lead from two same-key inputs). Order is kept within a group.
 */
export function toBatches(changes: readonly SinkChange[], capabilities: SinkCapabilities): SinkBatch[] {
  const groups = new Map<string, SinkChange[]>();
  for (const change of changes) {
    const group = `${change.op}\u0000${'list' in change ? change.list : ''}`;
    let members = groups.get(group);
    if (!members) groups.set(group, (members = []));
    members.push(change);
  }
  const batches: SinkBatch[] = [];
  for (const members of groups.values()) {
    const first = members[0] as SinkChange;
    const maxBatch = capabilities.operations[first.op]?.maxBatch;
    if (maxBatch === undefined) throw new Error(`the sink does not support "${first.op}"`);
    const open: Array<{ changes: SinkChange[]; keys: Set<string> }> = [];
    let firstWithRoom = 0;
    for (const change of members) {
      let index = firstWithRoom;
      while (index < open.length) {
        const candidate = open[index] as { changes: SinkChange[]; keys: Set<string> };
        if (candidate.changes.length < maxBatch && !candidate.keys.has(change.record.key)) break;
        index += 1;
      }
      if (index === open.length) open.push({ changes: [], keys: new Set() });
      const target = open[index] as { changes: SinkChange[]; keys: Set<string> };
      target.changes.push(change);
      target.keys.add(change.record.key);
      while (firstWithRoom < open.length && (open[firstWithRoom]?.changes.length ?? 0) >= maxBatch) firstWithRoom += 1;
    }
    for (const batch of open) {
      batches.push({ op: first.op, ...('list' in first ? { list: first.list } : {}), changes: batch.changes });
    }
  }
  return batches;
}

/**
 * Phases run one after another: records first (membership calls need the
 * vendor ids upserts return), then removals, then additions.
 */
export const PHASES: readonly (readonly SinkOperation[])[] = [['upsert', 'update', 'delete'], ['list-remove'], ['list-add']];

/** The fewest calls these changes can take at the vendor's batch sizes (for the benchmark's call-efficiency figure). */
export function minimumCalls(changes: readonly SinkChange[], capabilities: SinkCapabilities): number {
  const sizes = new Map<string, { op: SinkOperation; count: number }>();
  for (const change of changes) {
    const group = `${change.op}\u0000${'list' in change ? change.list : ''}`;
    const entry = sizes.get(group) ?? { op: change.op, count: 0 };
    entry.count += 1;
    sizes.set(group, entry);
  }
  let calls = 0;
  for (const { op, count } of sizes.values()) calls += Math.ceil(count / (capabilities.operations[op]?.maxBatch ?? 1));
  return calls;
}
