import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ActionCapability, ActionTargetSpec, ChangeResult, SinkAction, SinkContext } from '../../../core/sync/sink.js';
import { addActionsToList } from './action-list-add.js';
import { MAX_EVENT_BATCH, sendEvents } from './behavioral-events.js';
import { ensureList } from './ensure-lists.js';
import { type KnownEventDefinition, ensureEventDefinition } from './event-definitions.js';
import { failureStatus } from './hubspot-error-mapping.js';
import type { HubSpotSession } from './hubspot-session.js';
import { HUBSPOT_CONNECTOR } from './hubspot-sink-config.js';

/**
 * The HubSpot sink's trigger actions: `hubspot:event` (a custom behavioral
 * event occurrence, Enterprise) and `hubspot:list-add` (a MANUAL list a
 * workflow enrols from). What `prepare` found or created is cached per
 * target; `deliver` ensures it on a miss (a worker that starts without
 * prepare), and forgets it when HubSpot says it is gone, so the next call
 * finds or creates it again.
 */
export const HUBSPOT_EVENT = 'hubspot:event';
export const HUBSPOT_LIST_ADD = 'hubspot:list-add';
export const HUBSPOT_ACTION_KINDS = [HUBSPOT_EVENT, HUBSPOT_LIST_ADD] as const;

export function createHubSpotActions(session: HubSpotSession): ActionCapability {
  const definitions = new Map<string, Promise<KnownEventDefinition>>();
  const listIds = new Map<string, Promise<string>>();

  const cached = <T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> => {
    const known = cache.get(key);
    if (known) return known;
    const pending = load();
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
    return pending;
  };

  const definitionFor = (target: string, fields: readonly string[], context: SinkContext) => cached(definitions, target, () => ensureEventDefinition(target, fields, session, context));
  const listIdFor = (target: string, context: SinkContext) => cached(listIds, target, () => ensureList(target, session, context));

  const deliverGroup = async (kind: string, target: string, actions: readonly SinkAction[], context: SinkContext): Promise<ChangeResult[]> => {
    if (kind === HUBSPOT_EVENT) {
      const fields = [...new Set(actions.flatMap((action) => Object.keys(action.properties)))];
      const definition = await definitionFor(target, fields, context);
      try {
        return await sendEvents(actions, definition, session, context);
      } catch (error) {
        // A refusal may mean the definition changed in HubSpot since we read it: read it again next time.
        if (error instanceof ConnectorError && error.kind === 'permanent') definitions.delete(target);
        throw error;
      }
    }
    if (kind === HUBSPOT_LIST_ADD) {
      const listId = await listIdFor(target, context);
      try {
        return await addActionsToList(actions, listId, session, context);
      } catch (error) {
        if (failureStatus(error) !== 404) throw error;
        listIds.delete(target);
        throw new ConnectorError('retryable', 'hubspot.list_missing', `HubSpot list "${target}" (id ${listId}) no longer exists; it is created again on the retry.`, { connector: HUBSPOT_CONNECTOR });
      }
    }
    throw unknownKind(kind);
  };

  return {
    kinds: HUBSPOT_ACTION_KINDS,
    maxBatch: MAX_EVENT_BATCH,
    async prepare(targets: readonly ActionTargetSpec[], context: SinkContext): Promise<void> {
      for (const { kind, target, fields } of targets) {
        if (kind === HUBSPOT_EVENT) {
          // Always ask HubSpot: prepare is where a definition edited in HubSpot (or a new payload field) is noticed.
          definitions.delete(target);
          await definitionFor(target, fields, context);
        } else if (kind === HUBSPOT_LIST_ADD) {
          listIds.delete(target);
          await listIdFor(target, context);
        } else throw unknownKind(kind);
      }
    },
    async deliver(actions: readonly SinkAction[], context: SinkContext): Promise<ChangeResult[]> {
      // The worker sends one (kind, target) per call; grouping keeps any mix correct, in order.
      const results = new Array<ChangeResult>(actions.length);
      for (const [key, indexes] of groupIndexes(actions)) {
        const [kind = '', target = ''] = key.split('\u001f');
        const answers = await deliverGroup(kind, target, indexes.map((index) => actions[index] as SinkAction), context);
        indexes.forEach((index, position) => (results[index] = answers[position] as ChangeResult));
      }
      return results;
    },
  };
}

function groupIndexes(actions: readonly SinkAction[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  actions.forEach((action, index) => {
    const key = `${action.kind}\u001f${action.target}`;
    groups.set(key, [...(groups.get(key) ?? []), index]);
  });
  return groups;
}

function unknownKind(kind: string): ConnectorError {
  return new ConnectorError('config', 'hubspot.action_kind_unknown', `The HubSpot sink cannot deliver "${kind}" actions; it supports ${HUBSPOT_ACTION_KINDS.join(' and ')}.`, { connector: HUBSPOT_CONNECTOR });
}
