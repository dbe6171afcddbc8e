import type { SinkAction, SinkContext } from '../../../core/sync/sink.js';
import type { MarketoClient } from './client/marketo-client.js';

/**
 * The Marketo lead id each action is for: the acknowledged `vendorId`, else
 * a lookup by the sink's lookup field (the email), batched 300 keys a call
 * (the client re-sends a long GET as `_method=GET`). `undefined` means
 * Marketo has no such lead. When duplicates share a key, the oldest lead
 * (lowest id) is the one requested, so a retry picks the same lead.
 */
const LOOKUP_BATCH = 300;

export async function resolveLeadIds(client: MarketoClient, lookupField: string, actions: readonly SinkAction[], context: SinkContext): Promise<Array<number | undefined>> {
  const known = actions.map((action) => leadIdFromVendorId(action.record.vendorId));
  const keys = [...new Set(actions.filter((_, index) => known[index] === undefined).map((action) => normalizeKey(action.record.key)))];
  const found = new Map<string, number>();
  for (let start = 0; start < keys.length; start += LOOKUP_BATCH) {
    const part = keys.slice(start, start + LOOKUP_BATCH);
    const response = await context.request('marketo.leads.lookup', () =>
      client.send({ method: 'GET', path: '/rest/v1/leads.json', query: { filterType: lookupField, filterValues: part.join(','), fields: `id,${lookupField}` } }, context.signal),
    );
    for (const item of response.result) {
      const lead = item as Record<string, unknown>;
      const value = lead[lookupField];
      if (typeof lead.id !== 'number' || typeof value !== 'string') continue;
      const key = normalizeKey(value);
      const previous = found.get(key);
      if (previous === undefined || lead.id < previous) found.set(key, lead.id);
    }
  }
  return actions.map((action, index) => known[index] ?? found.get(normalizeKey(action.record.key)));
}

/** Which of `ids` Marketo still has (Request Campaign refuses a whole call for one missing lead). */
export async function existingLeadIds(client: MarketoClient, ids: readonly number[], context: SinkContext): Promise<Set<number>> {
  const existing = new Set<number>();
  for (let start = 0; start < ids.length; start += LOOKUP_BATCH) {
    const part = ids.slice(start, start + LOOKUP_BATCH);
    const response = await context.request('marketo.leads.lookup', () =>
      client.send({ method: 'GET', path: '/rest/v1/leads.json', query: { filterType: 'id', filterValues: part.join(','), fields: 'id' } }, context.signal),
    );
    for (const item of response.result) {
      const id = (item as { id?: unknown }).id;
      if (typeof id === 'number') existing.add(id);
    }
  }
  return existing;
}

function leadIdFromVendorId(vendorId: string | undefined): number | undefined {
  return vendorId !== undefined && /^\d+$/.test(vendorId) ? Number(vendorId) : undefined;
}

/** Marketo compares emails case-insensitively. */
function normalizeKey(key: string): string {
  return key.trim().toLowerCase();
}
