import { z } from 'zod';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { SinkContext } from '../../../core/sync/sink.js';
import type { MarketoClient } from './client/marketo-client.js';

/**
 * Marketo has no idempotency key for Request Campaign, so before re-sending
 * a request whose answer was lost, the sink reads the leads' activity logs
 * (`activities/pagingtoken.json` + `activities.json`, "Request Campaign"
 * type) for a request of the same campaign since the first attempt. Each
 * activity confirms at most one pending request, so two lost requests of
 * one lead and campaign need two activities.
 */
export interface PendingRequest {
  actionId: string;
  leadId: number;
  campaignId: number;
  /** When the first attempt was sent (epoch ms, the sink's clock). */
  sentAt: number;
}

export interface RequestActivity {
  leadId: number;
  campaignId: number;
  activityDate: number;
}

/** Our clock and Marketo's disagree a little; an activity this much older than our send still counts. */
export const CLOCK_SKEW_MS = 60_000;
/** Get Lead Activities takes at most 30 lead ids a call. */
const ACTIVITY_LEAD_IDS = 30;
const ACTIVITY_TYPE_NAMES = new Set(['request campaign', 'campaign is requested']);

const ActivityTypeSchema = z.object({ id: z.number(), name: z.string() });
const ActivitySchema = z.object({ leadId: z.number(), activityDate: z.string(), primaryAttributeValueId: z.number().optional(), campaignId: z.number().optional() });

/** Pure: the pending requests that activities confirm, oldest first, one activity each. */
export function matchLandedRequests(pending: readonly PendingRequest[], activities: readonly RequestActivity[], skewMs = CLOCK_SKEW_MS): Set<string> {
  const unused = [...activities].sort((a, b) => a.activityDate - b.activityDate);
  const landed = new Set<string>();
  for (const request of [...pending].sort((a, b) => a.sentAt - b.sentAt)) {
    const index = unused.findIndex((activity) => activity.leadId === request.leadId && activity.campaignId === request.campaignId && activity.activityDate >= request.sentAt - skewMs);
    if (index < 0) continue;
    unused.splice(index, 1);
    landed.add(request.actionId);
  }
  return landed;
}

export async function findRequestActivityType(client: MarketoClient, context: SinkContext): Promise<number> {
  const response = await context.request('marketo.activities.types', () => client.send({ method: 'GET', path: '/rest/v1/activities/types.json' }, context.signal));
  for (const item of response.result) {
    const parsed = ActivityTypeSchema.safeParse(item);
    if (parsed.success && ACTIVITY_TYPE_NAMES.has(parsed.data.name.toLowerCase())) return parsed.data.id;
  }
  throw new ConnectorError('config', 'marketo.activity_type_missing', 'Marketo lists no "Request Campaign" activity type, so segflow cannot check whether a campaign request with a lost answer landed; check the API user has Read-Only Activity permission.', {
    connector: 'sink:marketo',
  });
}

export async function readRequestActivities(client: MarketoClient, activityTypeId: number, leadIds: readonly number[], since: number, context: SinkContext): Promise<RequestActivity[]> {
  const sinceDatetime = new Date(since).toISOString();
  const start = await context.request('marketo.activities.pagingToken', () => client.send({ method: 'GET', path: '/rest/v1/activities/pagingtoken.json', query: { sinceDatetime } }, context.signal));
  if (!start.nextPageToken) throw new ConnectorError('retryable', 'marketo.bad_response', 'Marketo returned no paging token for GET /rest/v1/activities/pagingtoken.json.', { connector: 'sink:marketo' });
  const activities: RequestActivity[] = [];
  const unique = [...new Set(leadIds)];
  for (let offset = 0; offset < unique.length; offset += ACTIVITY_LEAD_IDS) {
    const part = unique.slice(offset, offset + ACTIVITY_LEAD_IDS).join(',');
    let token: string | undefined = start.nextPageToken;
    while (token) {
      const query: Record<string, string> = { nextPageToken: token, activityTypeIds: String(activityTypeId), leadIds: part, batchSize: '300' };
      const page = await context.request('marketo.activities.get', () => client.send({ method: 'GET', path: '/rest/v1/activities.json', query }, context.signal));
      for (const item of page.result) {
        const parsed = ActivitySchema.safeParse(item);
        const campaignId = parsed.success ? (parsed.data.primaryAttributeValueId ?? parsed.data.campaignId) : undefined;
        if (parsed.success && campaignId !== undefined) activities.push({ leadId: parsed.data.leadId, campaignId, activityDate: Date.parse(parsed.data.activityDate) });
      }
      token = page.moreResult ? page.nextPageToken : undefined;
    }
  }
  return activities;
}
