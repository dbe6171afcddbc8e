import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ActionCapability, ChangeResult, SinkAction, SinkChange, SinkContext } from '../../../core/sync/sink.js';
import { resolveLeadIds } from './action-leads.js';
import { createCampaignRequester } from './campaign-requests.js';
import type { MarketoClient } from './client/marketo-client.js';
import { changeListMembership } from './list-membership.js';
import type { ResolvedMarketoConfig } from './marketo-sink-config.js';
import { ensureStaticLists } from './schema-prepare.js';

/**
 * What Marketo triggers can do: `marketo:campaign` (Request Campaign, see
 * campaign-requests.ts) and `marketo:list-add` (add the lead to a static
 * list, e.g. one a trigger campaign listens to; adding twice is harmless,
 * so a retry after a lost answer needs no check). Delivery hands one kind
 * and target per call; a mixed batch is still split here by kind.
 */
export const MARKETO_ACTION_KINDS = ['marketo:campaign', 'marketo:list-add'] as const;

/** Request Campaign takes 100 leads a call (list add takes 300); one cap keeps a batch to one call. */
const MAX_ACTION_BATCH = 100;

export function createMarketoActions(client: MarketoClient, config: ResolvedMarketoConfig): ActionCapability {
  const campaigns = createCampaignRequester(client, config.lookupField);
  const listIds = new Map<string, number>();

  async function listIdFor(target: string, context: SinkContext): Promise<number> {
    if (/^\d+$/.test(target.trim())) return Number(target.trim());
    const known = listIds.get(target);
    if (known !== undefined) return known;
    const found = await ensureStaticLists(client, config, { properties: [], lists: [{ key: target, name: target }] }, context);
    const id = found.get(target);
    if (id === undefined) throw new ConnectorError('config', 'marketo.list_not_prepared', `No Marketo static list "${target}" could be found or created for a marketo:list-add action.`, { connector: 'sink:marketo' });
    listIds.set(target, id);
    return id;
  }

  async function addToLists(actions: readonly SinkAction[], context: SinkContext): Promise<ChangeResult[]> {
    const results: Array<ChangeResult | undefined> = actions.map(() => undefined);
    const leadIds = await resolveLeadIds(client, config.lookupField, actions, context);
    const byTarget = new Map<string, Array<{ index: number; change: SinkChange }>>();
    for (const [index, action] of actions.entries()) {
      const leadId = leadIds[index];
      if (leadId === undefined) {
        results[index] = { status: 'skipped', reason: 'no such lead' };
        continue;
      }
      const change: SinkChange = { op: 'list-add', list: action.target, record: { ...action.record, vendorId: String(leadId) } };
      byTarget.set(action.target, [...(byTarget.get(action.target) ?? []), { index, change }]);
    }
    for (const [target, entries] of byTarget) {
      const outcomes = await changeListMembership(client, await listIdFor(target, context), 'list-add', entries.map((entry) => entry.change), context);
      entries.forEach((entry, position) => (results[entry.index] = outcomes[position]));
    }
    return results as ChangeResult[];
  }

  return {
    kinds: MARKETO_ACTION_KINDS,
    maxBatch: MAX_ACTION_BATCH,

    async prepare(targets, context) {
      await campaigns.prepare(targets, context);
      for (const target of targets) if (target.kind === 'marketo:list-add') await listIdFor(target.target, context);
    },

    async deliver(actions, context) {
      const results: ChangeResult[] = new Array<ChangeResult>(actions.length);
      for (const kind of new Set(actions.map((action) => action.kind))) {
        const positions = actions.flatMap((action, index) => (action.kind === kind ? [index] : []));
        const subset = positions.map((index) => actions[index] as SinkAction);
        const outcomes = await deliverKind(kind, subset, context);
        positions.forEach((index, position) => (results[index] = outcomes[position] as ChangeResult));
      }
      return results;
    },
  };

  function deliverKind(kind: string, actions: readonly SinkAction[], context: SinkContext): Promise<ChangeResult[]> {
    if (kind === 'marketo:campaign') return campaigns.deliver(actions, context);
    if (kind === 'marketo:list-add') return addToLists(actions, context);
    const error = new ConnectorError('config', 'marketo.unknown_action_kind', `The Marketo sink cannot deliver actions of kind "${kind}"; it supports ${MARKETO_ACTION_KINDS.join(', ')}.`, { connector: 'sink:marketo' });
    return Promise.resolve(actions.map(() => ({ status: 'failed', error })));
  }
}
