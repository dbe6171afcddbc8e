import { MarketoRequestError, batchSizeOf, pageOffset, pageToken, success } from './envelope.js';
import { REQUEST_CAMPAIGN_ACTIVITY_TYPE, type Campaign, type CampaignRequestActivity } from './campaign-store.js';
import { commaList, isoSeconds, type RouteContext, type RouteHandler } from './route-context.js';

/**
 * Campaign routes (vendor-facts.md §3 "Request campaign"): the Lead
 * Database query `campaigns.json`, the Asset API record with `isActive` /
 * `isRequestable`, Request Campaign itself, and the activity log reads a
 * client needs to tell whether a request whose answer was lost landed.
 */

/** Marketo's caps for one Request Campaign call (rest-api/smart-campaigns.md). */
export const MAX_TRIGGER_LEADS = 100;
export const MAX_TRIGGER_TOKENS = 100;
/** Get Lead Activities takes at most 30 lead ids and 10 activity type ids. */
const MAX_ACTIVITY_LEAD_IDS = 30;
const MAX_ACTIVITY_TYPE_IDS = 10;
const TOKEN_NAME = /^\{\{my\.[^{}]+\}\}$/;

function campaignOutput(campaign: Campaign): Record<string, unknown> {
  const at = isoSeconds(campaign.createdAt);
  return { id: campaign.id, name: campaign.name, description: '', type: campaign.type, programName: campaign.programName, programId: campaign.programId, workspaceName: 'Default', createdAt: at, updatedAt: at, active: campaign.active };
}

export const getCampaigns: RouteHandler = async ({ request, campaigns, requestId, latency }) => {
  const ids = new Set(commaList(request.query.get('id')).map(Number));
  const names = new Set(commaList(request.query.get('name')));
  const triggerableOnly = request.query.get('isTriggerable') === 'true';
  const batchSize = batchSizeOf(request.query.get('batchSize'));
  const offset = pageOffset(request.query.get('nextPageToken'));
  await latency();
  const matching = campaigns
    .all()
    .filter((campaign) => (ids.size === 0 || ids.has(campaign.id)) && (names.size === 0 || names.has(campaign.name)))
    .filter((campaign) => !triggerableOnly || (campaign.active && campaign.requestable && campaign.type === 'trigger'));
  const page = matching.slice(offset, offset + batchSize);
  const more = offset + batchSize < matching.length;
  return success(requestId, page.map(campaignOutput), more ? { moreResult: true, nextPageToken: pageToken(offset + batchSize) } : {});
};

export function getSmartCampaign(campaignId: number): RouteHandler {
  return async ({ campaigns, requestId, latency }) => {
    await latency();
    const campaign = campaigns.get(campaignId);
    // The Asset API answers a miss with success and a warning, not an error.
    if (!campaign) return { status: 200, body: { requestId, success: true, errors: [], warnings: ['No assets found for the given search criteria.'], result: [] } };
    const status = campaign.type === 'batch' ? 'Never Run' : campaign.active ? 'Active' : 'Inactive';
    const result = { ...campaignOutput(campaign), status, isSystem: false, isActive: campaign.active, isRequestable: campaign.requestable, isCommunicationLimitEnabled: false, workspace: 'Default' };
    return { status: 200, body: { requestId, success: true, errors: [], warnings: [], result: [result] } };
  };
}

interface TriggerInput {
  leadIds: number[];
  tokens: Record<string, string>;
}

function parseTriggerInput(body: unknown): TriggerInput {
  const input = (body as { input?: { leads?: unknown; tokens?: unknown } } | undefined)?.input;
  if (!input || !Array.isArray(input.leads) || input.leads.length === 0) throw new MarketoRequestError('1003', 'Invalid value: input.leads must be a non-empty array');
  if (input.leads.length > MAX_TRIGGER_LEADS) throw new MarketoRequestError('1003', `Invalid value: input.leads has ${input.leads.length} entries; at most ${MAX_TRIGGER_LEADS} are allowed`);
  const leadIds = input.leads.map((lead: unknown) => (typeof lead === 'object' && lead !== null ? (lead as { id?: unknown }).id : undefined));
  if (leadIds.some((id) => typeof id !== 'number' || !Number.isInteger(id))) throw new MarketoRequestError('1003', 'Invalid value: every lead needs an integer id');
  const rawTokens: unknown[] = input.tokens === undefined ? [] : Array.isArray(input.tokens) ? input.tokens : [null];
  if (rawTokens.length > MAX_TRIGGER_TOKENS) throw new MarketoRequestError('1003', `Invalid value: input.tokens has ${rawTokens.length} entries; at most ${MAX_TRIGGER_TOKENS} are allowed`);
  const tokens: Record<string, string> = {};
  for (const token of rawTokens) {
    const { name, value } = (typeof token === 'object' && token !== null ? token : {}) as { name?: unknown; value?: unknown };
    if (typeof name !== 'string' || !TOKEN_NAME.test(name)) throw new MarketoRequestError('1003', `Invalid value: token name '${String(name)}' must look like {{my.name}}`);
    if (typeof value !== 'string') throw new MarketoRequestError('1003', `Invalid value: token ${name} needs a string value`);
    tokens[name] = value;
  }
  return { leadIds: leadIds as number[], tokens };
}

