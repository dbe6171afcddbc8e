import type { CustomFeatureConfig, FeaturesConfig } from '../config/mapping-schema.js';
import { durationMs } from '../config/durations.js';
import { resolveFeatureName, type FeatureReference } from './catalog.js';
import { propertyPath, sqlIdentifier, sqlString } from './sql-quote.js';

export interface FeaturePlan {
  /** Built-in features (resolved) and custom ones, in output column order. */
  columns: string[];
  /** CREATE OR REPLACE TABLE features AS … */
  sql: string;
}

export interface FeatureSqlOptions {
  features: FeaturesConfig;
  /** Extra built-ins needed by segmentations (RFM inputs), deduplicated. */
  extra: readonly string[];
  sessionGapMs: number;
  /** As-of instant, epoch ms: events at or after it are ignored. */
  asOf: number;
}

const DAY_MS = 86_400_000;

/**
 * Counts are INTEGER (JS numbers, not bigints, when read back); money and
 * rates are DOUBLE.
 *
 * Compiles the feature catalog to one DuckDB statement. Pure: the same plan
 * can be printed (`segflow plan`), tested, or run elsewhere. Only the passes a
 * feature needs are emitted (sessionization sorts every event, so it is
 * skipped when no session feature is asked for).
 */
export function compileFeatureSql(options: FeatureSqlOptions): FeaturePlan {
  const names = [...new Set([...options.features.include, ...options.extra])];
  const references = names.map((name) => {
    const resolved = resolveFeatureName(name);
    if ('reason' in resolved) throw new Error(resolved.reason);
    return resolved;
  });
  const events = options.features.events;
  const asOf = `epoch_ms(${Math.round(options.asOf)})`;
  const needSessions = references.some((reference) => reference.base.needsSessions);
  const needVelocity = references.some((reference) => reference.base.name === 'purchase_velocity_hours');
  const needPayload = options.features.custom.some((custom) => custom.property !== undefined || custom.where !== undefined);
  const order = sqlString(events.order);
  // Windows as an absolute start instant: exact for sub-day custom windows (12h).
  const windowFilter = (days: number | null, column = 'ts') => (days === null ? 'TRUE' : `${column} >= epoch_ms(${Math.round(options.asOf - days * DAY_MS)})`);

  const baseColumns: string[] = [
    'count(*) AS _events_all',
    'min(ts) AS _first_ts',
    'max(ts) AS _last_ts',
    `max(ts) FILTER (WHERE event = ${order}) AS _last_order`,
  ];
  const sessionColumns: string[] = [];
  const select: string[] = [];
  const days = (expression: string) => `CAST(floor((epoch_ms(${asOf}) - epoch_ms(${expression})) / ${DAY_MS}) AS INTEGER)`;

  for (const reference of references) {
    const column = sqlIdentifier(reference.name);
    const inWindow = windowFilter(reference.windowDays);
    const inner = `_${reference.name}`;
    switch (reference.base.name) {
      case 'recency_days':
        select.push(`${days('b._last_order')} AS ${column}`);
        break;
      case 'tenure_days':
        select.push(`${days('b._first_ts')} AS ${column}`);
        break;
      case 'last_seen_days':
        select.push(`${days('b._last_ts')} AS ${column}`);
        break;
      case 'frequency':
        baseColumns.push(`CAST(count(DISTINCT order_key) FILTER (WHERE event = ${order} AND ${inWindow}) AS INTEGER) AS ${inner}`);
        select.push(`b.${inner} AS ${column}`);
        break;
      case 'monetary':
        baseColumns.push(`coalesce(sum(revenue) FILTER (WHERE event = ${order} AND ${inWindow}), 0) AS ${inner}`);
        select.push(`b.${inner} AS ${column}`);
        break;
      case 'avg_order_value':
        baseColumns.push(`sum(revenue) FILTER (WHERE event = ${order} AND ${inWindow}) / nullif(count(DISTINCT order_key) FILTER (WHERE event = ${order} AND ${inWindow}), 0) AS ${inner}`);
        select.push(`b.${inner} AS ${column}`);
        break;
      case 'refunds':
        baseColumns.push(`CAST(count(*) FILTER (WHERE event = ${sqlString(events.refund)} AND ${inWindow}) AS INTEGER) AS ${inner}`);
        select.push(`b.${inner} AS ${column}`);
        break;
      case 'events':
        baseColumns.push(`CAST(count(*) FILTER (WHERE ${inWindow}) AS INTEGER) AS ${inner}`);
        select.push(`b.${inner} AS ${column}`);
        break;
      case 'engagement_depth':
        baseColumns.push(`CAST(count(DISTINCT category) FILTER (WHERE ${inWindow}) AS INTEGER) AS ${inner}`);
        select.push(`b.${inner} AS ${column}`);
        break;
      case 'purchase_velocity_hours':
        select.push(`(epoch_ms(v._first_order_after_view) - epoch_ms(v._first_view)) / 3600000.0 AS ${column}`);
        break;
      default:
        select.push(sessionFeature(reference, inner, column, sessionColumns, windowFilter(reference.windowDays, 'started'), asOf));
    }
  }
  for (const custom of options.features.custom) {
    baseColumns.push(`${customAggregate(custom, windowFilter(custom.window ? durationMs(custom.window) / DAY_MS : null))} AS ${sqlIdentifier(`_${custom.name}`)}`);
    select.push(`b.${sqlIdentifier(`_${custom.name}`)} AS ${sqlIdentifier(custom.name)}`);
  }

  const ctes: string[] = [
    `ev AS (
      SELECT m.profile_id, e.seq, e.ts, e.event, e.revenue, coalesce(e.order_id, e.message_id) AS order_key, e.category${needPayload ? ', e.properties' : ''}
      FROM events e JOIN identity_map m ON m.id_key = e.id_key
      WHERE e.ts < ${asOf})`,
    `base AS (SELECT profile_id, ${baseColumns.join(',\n      ')} FROM ev GROUP BY profile_id)`,
  ];
  const joins: string[] = [];
  if (needSessions) {
    const cart = `event IN (${sqlString(events.add_to_cart)}, ${sqlString(events.checkout)})`;
    ctes.push(
      `gaps AS (
        SELECT profile_id, seq, ts, event,
          CASE WHEN epoch_ms(ts) - epoch_ms(lag(ts) OVER (PARTITION BY profile_id ORDER BY ts, seq)) <= ${Math.round(options.sessionGapMs)} THEN 0 ELSE 1 END AS starts_session
        FROM ev)`,
      `numbered AS (SELECT *, sum(starts_session) OVER (PARTITION BY profile_id ORDER BY ts, seq ROWS UNBOUNDED PRECEDING) AS session_no FROM gaps)`,
      `sessions AS (
        SELECT profile_id, session_no, min(ts) AS started, max(ts) AS ended,
          bool_or(${cart}) AS cart, bool_or(event = ${order}) AS purchased
        FROM numbered GROUP BY profile_id, session_no)`,
      `session_features AS (SELECT profile_id, ${sessionColumns.join(',\n      ')} FROM sessions GROUP BY profile_id)`,
    );
    joins.push('LEFT JOIN session_features s ON s.profile_id = b.profile_id');
  }
  if (needVelocity) {
    ctes.push(
      `first_view AS (SELECT profile_id, min(ts) AS _first_view FROM ev WHERE event = ${sqlString(events.product_view)} GROUP BY profile_id)`,
      `velocity AS (
        SELECT f.profile_id, f._first_view, min(e.ts) AS _first_order_after_view
        FROM first_view f JOIN ev e ON e.profile_id = f.profile_id AND e.event = ${order} AND e.ts >= f._first_view
        GROUP BY f.profile_id, f._first_view)`,
    );
    joins.push('LEFT JOIN velocity v ON v.profile_id = b.profile_id');
  }
  const columns = [...references.map((reference) => reference.name), ...options.features.custom.map((custom) => custom.name)];
  const sql = `CREATE OR REPLACE TABLE features AS
WITH ${ctes.join(',\n')}
SELECT b.profile_id, ${select.join(',\n  ')}
FROM base b ${joins.join(' ')}
ORDER BY b.profile_id`;
  return { columns, sql };
}

