import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ChangeResult, Sink, SinkBatch, SinkCapabilities, SinkContext } from '../../../core/sync/sink.js';
import { createMarketoClient } from './client/marketo-client.js';
import { createLeadWriter } from './lead-writes.js';
import { changeListMembership } from './list-membership.js';
import { MARKETO_ACTION_KINDS, createMarketoActions } from './marketo-actions.js';
import { resolveMarketoConfig } from './marketo-sink-config.js';
import { ensureLeadFields, ensureStaticLists } from './schema-prepare.js';

/**
 * Marketo Engage sink: leads matched by email (createOrUpdate), segment
 * membership as static lists, privacy deletes. Pacing and retries belong
 * to the executor (`context.request`); the client only refreshes tokens.
 */
export interface MarketoSinkOptions {
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default Date.now */
  now?: () => number;
}

/** Marketo's cap for sync, delete and list-membership calls. */
const MAX_BATCH = 300;

export function createMarketoSink(rawConfig: unknown, options: MarketoSinkOptions = {}): Sink {
  const config = resolveMarketoConfig(rawConfig);
  const client = createMarketoClient({
    baseUrl: config.baseUrl,
    identityUrl: config.identityUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    now: options.now ?? Date.now,
    rateWindowMs: config.limits.intervalMs,
    fetch: options.fetch,
  });
  let fieldLengths: ReadonlyMap<string, number> = new Map();
  const leads = createLeadWriter(client, config, () => fieldLengths);
  let listIds = new Map<string, number>();

  const capabilities: SinkCapabilities = {
    operations: {
      upsert: { maxBatch: MAX_BATCH },
      update: { maxBatch: MAX_BATCH },
      'list-add': { maxBatch: MAX_BATCH },
      'list-remove': { maxBatch: MAX_BATCH },
      delete: { maxBatch: MAX_BATCH },
    },
    rateLimit: { requests: config.limits.requests, intervalMs: config.limits.intervalMs },
    concurrency: config.limits.concurrency,
    membershipNeedsVendorId: true,
    triggerKinds: MARKETO_ACTION_KINDS,
  };

  function listIdFor(batch: SinkBatch): number {
    const key = batch.list ?? (batch.changes[0] && 'list' in batch.changes[0] ? batch.changes[0].list : undefined);
    const id = key === undefined ? undefined : listIds.get(key);
    if (id === undefined) {
      throw new ConnectorError('config', 'marketo.list_not_prepared', `No Marketo static list is known for segflow list "${key ?? '(none)'}"; it must be part of the schema passed to prepare().`, {
        connector: 'sink:marketo',
      });
    }
    return id;
  }

  return {
    kind: 'sink:marketo',
    account: config.baseUrl,
    // The REST host is the instance (`<munchkin>.mktorest.com`): no call can say more, and two services of one instance share its leads.
    identify: () => Promise.resolve(`marketo:${new URL(config.baseUrl).host}`),
    capabilities: () => capabilities,
    actions: createMarketoActions(client, config),

    async prepare(spec, context) {
      fieldLengths = await ensureLeadFields(client, config, spec, context);
      listIds = await ensureStaticLists(client, config, spec, context);
    },

    async apply(batch: SinkBatch, context: SinkContext): Promise<ChangeResult[]> {
      if (batch.changes.length === 0) return [];
      switch (batch.op) {
        case 'upsert':
          return leads.sync(batch.changes, 'createOrUpdate', context);
        case 'update':
          return leads.sync(batch.changes, 'updateOnly', context);
        case 'list-add':
        case 'list-remove':
          return changeListMembership(client, listIdFor(batch), batch.op, batch.changes, context);
        case 'delete':
          return leads.delete(batch.changes, context);
      }
    },
  };
}
