/**
 * The vocabulary segment names are made from: archetypes a marketer knows
 * ("Power users", "Churn risk"), each defined by conditions on a cluster's
 * z-scores (cluster-profile.ts), and the words each feature is described with.
 * Kept as data so the whole naming policy reads in one screen and a new
 * archetype is one row.
 */

/**
 * Groups of interchangeable feature columns (base names: `frequency_90d`
 * counts as `frequency`). A condition reads the first signal member the data
 * has, so an archetype works with whichever of the features a user chose.
 */
export const SIGNALS = {
  /** Days since the last order: HIGH IS BAD (long gone). last_seen_days stands in when there is no order recency. */
  recency: ['recency_days', 'last_seen_days'],
  frequency: ['frequency'],
  spend: ['monetary', 'avg_order_value'],
  orderValue: ['avg_order_value'],
  tenure: ['tenure_days'],
  /** How much someone uses the product or site. */
  activity: ['sessions_per_week', 'sessions', 'events', 'avg_session_minutes'],
  /** Looking without buying: explicit view counts first, then breadth and activity. */
  browsing: [/(^|_)(product_)?views?$/, 'engagement_depth', 'sessions_per_week', 'sessions', 'events'],
  cartAbandonment: ['cart_abandonment_rate'],
  /** Only custom features have this (the catalogue has none): discount_share, coupon_orders, promo_rate … */
  discount: [/discount|coupon|promo/],
} as const satisfies Record<string, readonly (string | RegExp)[]>;

export type Signal = keyof typeof SIGNALS;

/**
 * One test on a z-score. `required`: the archetype needs the feature and the
 * test scores; `optional`: tested and scored only when the data has the
 * feature; `guard`: tested when the feature exists, never scored (it rules a
 * look-alike out without rewarding anything).
 */
export interface ArchetypeCondition {
  signal: Signal;
  op: '>=' | '<=';
  z: number;
  role: 'required' | 'optional' | 'guard';
}

export interface Archetype {
  name: string;
  /** For the report: what a marketer should read into the name. */
  meaning: string;
  conditions: readonly ArchetypeCondition[];
  /** Qualifies when every feature's |z| is at most this (and scores TYPICAL_SCORE): no trait stands out. */
  allWithin?: number;
}

/**
 * Score of a cluster for an archetype = mean of the scored z-scores, signed so
 * that meeting the condition is positive ("recency <= −0.3" scores −z), plus
 * SPECIFICITY_BONUS per scored condition beyond the first. The mean (not the
 * sum) lets the archetype built on a cluster's *strongest* traits win; the
 * small bonus breaks near-ties toward the more specific description
 * (Champions over Big spenders when recency and frequency agree too).
 */
export const SPECIFICITY_BONUS = 0.1;
/** Low on purpose: "Typical customers" wins only when nothing else fits. */
export const TYPICAL_SCORE = 0.15;

const need = (signal: Signal, op: '>=' | '<=', z: number): ArchetypeCondition => ({ signal, op, z, role: 'required' });
const ifPresent = (signal: Signal, op: '>=' | '<=', z: number): ArchetypeCondition => ({ signal, op, z, role: 'optional' });
const guard = (signal: Signal, op: '>=' | '<=', z: number): ArchetypeCondition => ({ signal, op, z, role: 'guard' });

