import { createHash } from 'node:crypto';
import { canonicalParams } from './ga4-params.js';
import type { Ga4Row } from './ga4-row.js';

/**
 * GA4 exports carry no event id, so one is derived from what identifies an
 * event: who (user_pseudo_id, else user_id), when (event_timestamp, µs),
 * what (event_name) and its parameters (order-independent, INT64 spelling
 * normalized). Consequences, on purpose:
 *
 * - the same event read again (a late re-read of a daily table, the intraday
 *   table and then the daily one, BigQuery and an NDJSON extract of it) has
 *   the same id, so the store keeps it once;
 * - two rows with the same device, microsecond, name and parameters are one
 *   event: GA4 gives no way to tell them apart, and in practice they are a
 *   tag fired twice;
 * - fields outside the hash (items, ecommerce, user_id, user_properties,
 *   device, geo) do not change the id: if GA4 rewrites them in a later
 *   export, the copy stored first is kept.
 *
 * The id has no source id in it, so two sources reading one property
 * (BigQuery and a file extract) deduplicate against each other.
 */
export function ga4MessageId(row: Ga4Row): string {
  const who = row.user_pseudo_id !== null ? `p:${row.user_pseudo_id}` : `u:${row.user_id ?? ''}`;
  const hash = createHash('sha256')
    .update(JSON.stringify([who, row.event_timestamp, row.event_name]))
    .update('\n')
    .update(canonicalParams(row.event_params))
    .digest('hex');
  return `ga4-${hash.slice(0, 32)}`;
}