function sessionFeature(reference: FeatureReference, inner: string, column: string, sessionColumns: string[], inWindow: string, asOf: string): string {
  const sessionsInWindow = `count(*) FILTER (WHERE ${inWindow})`;
  switch (reference.base.name) {
    case 'sessions':
      sessionColumns.push(`CAST(${sessionsInWindow} AS INTEGER) AS ${inner}`);
      return `coalesce(s.${inner}, 0) AS ${column}`;
    case 'sessions_per_week': {
      const weeks = reference.windowDays === null
        ? `greatest((epoch_ms(${asOf}) - epoch_ms(min(started))) / ${DAY_MS}.0, 7) / 7.0`
        : `${reference.windowDays / 7}`;
      sessionColumns.push(`${sessionsInWindow} / (${weeks}) AS ${inner}`);
      return `coalesce(s.${inner}, 0) AS ${column}`;
    }
    case 'avg_session_minutes':
      sessionColumns.push(`avg(epoch_ms(ended) - epoch_ms(started)) FILTER (WHERE ${inWindow}) / 60000.0 AS ${inner}`);
      return `s.${inner} AS ${column}`;
    case 'cart_abandonment_rate':
      sessionColumns.push(`count(*) FILTER (WHERE cart AND NOT purchased AND ${inWindow}) / nullif(count(*) FILTER (WHERE cart AND ${inWindow}), 0) AS ${inner}`);
      return `s.${inner} AS ${column}`;
    default:
      throw new Error(`feature "${reference.base.name}" has no SQL`);
  }
}

/**
 * Property values are compared by meaning, not by JSON text: the bulk and the
 * JS ingest paths may write 20 as `20` or `20.0`, and both must match
 * `where: {price: 20}` and count once in a distinct.
 */
function customAggregate(custom: CustomFeatureConfig, inWindow: string): string {
  const conditions = [`event = ${sqlString(custom.event)}`, inWindow];
  for (const [key, value] of Object.entries(custom.where ?? {})) {
    conditions.push(typeof value === 'number'
      ? `TRY_CAST(json_extract_string(properties, ${propertyPath(key)}) AS DOUBLE) = ${value}`
      : `json_extract_string(properties, ${propertyPath(key)}) = ${sqlString(String(value))}`);
  }
  const filter = conditions.join(' AND ');
  const path = propertyPath(custom.property ?? '');
  switch (custom.kind) {
    case 'count':
      return `CAST(count(*) FILTER (WHERE ${filter}) AS INTEGER)`;
    case 'sum':
      return `coalesce(sum(TRY_CAST(json_extract_string(properties, ${path}) AS DOUBLE)) FILTER (WHERE ${filter}), 0)`;
    case 'distinct':
      return `CAST(count(DISTINCT CASE WHEN json_type(properties, ${path}) IN ('BIGINT', 'UBIGINT', 'DOUBLE')
        THEN CAST(TRY_CAST(json_extract(properties, ${path}) AS DOUBLE) AS VARCHAR)
        ELSE json_extract_string(properties, ${path}) END) FILTER (WHERE ${filter}) AS INTEGER)`;
  }
}
