import type { JsonObject } from '../events/canonical-event.js';
import type { Catalog } from './catalog.js';
import { createConsent, createDevice, createServer, type Device } from './device.js';
import { createMessageEmitter } from './message-emitter.js';
import { deepFreeze } from './frozen-json.js';
import { CHURN_QUIET_DAYS, NEW_CUSTOMER_DAYS, PERSONAS, personaForUser, type Persona, type PersonaName } from './personas.js';
import { createRng, deriveSeed, type Rng } from '../random/rng.js';
import { RETAIL_EVENTS, type SegmentMessage } from './segment-message.js';
import { runSession, type SessionPlan, type Shopper } from './shopping-session.js';

/** A resolved world: validated options plus what every user shares. */
export interface WorldSettings {
  seed: number;
  users: number;
  start: number;
  end: number;
  days: number;
  duplicateRate: number;
  catalog: Catalog;
  /** Start of the persona sequence, from the seed. */
  personaOffset: number;
}

/** Who a user really is: the answer key for identity stitching and segmentation. */
export interface UserTruth {
  userKey: string;
  userIndex: number;
  persona: PersonaName;
  /** Null for users who never identify. */
  userId: string | null;
  /** Every anonymousId the user's devices used, first device first. */
  anonymousIds: string[];
}

export interface SimulatedUser {
  truth: UserTruth;
  /** Chronological (by true time); a retry follows the message it repeats. */
  messages: SegmentMessage[];
  /** Parallel to `messages`: true for a retry. */
  duplicate: boolean[];
  /** Parallel to `messages` when asked for: each message's JSON text. */
  lines: string[] | null;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Session starts are at least this far apart, and a session lasts under 3 h: gaps between sessions always exceed 30 minutes. */
const MIN_SESSION_SPACING_MS = 4 * HOUR_MS;
const MAX_SESSION_MS = 3 * HOUR_MS;
const MOBILE_SHARE = 0.3;
/** Of identified users with a session after their first identify. */
const SECOND_DEVICE_SHARE = 0.16;
const ALIAS_SHARE = 0.02;
const FIRST_NAMES = ['Ava', 'Liam', 'Mia', 'Noah', 'Zoe', 'Omar', 'Ines', 'Kai', 'Lena', 'Raj', 'Sofia', 'Yuki', 'Theo', 'Nora', 'Ben', 'Amara'];
const LAST_NAMES = ['Garcia', 'Smith', 'Kim', 'Nguyen', 'Okafor', 'Müller', 'Rossi', 'Silva', 'Cohen', 'Patel', 'Dubois', 'Larsen'];

/** Plays one user's whole window. Depends only on (world, userIndex): users can be generated in any order. */
export function simulateUser(world: WorldSettings, userIndex: number, withLines = false): SimulatedUser {
  const persona = PERSONAS[personaForUser(world.personaOffset, userIndex)];
  const rng = createRng(deriveSeed(world.seed, userIndex, 1));
  const duplicateRng = world.duplicateRate > 0 ? createRng(deriveSeed(world.seed, userIndex, 2)) : null;
  const userId = persona.identifies ? `user-${userIndex}` : null;
  const emitter = createMessageEmitter({ seed: world.seed, userIndex, userId, rng, duplicateRng, duplicateRate: world.duplicateRate, withLines });

  const consent = createConsent(rng);
  const [from, to] = activeSpan(world, persona, rng);
  const primary = createDevice(rng, rng.chance(MOBILE_SHARE) ? 'mobile' : 'web', consent);
  const plans: SessionPlan[] = sessionStarts(persona, from, to, rng).map((start) => ({ start, device: primary, mustBuy: false, identify: 'none' }));
  const devices: Device[] = [primary];
  if (persona.identifies) planIdentity(plans, persona, primary, devices, consent, rng);
  if (persona.lifecycle === 'new') (plans[rng.int(Math.min(2, plans.length))] as SessionPlan).mustBuy = true;

  const shopper: Shopper = {
    persona, catalog: world.catalog, rng, emitter,
    idStem: `${world.seed}-${userIndex}`,
    favoriteCategory: rng.pick(world.catalog.browseCategories),
    traits: deepFreeze(userId === null ? {} : traitsFor(rng, userIndex, persona, from)),
    aliasDevice: persona.identifies && rng.chance(ALIAS_SHARE) ? primary : null,
    activeEnd: to,
    orders: 0,
    checkouts: 0,
    carts: 0,
    pendingRefunds: [],
  };
  const server = createServer(consent);
  for (const plan of plans) {
    emitRefunds(shopper, server, plan.start, 0);
    const end = runSession(shopper, plan);
    // A refund due during the session is processed right after it.
    emitRefunds(shopper, server, end, end + 1_000);
  }
  emitRefunds(shopper, server, Number.POSITIVE_INFINITY, 0);

  return {
    truth: {
      userKey: String(userIndex),
      userIndex,
      persona: persona.name,
      userId,
      anonymousIds: devices.map((device) => device.anonymousId ?? ''),
    },
    messages: emitter.messages,
    duplicate: emitter.duplicate,
    lines: emitter.lines,
  };
}

/**
 * The device identifies in one of its first sessions (or at its first
 * checkout, whichever comes first). Some users later shop on a second device,
 * anonymous at first, that identifies in its second session (or at the end of
 * its only one) - the cross-device case identity stitching exists for.
 */
function planIdentity(plans: SessionPlan[], persona: Persona, primary: Device, devices: Device[], consent: JsonObject, rng: Rng): void {
  const identifyAt = persona.lifecycle === 'new' ? 0 : rng.int(Math.min(4, plans.length));
  (plans[identifyAt] as SessionPlan).identify = 'start';
  if (identifyAt >= plans.length - 1 || !rng.chance(SECOND_DEVICE_SHARE)) return;
  // Cross-device usually means phone plus laptop.
  const otherKind: 'web' | 'mobile' = primary.kind === 'web' ? 'mobile' : 'web';
  const sameKind: 'web' | 'mobile' = primary.kind === 'web' ? 'web' : 'mobile';
  const second = createDevice(rng, rng.chance(0.7) ? otherKind : sameKind, consent);
  devices.push(second);
  const onSecond: SessionPlan[] = [];
  for (let index = identifyAt + 1; index < plans.length; index++) {
    const plan = plans[index] as SessionPlan;
    if (rng.chance(0.4)) {
      plan.device = second;
      onSecond.push(plan);
    }
  }
  if (onSecond.length === 0) {
    const last = plans[plans.length - 1] as SessionPlan;
    last.device = second;
    onSecond.push(last);
  }
  if (onSecond.length >= 2) (onSecond[1] as SessionPlan).identify = 'start';
  else (onSecond[0] as SessionPlan).identify = 'end';
}

/** [first possible session start, time by which all activity has ended]. */
function activeSpan(world: WorldSettings, persona: Persona, rng: Rng): [number, number] {
  switch (persona.lifecycle) {
    case 'steady':
      return [world.start, world.end];
    case 'new':
      return [world.end - Math.round((0.5 + rng.next() * (NEW_CUSTOMER_DAYS - 1)) * DAY_MS), world.end];
    case 'churned': {
      // Quiet for 120 days at least; up to 45 more so churn dates spread out.
      const slackDays = Math.max(0, Math.min(45, world.days - CHURN_QUIET_DAYS - 30));
      return [world.start, world.end - Math.round((CHURN_QUIET_DAYS + rng.next() * slackDays) * DAY_MS)];
    }
    case 'drive_by': {
      const windowMs = world.end - world.start;
      const length = Math.min(windowMs / 2, Math.round(MIN_SESSION_SPACING_MS + rng.exponential(5 * DAY_MS)));
      const from = world.start + Math.round(rng.next() * (windowMs - length));
      return [from, Math.round(from + length)];
    }
  }
}

/** Session starts from `from` (a steady shopper's first visit is random) until the last that can finish by `to`. */
function sessionStarts(persona: Persona, from: number, to: number, rng: Rng): number[] {
  const lastStart = to - MAX_SESSION_MS;
  const meanGap = persona.meanDaysBetweenSessions * DAY_MS;
  const extraGap = Math.max(HOUR_MS, meanGap - MIN_SESSION_SPACING_MS);
  const starts: number[] = [];
  let time = persona.lifecycle === 'new' || persona.lifecycle === 'drive_by' ? from : from + Math.round(rng.exponential(meanGap));
  while (time <= lastStart) {
    starts.push(time);
    time += MIN_SESSION_SPACING_MS + Math.round(rng.exponential(extraGap));
  }
  if (starts.length === 0) starts.push(from + Math.round(rng.next() * (lastStart - from)));
  return starts;
}

function traitsFor(rng: Rng, userIndex: number, persona: Persona, firstVisit: number): JsonObject {
  // Existing customers signed up before the window; new ones on their first visit.
  const createdAt = persona.lifecycle === 'new' ? firstVisit : firstVisit - Math.round(rng.next() * 3 * 365 * DAY_MS);
  return {
    email: `user${userIndex}@example.com`,
    first_name: rng.pick(FIRST_NAMES),
    last_name: rng.pick(LAST_NAMES),
    created_at: new Date(createdAt).toISOString(),
  };
}

/** Backend refunds due before `before`, sent no earlier than `notBefore`, in time order. */
function emitRefunds(shopper: Shopper, server: Device, before: number, notBefore: number): void {
  if (shopper.pendingRefunds.length === 0) return;
  const due = shopper.pendingRefunds.filter((refund) => refund.time < before).sort((left, right) => left.time - right.time);
  if (due.length === 0) return;
  shopper.pendingRefunds = shopper.pendingRefunds.filter((refund) => refund.time >= before);
  for (const refund of due) {
    shopper.emitter.track(server, Math.max(refund.time, notBefore), RETAIL_EVENTS.orderRefunded, refund.properties, null);
  }
}