/**
 * The archetypes, in tie-break order. Thresholds are in σ of the population.
 * They are modest because behavioural features are skewed: most customers
 * order once or twice, so even a clearly low-frequency cluster is rarely
 * below −0.5σ, while a whale cluster easily reaches +3σ.
 *
 * | name               | required                                        | when present / guard                 |
 * |--------------------|-------------------------------------------------|--------------------------------------|
 * | Power users        | activity ≥ +0.8, frequency ≥ +0.5               | recency ≤ 0                          |
 * | Champions          | frequency ≥ +0.5, spend ≥ +0.5, recency ≤ −0.3  |                                      |
 * | Big spenders       | spend ≥ +0.8                                    |                                      |
 * | Loyal regulars     | frequency ≥ +0.4, recency ≤ −0.2                | tenure ≥ +0.3                        |
 * | New customers      | recency ≤ −0.3, frequency ≤ −0.1                | tenure ≤ −0.5                        |
 * | Occasional buyers  | frequency ≤ −0.2                                | guard: recency ≤ +0.5 (else lapsed)  |
 * | Potential loyalists| recency ≤ −0.5                                  | guard: −0.1 ≤ frequency ≤ +0.4       |
 * | Churn risk         | recency ≥ +0.3, frequency ≥ −0.2                |                                      |
 * | Lapsed             | recency ≥ +0.6                                  | guard: frequency ≤ 0                 |
 * | Window shoppers    | browsing ≥ +0.5, frequency ≤ −0.2               |                                      |
 * | Cart abandoners    | cart abandonment ≥ +0.8                         |                                      |
 * | Bargain hunters    | discount ≥ +0.8                                 | order value ≤ 0                      |
 * | Typical customers  | every |z| ≤ 0.6                                 |                                      |
 *
 * DBSCAN noise is always "Unusual" and isolation-forest anomalies "Anomalous"
 * (SPECIAL_NAMES): their members share no profile, only their strangeness.
 */
export const ARCHETYPES: readonly Archetype[] = [
  { name: 'Power users', meaning: 'Use the product the most and buy often.', conditions: [need('activity', '>=', 0.8), need('frequency', '>=', 0.5), ifPresent('recency', '<=', 0)] },
  { name: 'Champions', meaning: 'Bought recently, buy often and spend the most.', conditions: [need('frequency', '>=', 0.5), need('spend', '>=', 0.5), need('recency', '<=', -0.3)] },
  { name: 'Big spenders', meaning: 'Spend far more than most customers.', conditions: [need('spend', '>=', 0.8)] },
  { name: 'Loyal regulars', meaning: 'Buy regularly and recently.', conditions: [need('frequency', '>=', 0.4), need('recency', '<=', -0.2), ifPresent('tenure', '>=', 0.3)] },
  { name: 'New customers', meaning: 'Arrived or first bought recently, few orders yet.', conditions: [need('recency', '<=', -0.3), need('frequency', '<=', -0.1), ifPresent('tenure', '<=', -0.5)] },
  { name: 'Occasional buyers', meaning: 'Buy rarely but have not left.', conditions: [need('frequency', '<=', -0.2), guard('recency', '<=', 0.5)] },
  { name: 'Potential loyalists', meaning: 'Bought recently and more than once: could become regulars.', conditions: [need('recency', '<=', -0.5), guard('frequency', '>=', -0.1), guard('frequency', '<=', 0.4)] },
  { name: 'Churn risk', meaning: 'Used to buy about as often as others, but not lately.', conditions: [need('recency', '>=', 0.3), need('frequency', '>=', -0.2)] },
  { name: 'Lapsed', meaning: 'Have not bought for a long time and bought little.', conditions: [need('recency', '>=', 0.6), guard('frequency', '<=', 0)] },
  { name: 'Window shoppers', meaning: 'Browse a lot, buy little.', conditions: [need('browsing', '>=', 0.5), need('frequency', '<=', -0.2)] },
  { name: 'Cart abandoners', meaning: 'Fill carts and leave without ordering.', conditions: [need('cartAbandonment', '>=', 0.8)] },
  { name: 'Bargain hunters', meaning: 'Buy mostly with discounts.', conditions: [need('discount', '>=', 0.8), ifPresent('orderValue', '<=', 0)] },
  { name: 'Typical customers', meaning: 'No trait stands out: close to the average on every feature.', conditions: [], allWithin: 0.6 },
];

export const SPECIAL_NAMES = {
  noise: { name: 'Unusual', meaning: 'Fit no cluster (DBSCAN noise): look at them one by one.' },
  anomalous: { name: 'Anomalous', meaning: 'Flagged by the isolation forest as unlike the rest (fraud, bulk buyers, data errors).' },
} as const;

