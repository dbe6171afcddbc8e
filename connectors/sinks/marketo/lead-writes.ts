import type { ChangeResult, SinkChange, SinkContext } from '../../../core/sync/sink.js';
import type { MarketoClient } from './client/marketo-client.js';
import type { ResolvedMarketoConfig } from './marketo-sink-config.js';
import { leadIdOf, parseRecordResults, toChangeResult } from './record-results.js';
import { oversizedValue, valueTooLong } from './value-length.js';

/**
 * Lead writes: upsert (createOrUpdate), update (updateOnly, enrich never
 * creates) and privacy delete. Marketo can create a duplicate when two
 * changes for one key meet in flight (vendor-facts.md §3 "Sync leads"), so
 * a batch is split into rounds with unique keys, sent one after another.
 * A change with a value longer than its field holds is failed, not sent.
 */
export interface LeadWriter {
  sync(changes: readonly SinkChange[], action: 'createOrUpdate' | 'updateOnly', context: SinkContext): Promise<ChangeResult[]>;
  delete(changes: readonly SinkChange[], context: SinkContext): Promise<ChangeResult[]>;
}

/** Indices of `changes` grouped so that no group holds one key twice (normally one group). */
export function uniqueKeyRounds(changes: readonly SinkChange[]): number[][] {
  const rounds: Array<{ keys: Set<string>; indices: number[] }> = [];
  changes.forEach((change, index) => {
    const key = change.record.key.trim().toLowerCase();
    let round = rounds.find((candidate) => !candidate.keys.has(key));
    if (!round) rounds.push((round = { keys: new Set(), indices: [] }));
    round.keys.add(key);
    round.indices.push(index);
  });
  return rounds.map((round) => round.indices);
}

/** `fieldLengths`: field → characters it holds, as the last prepare() described them. */
export function createLeadWriter(client: MarketoClient, config: ResolvedMarketoConfig, fieldLengths: () => ReadonlyMap<string, number>): LeadWriter {
  const { lookupField } = config;

  return {
    async sync(changes, action, context) {
      const results: ChangeResult[] = new Array<ChangeResult>(changes.length);
      for (const round of uniqueKeyRounds(changes)) {
        const indices = round.filter((index) => {
          const change = changes[index] as SinkChange;
          const oversized = 'properties' in change ? oversizedValue(change.properties, fieldLengths()) : undefined;
          if (oversized) results[index] = valueTooLong(change, oversized);
          return !oversized;
        });
        if (indices.length === 0) continue;
        const input = indices.map((index) => {
          const change = changes[index] as SinkChange;
          const properties = 'properties' in change ? change.properties : {};
          return { ...properties, [lookupField]: change.record.key };
        });
        const body: Record<string, unknown> = { action, lookupField, input };
        if (config.partition && action === 'createOrUpdate') body.partitionName = config.partition;
        const label = action === 'createOrUpdate' ? 'marketo.leads.upsert' : 'marketo.leads.update';
        const response = await context.request(label, () => client.send({ method: 'POST', path: '/rest/v1/leads.json', json: body }, context.signal));
        const records = parseRecordResults(response.result);
        indices.forEach((index, position) => {
          const change = changes[index] as SinkChange;
          results[index] = toChangeResult(change, records[position], change.op);
        });
      }
      return results;
    },

    async delete(changes, context) {
      // Privacy deletion removes every lead with the key, duplicates included, not only the one segflow knows.
      const idsByKey = await findLeadIds(changes.map((change) => change.record.key), context);
      const idsPerChange = changes.map((change) => {
        const ids = new Set(idsByKey.get(change.record.key.trim().toLowerCase()) ?? []);
        const known = leadIdOf(change);
        if (known !== undefined) ids.add(known);
        return [...ids];
      });
      const allIds = [...new Set(idsPerChange.flat())];
      const statusById = new Map<number, ReturnType<typeof parseRecordResults>[number]>();
      for (let start = 0; start < allIds.length; start += 300) {
        const chunk = allIds.slice(start, start + 300);
        const response = await context.request('marketo.leads.delete', () =>
          client.send({ method: 'POST', path: '/rest/v1/leads/delete.json', json: { input: chunk.map((id) => ({ id })) } }, context.signal),
        );
        const records = parseRecordResults(response.result);
        chunk.forEach((id, position) => statusById.set(id, records.find((record) => record?.id === id) ?? records[position]));
      }
      return changes.map((change, index) => {
        const ids = idsPerChange[index] ?? [];
        if (ids.length === 0) return { status: 'skipped', reason: 'not found' };
        const outcomes = ids.map((id) => toChangeResult(change, statusById.get(id), 'delete'));
        return outcomes.find((outcome) => outcome.status === 'failed') ?? outcomes.find((outcome) => outcome.status === 'applied') ?? (outcomes[0] as ChangeResult);
      });
    },
  };

  async function findLeadIds(keys: readonly string[], context: SinkContext): Promise<Map<string, number[]>> {
    const found = new Map<string, number[]>();
    if (keys.length === 0) return found;
    const response = await context.request('marketo.leads.lookup', () =>
      client.send({ method: 'GET', path: '/rest/v1/leads.json', query: { filterType: lookupField, filterValues: keys.join(','), fields: lookupField } }, context.signal),
    );
    for (const item of response.result) {
      const lead = item as Record<string, unknown>;
      const value = lead[lookupField];
      if (typeof lead.id !== 'number' || value === undefined || value === null) continue;
      const key = String(value).trim().toLowerCase();
      found.set(key, [...(found.get(key) ?? []), lead.id]);
    }
    return found;
  }
}
