import type { SimRequest } from '../../../../core/sync/simulation/index.js';
import { getActivities, getActivityTypes, getCampaigns, getPagingToken, getSmartCampaign, triggerCampaign } from './campaign-routes.js';
import { MarketoRequestError } from './envelope.js';
import { createLeadFields, deleteLeads, describeLeads, getLeads, syncLeads } from './lead-routes.js';
import { changeMembers, createStaticList, getLists, getMembers } from './list-routes.js';
import type { RouteHandler } from './route-context.js';

/**
 * Maps a REST request to its handler and `byRoute` label. A POST with
 * `_method=GET` is Marketo's way around the 8 KB URI limit: its form body
 * holds the query, and it is served as the GET it stands for.
 */
export interface Route {
  label: string;
  handler: RouteHandler;
  /** JSON body expected (612/609 otherwise); the Asset API also takes form bodies. */
  body: 'json' | 'form-or-json' | 'none';
}

const STATIC: Record<string, Route> = {
  'GET /rest/v1/leads/describe.json': { label: 'leads.describe', handler: describeLeads, body: 'none' },
  'POST /rest/v1/leads/schema/fields.json': { label: 'leads.fields.create', handler: createLeadFields, body: 'json' },
  'POST /rest/v1/leads.json': { label: 'leads.sync', handler: syncLeads, body: 'json' },
  'GET /rest/v1/leads.json': { label: 'leads.get', handler: getLeads, body: 'none' },
  'POST /rest/v1/leads/delete.json': { label: 'leads.delete', handler: deleteLeads, body: 'json' },
  'GET /rest/v1/lists.json': { label: 'lists.get', handler: getLists, body: 'none' },
  'POST /rest/asset/v1/staticLists.json': { label: 'staticLists.create', handler: createStaticList, body: 'form-or-json' },
  'GET /rest/v1/campaigns.json': { label: 'campaigns.get', handler: getCampaigns, body: 'none' },
  'GET /rest/v1/activities/types.json': { label: 'activities.types', handler: getActivityTypes, body: 'none' },
  'GET /rest/v1/activities/pagingtoken.json': { label: 'activities.pagingToken', handler: getPagingToken, body: 'none' },
  'GET /rest/v1/activities.json': { label: 'activities.get', handler: getActivities, body: 'none' },
};

const LIST_MEMBERS = /^\/rest\/v1\/lists\/(\d+)\/leads\.json$/;
const CAMPAIGN_TRIGGER = /^\/rest\/v1\/campaigns\/(\d+)\/trigger\.json$/;
const SMART_CAMPAIGN = /^\/rest\/asset\/v1\/smartCampaign\/(\d+)\.json$/;

export function findRoute(request: SimRequest): Route | undefined {
  const direct = STATIC[`${request.method} ${request.path}`];
  if (direct) return direct;
  const trigger = CAMPAIGN_TRIGGER.exec(request.path);
  if (trigger && request.method === 'POST') return { label: 'campaigns.trigger', handler: triggerCampaign(Number(trigger[1])), body: 'json' };
  const smartCampaign = SMART_CAMPAIGN.exec(request.path);
  if (smartCampaign && request.method === 'GET') return { label: 'smartCampaign.get', handler: getSmartCampaign(Number(smartCampaign[1])), body: 'none' };
  const members = LIST_MEMBERS.exec(request.path);
  if (!members) return undefined;
  const listId = Number(members[1]);
  if (request.method === 'POST') return { label: 'lists.leads.add', handler: changeMembers('add', listId), body: 'json' };
  if (request.method === 'DELETE') return { label: 'lists.leads.remove', handler: changeMembers('remove', listId), body: 'json' };
  if (request.method === 'GET') return { label: 'lists.leads.get', handler: getMembers(listId), body: 'none' };
  return undefined;
}

export function resolveMethodOverride(request: SimRequest): SimRequest {
  if (request.method !== 'POST' || request.query.get('_method') !== 'GET') return request;
  const query = new URLSearchParams(request.query);
  query.delete('_method');
  for (const [name, value] of new URLSearchParams(request.rawBody)) query.append(name, value);
  return { ...request, method: 'GET', query, rawBody: '', body: undefined };
}

/** Marketo's 612/609 checks on a request body. */
export function checkBody(request: SimRequest, route: Route): void {
  if (route.body === 'none' || request.rawBody.length === 0) return;
  const contentType = request.headers['content-type'] ?? '';
  const isJson = contentType === '' || /json/i.test(contentType);
  const isForm = /x-www-form-urlencoded/i.test(contentType);
  if (!isJson && !(route.body === 'form-or-json' && isForm)) throw new MarketoRequestError('612', 'Invalid Content Type');
  if (isJson && request.body === undefined) throw new MarketoRequestError('609', 'Invalid JSON');
}
