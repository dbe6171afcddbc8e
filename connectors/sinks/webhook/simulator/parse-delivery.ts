import { z } from 'zod';
import { MAX_WEBHOOK_BATCH } from '../webhook-sink-config.js';
import type { Delivery } from './delivery-log.js';

/**
 * The body shape a receiver can rely on, parsed at its boundary: one item
 * (max_batch 1) or an array of at most 100.
 */
const Item = z.strictObject({
  id: z.string().min(1),
  type: z.string().min(1),
  occurred_at: z.iso.datetime({ offset: true }),
  profile_id: z.string().min(1),
  properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
const Body = z.union([Item, z.array(Item).min(1).max(MAX_WEBHOOK_BATCH)]);

export type ParsedBody = { ok: true; items: Delivery[]; batch: boolean } | { ok: false; reason: string };

export function parseDeliveryBody(rawBody: string, requestKey: string, path: string): ParsedBody {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  const parsed = Body.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `body does not match the webhook shape: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`).join('; ')}` };
  const items = (Array.isArray(parsed.data) ? parsed.data : [parsed.data]).map(
    (item): Delivery => ({ id: item.id, type: item.type, occurredAt: item.occurred_at, profileId: item.profile_id, properties: item.properties, requestKey, path }),
  );
  return { ok: true, items, batch: Array.isArray(parsed.data) };
}
