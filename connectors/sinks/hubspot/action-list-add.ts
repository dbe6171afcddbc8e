import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ChangeResult, SinkAction, SinkChange, SinkContext } from '../../../core/sync/sink.js';
import type { HubSpotSession } from './hubspot-session.js';
import { HUBSPOT_CONNECTOR } from './hubspot-sink-config.js';
import { changeMemberships } from './list-memberships.js';

/**
 * `hubspot:list-add` actions: put the contact on the MANUAL list named by
 * the target (a workflow enrols from it). Memberships need the record id;
 * a profile no sync has acknowledged yet is looked up by email (batch read,
 * 100 per call), and one HubSpot does not have is skipped. A membership is
 * a set, so a retry after a lost answer is harmless: HubSpot reports the
 * contact as already in, which is `skipped`, never a second enrolment.
 */
const READ_BATCH = 100;

export async function addActionsToList(actions: readonly SinkAction[], listId: string, session: HubSpotSession, context: SinkContext): Promise<ChangeResult[]> {
  const results = new Array<ChangeResult>(actions.length);
  const idByEmail = await resolveByEmail(actions, session, context);
  const changes: SinkChange[] = [];
  const positions: number[] = [];
  actions.forEach((action, index) => {
    const vendorId = action.record.vendorId || idByEmail.get(action.record.key.trim().toLowerCase());
    if (vendorId) {
      changes.push({ op: 'list-add', list: action.target, record: { ...action.record, vendorId } });
      positions.push(index);
    } else if (action.record.key.trim() === '') {
      results[index] = {
        status: 'failed',
        error: new ConnectorError('permanent', 'hubspot.no_record_key', `Trigger action ${action.id} (profile ${action.record.profileId}) has neither a HubSpot contact id nor an email, so it cannot join list "${action.target}".`, {
          connector: HUBSPOT_CONNECTOR,
        }),
      };
    } else results[index] = { status: 'skipped', reason: 'no such contact' };
  });
  if (changes.length === 0) return results;
  const answers = await changeMemberships('list-add', listId, changes, session, context);
  answers.forEach((answer, position) => {
    // A stale id (the contact was deleted or merged in HubSpot) is the same as no contact at all.
    const gone = answer.status === 'failed' && answer.error.code === 'hubspot.record_missing';
    results[positions[position] as number] = gone ? { status: 'skipped', reason: 'no such contact' } : answer;
  });
  return results;
}

/** Record ids by lowercased email for the actions that carry no vendor id; emails HubSpot does not know are absent. */
async function resolveByEmail(actions: readonly SinkAction[], session: HubSpotSession, context: SinkContext): Promise<Map<string, string>> {
  const emails = [...new Set(actions.filter((action) => !action.record.vendorId).map((action) => action.record.key.trim().toLowerCase()).filter((email) => email !== ''))];
  const idByEmail = new Map<string, string>();
  for (let start = 0; start < emails.length; start += READ_BATCH) {
    const part = emails.slice(start, start + READ_BATCH);
    const found = await session.call(context, 'contacts.batch.read', (apis) =>
      apis.contactsBatch.read({ inputs: part.map((email) => ({ id: email })), idProperty: 'email', properties: ['email'], propertiesWithHistory: [] }),
    );
    for (const record of found.results) {
      const email = record.properties['email'];
      if (email) idByEmail.set(email.toLowerCase(), record.id);
    }
  }
  return idByEmail;
}
