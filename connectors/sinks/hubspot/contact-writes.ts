import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ChangeResult, SinkChange, SinkContext } from '../../../core/sync/sink.js';
import type { HubSpotSession } from './hubspot-session.js';
import { HUBSPOT_CONNECTOR } from './hubspot-sink-config.js';
import { type PropertyEncoding, encodeProperties } from './property-encoding.js';
import { type SentChange, readOutcomes } from './record-outcomes.js';

/**
 * Contact writes. `upsert` is one batch upsert by email: HubSpot does not
 * support partial upserts by email, so each input carries every property
 * segflow owns (null → "" clears it). `update` (sync mode enrich) must never
 * create: a batch read by email finds the existing records, then a batch
 * update by record id changes only those.
 */
type PropertyChange = Extract<SinkChange, { op: 'upsert' | 'update' }>;

interface Keyed {
  index: number;
  change: PropertyChange;
  email: string;
}

/** Splits off changes that cannot be sent: no email, or an email another change of this batch already uses. */
function keyChanges(changes: readonly SinkChange[], results: ChangeResult[]): Keyed[] {
  const firstByEmail = new Map<string, SinkChange>();
  const keyed: Keyed[] = [];
  changes.forEach((change, index) => {
    if (change.op !== 'upsert' && change.op !== 'update') throw new Error(`contact write got a ${change.op} change`);
    const email = change.record.key.trim().toLowerCase();
    const earlier = firstByEmail.get(email);
    if (email === '') {
      results[index] = failed(new ConnectorError('permanent', 'hubspot.no_email', `Profile ${change.record.profileId} has no email, which HubSpot contacts are matched by.`, { connector: HUBSPOT_CONNECTOR }));
    } else if (earlier) {
      // HubSpot rejects a whole batch that names one record twice; HubSpot emails are case-insensitive.
      results[index] = failed(
        new ConnectorError('permanent', 'hubspot.duplicate_email', `Profiles ${earlier.record.profileId} and ${change.record.profileId} have the same email (ignoring case); HubSpot holds one contact per email.`, {
          connector: HUBSPOT_CONNECTOR,
        }),
      );
    } else {
      firstByEmail.set(email, change);
      keyed.push({ index, change, email });
    }
  });
  return keyed;
}

export async function upsertContacts(
  changes: readonly SinkChange[],
  encodings: ReadonlyMap<string, PropertyEncoding>,
  session: HubSpotSession,
  context: SinkContext,
): Promise<ChangeResult[]> {
  const results = new Array<ChangeResult>(changes.length);
  const keyed = keyChanges(changes, results);
  if (keyed.length === 0) return results;
  const inputs = keyed.map(({ index, change }) => ({
    id: change.record.key.trim(),
    idProperty: 'email',
    objectWriteTraceId: String(index),
    properties: encodeProperties(change.properties, encodings),
  }));
  const answer = await session.call(context, 'contacts.batch.upsert', (apis) => apis.contactsBatch.upsert({ inputs }));
  const sent: SentChange[] = keyed.map(({ index, change, email }) => ({ change, traceId: String(index), key: email }));
  const outcomes = readOutcomes(sent, answer.results, ('errors' in answer ? answer.errors : undefined) ?? [], {
    operation: 'upsert',
    keyOf: (record) => record.properties?.['email'] ?? undefined,
  });
  keyed.forEach(({ index }, position) => (results[index] = outcomes[position] as ChangeResult));
  return results;
}

export async function updateContacts(
  changes: readonly SinkChange[],
  encodings: ReadonlyMap<string, PropertyEncoding>,
  session: HubSpotSession,
  context: SinkContext,
): Promise<ChangeResult[]> {
  const results = new Array<ChangeResult>(changes.length);
  const keyed = keyChanges(changes, results);
  if (keyed.length === 0) return results;
  const found = await session.call(context, 'contacts.batch.read', (apis) =>
    apis.contactsBatch.read({ inputs: keyed.map(({ email }) => ({ id: email })), idProperty: 'email', properties: ['email'], propertiesWithHistory: [] }),
  );
  const idByEmail = new Map<string, string>();
  for (const record of found.results) {
    const email = record.properties['email'];
    if (email) idByEmail.set(email.toLowerCase(), record.id);
  }
  const existing = keyed.flatMap((item) => {
    const id = idByEmail.get(item.email);
    if (id === undefined) results[item.index] = { status: 'skipped', reason: 'not found' };
    return id === undefined ? [] : [{ ...item, id }];
  });
  if (existing.length === 0) return results;
  const inputs = existing.map(({ index, change, id }) => ({ id, objectWriteTraceId: String(index), properties: encodeProperties(change.properties, encodings) }));
  const answer = await session.call(context, 'contacts.batch.update', (apis) => apis.contactsBatch.update({ inputs }));
  const sent: SentChange[] = existing.map(({ index, change, id }) => ({ change, traceId: String(index), key: id }));
  const outcomes = readOutcomes(sent, answer.results, ('errors' in answer ? answer.errors : undefined) ?? [], { operation: 'update', keyOf: (record) => record.id });
  existing.forEach(({ index }, position) => (results[index] = outcomes[position] as ChangeResult));
  return results;
}

function failed(error: ConnectorError): ChangeResult {
  return { status: 'failed', error };
}
