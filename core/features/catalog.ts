import { editDistance } from '../segments/rule-suggest.js';

/**
 * The built-in behavioral features. Each is defined once here and compiled to
 * SQL (feature-sql.ts), so the same definitions can later run where the data
 * lives (BigQuery, Snowflake). Windowable features take a `_<N>d` suffix:
 * `frequency_90d` is `frequency` over the 90 days before as-of.
 */
export type FeatureType = 'number' | 'string' | 'boolean';

export interface CatalogFeature {
  name: string;
  description: string;
  windowable: boolean;
  /** Needs the sessionization pass (costs a sort of all events). */
  needsSessions: boolean;
  /** Value when the profile has no matching events, before missing-value policy. */
  empty: 'zero' | 'null';
}

export const FEATURE_CATALOG: readonly CatalogFeature[] = [
  { name: 'recency_days', description: 'Whole days from the last order to as-of (null: never ordered).', windowable: false, needsSessions: false, empty: 'null' },
  { name: 'frequency', description: 'Distinct orders.', windowable: true, needsSessions: false, empty: 'zero' },
  { name: 'monetary', description: 'Sum of order revenue.', windowable: true, needsSessions: false, empty: 'zero' },
  { name: 'avg_order_value', description: 'monetary / frequency (null: no orders).', windowable: true, needsSessions: false, empty: 'null' },
  { name: 'refunds', description: 'Refund events.', windowable: true, needsSessions: false, empty: 'zero' },
  { name: 'events', description: 'All events.', windowable: true, needsSessions: false, empty: 'zero' },
  { name: 'tenure_days', description: 'Whole days from the first event to as-of.', windowable: false, needsSessions: false, empty: 'null' },
  { name: 'last_seen_days', description: 'Whole days from the last event of any kind to as-of.', windowable: false, needsSessions: false, empty: 'null' },
  { name: 'sessions', description: 'Sessions (a gap longer than sessions.gap starts a new one).', windowable: true, needsSessions: true, empty: 'zero' },
  { name: 'sessions_per_week', description: 'Sessions per week over the window, or over tenure (at least one week) when unwindowed.', windowable: true, needsSessions: true, empty: 'zero' },
  { name: 'avg_session_minutes', description: 'Mean session duration, first to last event, in minutes.', windowable: true, needsSessions: true, empty: 'null' },
  { name: 'engagement_depth', description: 'Distinct product categories the profile touched (viewed, carted or bought).', windowable: true, needsSessions: false, empty: 'zero' },
  { name: 'purchase_velocity_hours', description: 'Hours from the first product view to the first order after it (null: none).', windowable: false, needsSessions: false, empty: 'null' },
  { name: 'cart_abandonment_rate', description: 'Share of sessions with cart activity (add or checkout) that ended without an order (null: no cart sessions).', windowable: true, needsSessions: true, empty: 'null' },
];

const BY_NAME = new Map(FEATURE_CATALOG.map((feature) => [feature.name, feature]));
const WINDOWED = /^([a-z_]+?)_(\d+)d$/;

export interface FeatureReference {
  /** The column name users write: `frequency_90d`. */
  name: string;
  base: CatalogFeature;
  windowDays: number | null;
}

/** Resolves `frequency_90d` → frequency over 90 days; a reason when it is not a feature. */
export function resolveFeatureName(name: string): FeatureReference | { reason: string } {
  const direct = BY_NAME.get(name);
  if (direct) return { name, base: direct, windowDays: null };
  const match = WINDOWED.exec(name);
  if (match) {
    const base = BY_NAME.get(match[1] as string);
    const days = Number(match[2]);
    if (base && base.windowable && days > 0) return { name, base, windowDays: days };
    if (base) return { reason: `"${base.name}" cannot be windowed` };
  }
  const window = /_\d+d$/.exec(name)?.[0] ?? '';
  const base = closest(name.slice(0, name.length - window.length), FEATURE_CATALOG.filter((feature) => window === '' || feature.windowable).map((feature) => feature.name));
  const suggestion = base === null ? null : `${base}${window}`;
  return { reason: `unknown feature "${name}"${suggestion ? `; did you mean "${suggestion}"?` : ''} (built-in: ${FEATURE_CATALOG.map((f) => f.name).join(', ')})` };
}

function closest(name: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
