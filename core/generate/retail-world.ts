import { createCatalog } from './catalog.js';
import { CHURN_QUIET_DAYS, type PersonaName } from './personas.js';
import { createRng, deriveSeed } from '../random/rng.js';
import type { SegmentMessage } from './segment-message.js';
import { simulateUser, type SimulatedUser, type WorldSettings } from './user-simulation.js';

export interface RetailWorldOptions {
  /** Same seed, same options ⇒ byte-identical world. */
  seed: number;
  users: number;
  /** Window start, epoch ms. @default Date.UTC(2026, 0, 1) */
  start?: number;
  /** Window length in days; at least 150 (churned users need 120 quiet days). @default 365 */
  days?: number;
  /**
   * Fraction of messages sent twice with the same messageId, as Segment
   * retries do. Retries use their own random stream: the world is otherwise
   * identical to the one without duplicates. @default 0
   */
  duplicateRate?: number;
}

export interface WorldMessage {
  message: SegmentMessage;
  persona: PersonaName;
  userIndex: number;
  /** True for a retry of the message before it (same messageId). */
  duplicate: boolean;
}

export const DEFAULT_WORLD_START = Date.UTC(2026, 0, 1);
export const DEFAULT_WORLD_DAYS = 365;
const MIN_DAYS = CHURN_QUIET_DAYS + 30;
const DAY_MS = 86_400_000;

/**
 * Start of the `days`-day window that ends at the UTC midnight that began
 * the day of `now`: what `segflow generate` uses by default, so a fresh world
 * has no event after the moment it was made (none is quarantined as "in the
 * future") and ends as recently as possible. Pure: the clock is passed in.
 */
export function windowStartEndingToday(now: number, days: number = DEFAULT_WORLD_DAYS): number {
  return Math.floor(now / DAY_MS) * DAY_MS - days * DAY_MS;
}

/**
 * Mean messages per user with the default 365-day window and no duplicates,
 * measured over 20,000 users (seeds 1-3 give 179.7-180.1). By persona:
 * champion ≈ 550, window_shopper ≈ 400, cart_abandoner ≈ 315, loyal ≈ 215,
 * bargain_hunter ≈ 200, churned ≈ 130, big_spender ≈ 100, new_customer ≈ 36,
 * anonymous_visitor ≈ 10. Longer or shorter windows scale the steady
 * personas roughly in proportion. A test keeps this number honest.
 */
export const MEAN_EVENTS_PER_USER = 180;

/** Users for about `events` messages (default window), e.g. 10 M events ⇒ ~56,000 users. */
export function usersForEvents(events: number, options: { duplicateRate?: number } = {}): number {
  if (!Number.isFinite(events) || events < 0) throw new RangeError(`usersForEvents: events must be a non-negative number, got ${events}`);
  return Math.max(1, Math.round(events / (MEAN_EVENTS_PER_USER * (1 + (options.duplicateRate ?? 0)))));
}

/** Validates options and builds what all users share (catalog, persona sequence). */
export function resolveWorld(options: RetailWorldOptions): WorldSettings {
  const { seed, users } = options;
  const start = options.start ?? DEFAULT_WORLD_START;
  const days = options.days ?? DEFAULT_WORLD_DAYS;
  const duplicateRate = options.duplicateRate ?? 0;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`retail world: seed must be a safe integer, got ${seed}`);
  if (!Number.isSafeInteger(users) || users < 0) throw new RangeError(`retail world: users must be a non-negative integer, got ${users}`);
  if (!Number.isSafeInteger(start)) throw new RangeError(`retail world: start must be epoch milliseconds, got ${start}`);
  if (!Number.isSafeInteger(days) || days < MIN_DAYS) {
    throw new RangeError(`retail world: days must be an integer of at least ${MIN_DAYS} (churned users need ${CHURN_QUIET_DAYS} quiet days after some history), got ${days}`);
  }
  if (!(duplicateRate >= 0 && duplicateRate < 1)) throw new RangeError(`retail world: duplicateRate must be in [0, 1), got ${duplicateRate}`);
  return {
    seed, users, start, days, duplicateRate,
    end: start + days * DAY_MS,
    catalog: createCatalog(seed),
    personaOffset: createRng(deriveSeed(seed, 0x7065_7273)).next(), // 'pers'
  };
}

/**
 * The world user by user, with each user's ground truth: what writeWorld and
 * identity tests need. Options are checked now, not at the first next().
 */
export function generateRetailUsers(options: RetailWorldOptions): Generator<SimulatedUser, void, undefined> {
  return simulateUsers(resolveWorld(options));
}

/**
 * The world as a message stream: users one after another, each user's
 * messages in chronological order. Lazy, so a 10-million-event world never
 * sits in memory. Options are checked now, not at the first next().
 */
export function generateRetailWorld(options: RetailWorldOptions): Generator<WorldMessage, void, undefined> {
  return worldMessages(generateRetailUsers(options));
}

/** Internal: writeWorld asks for the JSON lines too. */
export function* simulateUsers(world: WorldSettings, withLines = false): Generator<SimulatedUser, void, undefined> {
  for (let userIndex = 0; userIndex < world.users; userIndex++) yield simulateUser(world, userIndex, withLines);
}

function* worldMessages(users: Iterable<SimulatedUser>): Generator<WorldMessage, void, undefined> {
  for (const user of users) {
    const { persona, userIndex } = user.truth;
    for (let index = 0; index < user.messages.length; index++) {
      yield { message: user.messages[index] as SegmentMessage, persona, userIndex, duplicate: user.duplicate[index] === true };
    }
  }
}
