/**
 * The behaviour personas of the synthetic retail world: the ground truth that
 * segmentation is scored against. Parameters are chosen so that each persona
 * stands apart on at least one of recency, frequency, monetary value, product
 * views or cart abandonment, while all share one funnel (session → views →
 * cart → checkout → order), as real shoppers do.
 */
export const PERSONA_NAMES = [
  'champion',
  'loyal',
  'big_spender',
  'bargain_hunter',
  'window_shopper',
  'cart_abandoner',
  'new_customer',
  'churned',
  'anonymous_visitor',
] as const;
export type PersonaName = (typeof PERSONA_NAMES)[number];

/**
 * When a persona is active in the window:
 * - `steady`: all window long;
 * - `new`: first visit in the last {@link NEW_CUSTOMER_DAYS} days;
 * - `churned`: from the start until at least {@link CHURN_QUIET_DAYS} days before the end;
 * - `drive_by`: a few sessions within a few days, anywhere in the window.
 */
export type Lifecycle = 'steady' | 'new' | 'churned' | 'drive_by';
/** Which products a persona browses outside the Deals category. */
export type PriceTier = 'budget' | 'standard' | 'premium';

export interface Persona {
  name: PersonaName;
  summary: string;
  /** Fraction of the population; shares sum to 1. */
  share: number;
  lifecycle: Lifecycle;
  /** Whether the user ever identifies (logs in, signs up, checks out). */
  identifies: boolean;
  /** Mean time between session starts while active (sessions are at least 4 h apart). */
  meanDaysBetweenSessions: number;
  /** Mean `Product Viewed` per session (at least one, at most 15). */
  meanProductViews: number;
  searchChance: number;
  /** Chance that a viewed product goes into the cart. */
  addChance: number;
  /** Chance that a session with a non-empty cart starts checkout. */
  checkoutChance: number;
  /** Chance that a started checkout becomes an order. */
  completeChance: number;
  /** Chance that a viewed product comes from the Deals category. */
  dealsShare: number;
  priceTier: PriceTier;
  /** Quantity per cart line is uniform in 1..maxQuantity. */
  maxQuantity: number;
  /** Chance that an order is refunded days later (server-side `Order Refunded`). */
  refundChance: number;
}

export const NEW_CUSTOMER_DAYS = 30;
export const CHURN_QUIET_DAYS = 120;

