import { createHash } from 'node:crypto';
import type { PropertyValue, SinkAction } from '../../../core/sync/sink.js';

/**
 * What one POST carries. The action id is the idempotency key: the same
 * match always has the same id, so a retry after a lost answer carries the
 * key the receiver already saw.
 */
export interface WebhookItem {
  id: string;
  /** The trigger action's target (the event name the mapping gives it). */
  type: string;
  occurred_at: string;
  profile_id: string;
  properties: Readonly<Record<string, PropertyValue>>;
}

export interface WebhookRequest {
  rawBody: string;
  /** One action: its id. A batch: a digest of the item ids, so the same batch retried has the same key. */
  idempotencyKey: string;
  items: number;
}

export function itemFor(action: SinkAction): WebhookItem {
  return { id: action.id, type: action.target, occurred_at: action.occurredAt, profile_id: action.record.profileId, properties: action.properties };
}

/** A single object when `asArray` is false (max_batch 1), else a JSON array, so one endpoint always sees one shape. */
export function requestFor(actions: readonly SinkAction[], asArray: boolean): WebhookRequest {
  const items = actions.map(itemFor);
  if (!asArray) {
    const only = items[0] as WebhookItem;
    return { rawBody: JSON.stringify(only), idempotencyKey: only.id, items: 1 };
  }
  return { rawBody: JSON.stringify(items), idempotencyKey: batchKey(items.map((item) => item.id)), items: items.length };
}

export function batchKey(ids: readonly string[]): string {
  return `batch_${createHash('sha256').update(ids.join(',')).digest('base64url').slice(0, 22)}`;
}
