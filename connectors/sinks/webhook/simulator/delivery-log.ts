import type { PropertyValue } from '../../../../core/sync/sink.js';

/**
 * What a well-behaved receiver keeps: each action once, by its idempotency
 * key (the item's `id`, which a single POST also sends as Idempotency-Key),
 * and how often a key came back. A repeat is answered 200, so the sender
 * stops retrying, but it is not delivered again.
 */
export interface Delivery {
  id: string;
  type: string;
  occurredAt: string;
  profileId: string;
  properties: Record<string, PropertyValue>;
  /** The request's Idempotency-Key header (a batch key for an array body). */
  requestKey: string;
  /** The path the POST came to. */
  path: string;
}

export interface DeliveryLog {
  /** Records each item whose id is new; returns how many were repeats. */
  record(items: readonly Delivery[]): { accepted: number; repeats: number };
  deliveries(): Delivery[];
  /** Repeats per id (a key seen twice counts 1). */
  repeats(): Map<string, number>;
  totalRepeats(): number;
}

export function createDeliveryLog(): DeliveryLog {
  const byId = new Map<string, Delivery>();
  const repeats = new Map<string, number>();
  return {
    record(items) {
      let accepted = 0;
      let repeated = 0;
      for (const item of items) {
        if (byId.has(item.id)) {
          repeats.set(item.id, (repeats.get(item.id) ?? 0) + 1);
          repeated += 1;
        } else {
          byId.set(item.id, structuredClone(item));
          accepted += 1;
        }
      }
      return { accepted, repeats: repeated };
    },
    deliveries: () => [...byId.values()].map((item) => structuredClone(item)),
    repeats: () => new Map(repeats),
    totalRepeats: () => [...repeats.values()].reduce((sum, count) => sum + count, 0),
  };
}