function requestableCampaign(context: RouteContext, campaignId: number): Campaign {
  const campaign = context.campaigns.get(campaignId);
  if (!campaign) throw new MarketoRequestError('1013', `Campaign not found: ${campaignId}`);
  // error-codes.md names 1003 "Invalid data" for "using Request Campaign on a batch campaign".
  if (campaign.type === 'batch') throw new MarketoRequestError('1003', `Invalid data: campaign ${campaignId} is a batch campaign`);
  if (!campaign.requestable) throw new MarketoRequestError('1003', `Invalid data: campaign ${campaignId} has no "Campaign is Requested" trigger with source Web Service API`);
  if (!campaign.active) throw new MarketoRequestError('1003', `Invalid data: campaign ${campaignId} is not active`);
  return campaign;
}

export function triggerCampaign(campaignId: number): RouteHandler {
  return async (context) => {
    const { request, leads, campaigns, faults, requestId, latency } = context;
    const campaign = requestableCampaign(context, campaignId);
    const { leadIds, tokens } = parseTriggerInput(request.body);
    const missing = leadIds.filter((id) => !leads.get(id));
    if (missing.length > 0) throw new MarketoRequestError('1004', `Lead not found: ${missing.join(',')}`);
    await latency();
    const at = context.now();
    for (const leadId of new Set(leadIds)) campaigns.record({ leadId, campaignId: campaign.id, activityDate: at, tokens, requestId });
    const answer = success(requestId, [{ id: campaign.id }]);
    return faults.takeLostResponse() ? { ...answer, lose: true } : answer;
  };
}

export const getActivityTypes: RouteHandler = async ({ requestId, latency }) => {
  await latency();
  return success(requestId, [
    { id: 24, name: 'Add to List', description: 'Added to a list', primaryAttribute: { name: 'List ID', dataType: 'integer' } },
    REQUEST_CAMPAIGN_ACTIVITY_TYPE,
  ]);
};

/** Activity paging tokens carry the start time and the offset reached. */
function activityToken(since: number, offset: number): string {
  return Buffer.from(`since:${since}:offset:${offset}`).toString('base64url');
}

function parseActivityToken(token: string | null): { since: number; offset: number } {
  const match = /^since:(-?\d+):offset:(\d+)$/.exec(Buffer.from(token ?? '', 'base64url').toString('utf8'));
  if (!match) throw new MarketoRequestError('1003', 'Invalid value for nextPageToken');
  return { since: Number(match[1]), offset: Number(match[2]) };
}

export const getPagingToken: RouteHandler = async ({ request, requestId, latency }) => {
  const since = Date.parse(request.query.get('sinceDatetime') ?? '');
  if (Number.isNaN(since)) throw new MarketoRequestError('1003', 'Invalid value for sinceDatetime');
  await latency();
  return { status: 200, body: { requestId, success: true, nextPageToken: activityToken(since, 0) } };
};

function activityOutput(activity: CampaignRequestActivity, campaign: Campaign | undefined): Record<string, unknown> {
  return {
    id: activity.id,
    marketoGUID: String(activity.id),
    leadId: activity.leadId,
    activityDate: isoSeconds(activity.activityDate),
    activityTypeId: REQUEST_CAMPAIGN_ACTIVITY_TYPE.id,
    campaignId: activity.campaignId,
    primaryAttributeValueId: activity.campaignId,
    primaryAttributeValue: campaign?.name ?? String(activity.campaignId),
    attributes: [{ name: 'Source', value: 'Web Service API' }],
  };
}

export const getActivities: RouteHandler = async ({ request, campaigns, requestId, latency }) => {
  const { since, offset } = parseActivityToken(request.query.get('nextPageToken'));
  const typeIds = commaList(request.query.get('activityTypeIds')).map(Number);
  if (typeIds.length === 0 || typeIds.length > MAX_ACTIVITY_TYPE_IDS) throw new MarketoRequestError('1003', `Invalid value: activityTypeIds needs 1..${MAX_ACTIVITY_TYPE_IDS} ids`);
  const leadIds = new Set(commaList(request.query.get('leadIds')).map(Number));
  if (leadIds.size > MAX_ACTIVITY_LEAD_IDS) throw new MarketoRequestError('1003', `Invalid value: leadIds has ${leadIds.size} ids; at most ${MAX_ACTIVITY_LEAD_IDS} are allowed`);
  const batchSize = batchSizeOf(request.query.get('batchSize'));
  await latency();
  const matching = typeIds.includes(REQUEST_CAMPAIGN_ACTIVITY_TYPE.id)
    ? campaigns.activities().filter((activity) => activity.activityDate >= since && (leadIds.size === 0 || leadIds.has(activity.leadId)))
    : [];
  const page = matching.slice(offset, offset + batchSize);
  const more = offset + batchSize < matching.length;
  const result = page.map((activity) => activityOutput(activity, campaigns.get(activity.campaignId)));
  return { status: 200, body: { requestId, success: true, result, moreResult: more, nextPageToken: activityToken(since, offset + page.length) } };
};
