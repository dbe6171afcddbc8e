import { createHash } from 'node:crypto';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ChangeResult, Sink, SinkBatch, SinkCapabilities, SinkContext, SinkSchemaSpec } from '../../../core/sync/sink.js';
import { identifyPortal } from './account-identity.js';
import { HUBSPOT_ACTION_KINDS, createHubSpotActions } from './action-delivery.js';
import { purgeContacts } from './contact-purge.js';
import { updateContacts, upsertContacts } from './contact-writes.js';
import { ensureList } from './ensure-lists.js';
import { ensureProperties } from './ensure-properties.js';
import { failureStatus } from './hubspot-error-mapping.js';
import { HubSpotSession } from './hubspot-session.js';
import { HUBSPOT_CONNECTOR, type ResolvedHubSpotConfig, resolveHubSpotConfig } from './hubspot-sink-config.js';
import { changeMemberships } from './list-memberships.js';
import type { PropertyEncoding } from './property-encoding.js';

/**
 * HubSpot as a segflow sink: contacts upserted by email through the real
 * `@hubspot/api-client` (its retries and limiter off), segments as MANUAL
 * contact lists. Pacing and retries belong to the executor; this object
 * only turns one batch into vendor calls and reads the answers back.
 */
const CONTACT_BATCH = 100;

export function createHubSpotSink(rawConfig: unknown): Sink {
  const config = resolveHubSpotConfig(rawConfig);
  const session = new HubSpotSession(config);
  let encodings: ReadonlyMap<string, PropertyEncoding> = new Map();
  const listNames = new Map<string, string>();
  const listIds = new Map<string, Promise<string>>();

  /** The list id for a segflow list key; found or created again if it was dropped (a list deleted in HubSpot mid-run). */
  const listIdFor = (key: string, context: SinkContext): Promise<string> => {
    const known = listIds.get(key);
    if (known) return known;
    const name = listNames.get(key);
    if (name === undefined) {
      throw new ConnectorError('config', 'hubspot.list_not_prepared', `No HubSpot list is known for segflow list "${key}"; it must be part of the schema passed to prepare().`, { connector: HUBSPOT_CONNECTOR });
    }
    const pending = ensureList(name, session, context);
    listIds.set(key, pending);
    pending.catch(() => listIds.delete(key));
    return pending;
  };

  const dispatch = async (batch: SinkBatch, context: SinkContext): Promise<ChangeResult[]> => {
    switch (batch.op) {
      case 'upsert':
        return upsertContacts(batch.changes, encodings, session, context);
      case 'update':
        return updateContacts(batch.changes, encodings, session, context);
      case 'delete':
        return purgeContacts(batch.changes, session, context);
      case 'list-add':
      case 'list-remove': {
        const key = batch.list ?? (batch.changes[0] && 'list' in batch.changes[0] ? batch.changes[0].list : '');
        const listId = await listIdFor(key, context);
        try {
          return await changeMemberships(batch.op, listId, batch.changes, session, context);
        } catch (error) {
          if (failureStatus(error) !== 404) throw error;
          listIds.delete(key);
          throw new ConnectorError('retryable', 'hubspot.list_missing', `HubSpot list "${listNames.get(key) ?? key}" (id ${listId}) no longer exists; it is created again on the retry.`, {
            connector: HUBSPOT_CONNECTOR,
          });
        }
      }
    }
  };

  return {
    kind: 'sink:hubspot',
    account: accountName(config),
    // The portal, not the app: two tokens for one portal share its state, one app installed in two portals does not.
    identify: (context) => identifyPortal(session, config.baseUrl, context),
    actions: createHubSpotActions(session),
    capabilities: (): SinkCapabilities => ({
      operations: {
        upsert: { maxBatch: CONTACT_BATCH },
        update: { maxBatch: CONTACT_BATCH },
        'list-add': { maxBatch: config.listBatchSize },
        'list-remove': { maxBatch: config.listBatchSize },
        delete: { maxBatch: 1 },
      },
      rateLimit: { requests: config.limits.requests, intervalMs: config.limits.intervalMs },
      concurrency: config.limits.concurrency,
      membershipNeedsVendorId: true,
      triggerKinds: HUBSPOT_ACTION_KINDS,
    }),
    async prepare(spec: SinkSchemaSpec, context: SinkContext): Promise<void> {
      encodings = await ensureProperties(spec.properties, session, context);
      for (const { key, name } of spec.lists) {
        if (listNames.get(key) !== name) listIds.delete(key);
        listNames.set(key, name);
        await listIdFor(key, context);
      }
    },
    async apply(batch: SinkBatch, context: SinkContext): Promise<ChangeResult[]> {
      try {
        return await dispatch(batch, context);
      } catch (error) {
        // A whole-batch 4xx (not auth, not throttling) will not pass on a retry: every change fails with HubSpot's reason.
        if (error instanceof ConnectorError && error.kind === 'permanent') return batch.changes.map(() => ({ status: 'failed', error }));
        throw error;
      }
    },
  };
}

/**
 * One queue per HubSpot app: the burst limit is per app. Named by the
 * OAuth client id, or a hash of the private-app token (never the token).
 */
function accountName(config: ResolvedHubSpotConfig): string {
  const app = config.refresh?.clientId ?? `token-${createHash('sha256').update(config.accessToken ?? '').digest('hex').slice(0, 12)}`;
  return `hubspot:${app}@${new URL(config.baseUrl).host}`;
}