/** How a feature is written: in reasons (label), in names (high / low), and to tell two clusters apart (higher / lower). */
export interface FeatureWords {
  label: string;
  high: string;
  low: string;
  higher: string;
  lower: string;
}

const WORDS: Readonly<Record<string, FeatureWords>> = {
  recency_days: { label: 'days since last order', high: 'long since last order', low: 'ordered recently', higher: 'longer since last order', lower: 'more recent' },
  frequency: { label: 'frequency', high: 'high frequency', low: 'low frequency', higher: 'more frequent', lower: 'less frequent' },
  monetary: { label: 'spend', high: 'high spend', low: 'low spend', higher: 'higher spend', lower: 'lower spend' },
  avg_order_value: { label: 'order value', high: 'large orders', low: 'small orders', higher: 'larger orders', lower: 'smaller orders' },
  refunds: { label: 'refunds', high: 'many refunds', low: 'few refunds', higher: 'more refunds', lower: 'fewer refunds' },
  events: { label: 'events', high: 'many events', low: 'few events', higher: 'more events', lower: 'fewer events' },
  tenure_days: { label: 'tenure', high: 'long tenure', low: 'short tenure', higher: 'longer tenure', lower: 'shorter tenure' },
  last_seen_days: { label: 'days since last seen', high: 'not seen lately', low: 'seen recently', higher: 'longer unseen', lower: 'seen more recently' },
  sessions: { label: 'sessions', high: 'many sessions', low: 'few sessions', higher: 'more sessions', lower: 'fewer sessions' },
  sessions_per_week: { label: 'sessions/week', high: 'many sessions/week', low: 'few sessions/week', higher: 'more sessions/week', lower: 'fewer sessions/week' },
  avg_session_minutes: { label: 'session length', high: 'long sessions', low: 'short sessions', higher: 'longer sessions', lower: 'shorter sessions' },
  engagement_depth: { label: 'engagement depth', high: 'broad interests', low: 'narrow interests', higher: 'broader interests', lower: 'narrower interests' },
  purchase_velocity_hours: { label: 'hours to first order', high: 'slow to buy', low: 'quick to buy', higher: 'slower to buy', lower: 'quicker to buy' },
  cart_abandonment_rate: { label: 'cart abandonment', high: 'abandons carts', low: 'completes carts', higher: 'more cart abandonment', lower: 'less cart abandonment' },
  anomaly_score: { label: 'anomaly score', high: 'high anomaly score', low: 'low anomaly score', higher: 'more anomalous', lower: 'less anomalous' },
};

const WINDOWED = /^(.+?)_(\d+)d$/;

/** `frequency_90d` → { base: 'frequency', windowDays: 90 }; other names are their own base. */
export function featureBase(name: string): { base: string; windowDays: number | null } {
  const match = WINDOWED.exec(name);
  return match ? { base: match[1]!, windowDays: Number(match[2]) } : { base: name, windowDays: null };
}

export function featureWords(name: string): FeatureWords {
  const { base, windowDays } = featureBase(name);
  const label = base.replaceAll('_', ' ');
  const words = WORDS[base]
    ?? (/discount|coupon|promo/.test(base)
      ? { label, high: 'deal-seeking', low: 'pays full price', higher: 'more deal-seeking', lower: 'less deal-seeking' }
      : { label, high: `high ${label}`, low: `low ${label}`, higher: `higher ${label}`, lower: `lower ${label}` });
  if (windowDays === null) return words;
  const suffix = ` (${windowDays}d)`;
  return {
    label: words.label + suffix, high: words.high + suffix, low: words.low + suffix,
    higher: words.higher + suffix, lower: words.lower + suffix,
  };
}

/** Whether a column (by base name) belongs to a signal member (a name or a pattern). */
export function matchesMember(base: string, member: string | RegExp): boolean {
  return typeof member === 'string' ? base === member : member.test(base);
}
