import type { ChangeResult, SinkChange, SinkContext } from '../../../core/sync/sink.js';
import type { HubSpotSession } from './hubspot-session.js';

/** GDPR delete by email (HubSpot's purge is per contact). An unknown email is blocklisted by HubSpot, which is what a deletion request wants. */
export async function purgeContacts(changes: readonly SinkChange[], session: HubSpotSession, context: SinkContext): Promise<ChangeResult[]> {
  const results: ChangeResult[] = [];
  for (const change of changes) {
    const email = change.record.key.trim();
    if (email === '') {
      results.push({ status: 'skipped', reason: 'no email: nothing to delete in HubSpot' });
      continue;
    }
    await session.call(context, 'contacts.gdpr-delete', (apis) => apis.contactsBasic.purge({ objectId: email, idProperty: 'email' }));
    results.push({ status: 'applied', ...(change.record.vendorId ? { vendorId: change.record.vendorId } : {}) });
  }
  return results;
}
