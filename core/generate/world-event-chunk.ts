import type { CanonicalEvent, JsonObject } from '../events/canonical-event.js';
import { normalizeSegmentMessage } from '../events/normalize-segment.js';
import { simulateUser, type WorldSettings } from './user-simulation.js';

/** A message normalized, or refused with the normalizer's reason and the start of its JSON text. */
export type WorldEventItem = { ok: true; event: CanonicalEvent } | { ok: false; reason: string; sample: string };

/** Consecutive users' messages normalized, in the order generateRetailWorld yields them. */
export interface WorldEventChunk {
  firstUser: number;
  items: WorldEventItem[];
  /** Messages of each user of the chunk, first user first. */
  perUser: Uint32Array<ArrayBuffer>;
}

/**
 * Users [firstUser, firstUser + users) through normalizeSegmentMessage, as
 * the synthetic source stores them. Each event's context is cut to
 * `consent`, the only part of it the event store keeps (stored-payload.ts):
 * whole contexts were most of the bytes copied between threads.
 */
export function worldEventChunk(world: WorldSettings, firstUser: number, users: number, now: number): WorldEventChunk {
  const end = Math.min(world.users, firstUser + users);
  const perUser = new Uint32Array(Math.max(0, end - firstUser));
  const items: WorldEventItem[] = [];
  const options = { now };
  for (let userIndex = firstUser; userIndex < end; userIndex++) {
    const { messages } = simulateUser(world, userIndex, false);
    for (const message of messages) {
      // Generated messages always carry a messageId, so the normalizer never needs the JSON text for one.
      const result = normalizeSegmentMessage(message, options);
      if (!result.ok) {
        items.push({ ok: false, reason: result.reason, sample: JSON.stringify(message).slice(0, 200) });
        continue;
      }
      const { consent } = result.event.context;
      items.push({ ok: true, event: { ...result.event, context: consent === undefined ? {} : { consent } as JsonObject } });
    }
    perUser[userIndex - firstUser] = messages.length;
  }
  return { firstUser, items, perUser };
}