// Measured per user over a 365-day window (seeds 1-3, 20,000 users): orders
// champion ≈ 37 (average order ≈ $300), loyal ≈ 15, bargain_hunter ≈ 11
// (≈ $35), churned ≈ 9 (all before the quiet period), big_spender ≈ 5.5
// (≈ $1,450), new_customer ≈ 2.5, cart_abandoner ≈ 1.3 of ≈ 21 checkouts;
// product views: window_shopper ≈ 315, champion ≈ 240, others ≤ 145.
export const PERSONAS: Readonly<Record<PersonaName, Persona>> = {
  champion: {
    name: 'champion', summary: 'frequent, recent, high value', share: 0.05, lifecycle: 'steady', identifies: true,
    meanDaysBetweenSessions: 6, meanProductViews: 4, searchChance: 0.5, addChance: 0.45,
    checkoutChance: 0.85, completeChance: 0.95, dealsShare: 0.05, priceTier: 'standard', maxQuantity: 2, refundChance: 0.02,
  },
  loyal: {
    name: 'loyal', summary: 'regular buyers', share: 0.12, lifecycle: 'steady', identifies: true,
    meanDaysBetweenSessions: 12, meanProductViews: 3, searchChance: 0.4, addChance: 0.4,
    checkoutChance: 0.8, completeChance: 0.9, dealsShare: 0.1, priceTier: 'standard', maxQuantity: 2, refundChance: 0.03,
  },
  big_spender: {
    name: 'big_spender', summary: 'rare, very large orders', share: 0.04, lifecycle: 'steady', identifies: true,
    meanDaysBetweenSessions: 35, meanProductViews: 5, searchChance: 0.6, addChance: 0.35,
    checkoutChance: 0.8, completeChance: 0.9, dealsShare: 0, priceTier: 'premium', maxQuantity: 3, refundChance: 0.04,
  },
  bargain_hunter: {
    name: 'bargain_hunter', summary: 'many small orders, mostly Deals', share: 0.1, lifecycle: 'steady', identifies: true,
    meanDaysBetweenSessions: 15, meanProductViews: 4, searchChance: 0.5, addChance: 0.35,
    checkoutChance: 0.75, completeChance: 0.9, dealsShare: 0.8, priceTier: 'budget', maxQuantity: 1, refundChance: 0.02,
  },
  window_shopper: {
    name: 'window_shopper', summary: 'many views and searches, never buys', share: 0.14, lifecycle: 'steady', identifies: true,
    meanDaysBetweenSessions: 8, meanProductViews: 8, searchChance: 0.8, addChance: 0,
    checkoutChance: 0, completeChance: 0, dealsShare: 0.1, priceTier: 'standard', maxQuantity: 1, refundChance: 0,
  },
  cart_abandoner: {
    name: 'cart_abandoner', summary: 'adds to cart, starts checkout, rarely completes', share: 0.08, lifecycle: 'steady', identifies: true,
    meanDaysBetweenSessions: 10, meanProductViews: 4, searchChance: 0.4, addChance: 0.55,
    checkoutChance: 0.7, completeChance: 0.06, dealsShare: 0.1, priceTier: 'standard', maxQuantity: 2, refundChance: 0,
  },
  new_customer: {
    name: 'new_customer', summary: 'first visit and first purchase in the last 30 days', share: 0.07, lifecycle: 'new', identifies: true,
    meanDaysBetweenSessions: 4, meanProductViews: 3, searchChance: 0.5, addChance: 0.4,
    checkoutChance: 0.7, completeChance: 0.85, dealsShare: 0.1, priceTier: 'standard', maxQuantity: 2, refundChance: 0.02,
  },
  churned: {
    name: 'churned', summary: 'bought regularly early on, silent for the last 120 days', share: 0.12, lifecycle: 'churned', identifies: true,
    meanDaysBetweenSessions: 12, meanProductViews: 3, searchChance: 0.4, addChance: 0.4,
    checkoutChance: 0.8, completeChance: 0.9, dealsShare: 0.1, priceTier: 'standard', maxQuantity: 2, refundChance: 0.04,
  },
  anonymous_visitor: {
    name: 'anonymous_visitor', summary: 'a few visits, never identifies', share: 0.28, lifecycle: 'drive_by', identifies: false,
    meanDaysBetweenSessions: 3, meanProductViews: 2, searchChance: 0.3, addChance: 0.1,
    checkoutChance: 0, completeChance: 0, dealsShare: 0.15, priceTier: 'standard', maxQuantity: 1, refundChance: 0,
  },
};

const GOLDEN_RATIO_FRACTION = 0.6180339887498949;
const CUMULATIVE_SHARES: readonly number[] = (() => {
  let total = 0;
  return PERSONA_NAMES.map((name) => (total += PERSONAS[name].share));
})();

/**
 * The persona of user `userIndex`. A golden-ratio (Weyl) sequence instead of a
 * random draw keeps every persona's count within a couple of users of its
 * share for any population size, so even a 200-user test world has all nine,
 * and user i's persona does not depend on how many users the world has.
 * `offset` in [0, 1) comes from the world seed.
 */
export function personaForUser(offset: number, userIndex: number): PersonaName {
  const position = (offset + userIndex * GOLDEN_RATIO_FRACTION) % 1;
  for (let index = 0; index < PERSONA_NAMES.length; index++) {
    if (position < (CUMULATIVE_SHARES[index] as number)) return PERSONA_NAMES[index] as PersonaName;
  }
  // Rounding can leave the shares summing to 0.9999…: the last persona takes the rest.
  return PERSONA_NAMES[PERSONA_NAMES.length - 1] as PersonaName;
}
