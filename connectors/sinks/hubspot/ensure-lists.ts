import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { SinkContext } from '../../../core/sync/sink.js';
import { failureStatus } from './hubspot-error-mapping.js';
import type { HubSpotSession } from './hubspot-session.js';
import { HUBSPOT_CONNECTOR } from './hubspot-sink-config.js';

/**
 * Finds or creates the MANUAL contact list segflow uses for one segment.
 * Lists are found by name (names are unique in a portal); a 409 on create
 * means another run created it first, so we read it again.
 */
const CONTACTS = '0-1';

export async function ensureList(name: string, session: HubSpotSession, context: SinkContext): Promise<string> {
  const found = await findList(name, session, context);
  if (found) return found;
  try {
    const created = await session.call(context, 'lists.create', (apis) => apis.lists.create({ name, objectTypeId: CONTACTS, processingType: 'MANUAL' }));
    return created.list.listId;
  } catch (error) {
    if (failureStatus(error) !== 409) throw error;
  }
  const raced = await findList(name, session, context);
  if (raced) return raced;
  throw new ConnectorError('config', 'hubspot.list_name_taken', `A HubSpot list named "${name}" exists but is not a contact list (list names are unique across the portal); rename the segment's list.`, {
    connector: HUBSPOT_CONNECTOR,
  });
}

async function findList(name: string, session: HubSpotSession, context: SinkContext): Promise<string | undefined> {
  try {
    const { list } = await session.call(context, 'lists.get-by-name', (apis) => apis.lists.getByName(name, CONTACTS));
    if (list.processingType !== 'MANUAL' && list.processingType !== 'SNAPSHOT') {
      throw new ConnectorError('config', 'hubspot.list_not_manual', `HubSpot list "${name}" is a ${list.processingType} list; segflow can only write MANUAL or SNAPSHOT lists. Rename the segment's list or the HubSpot list.`, {
        connector: HUBSPOT_CONNECTOR,
      });
    }
    return list.listId;
  } catch (error) {
    if (failureStatus(error) === 404) return undefined;
    throw error;
  }
}
