import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ActionTargetSpec, ChangeResult, SinkAction, SinkContext } from '../../../core/sync/sink.js';
import { existingLeadIds, resolveLeadIds } from './action-leads.js';
import { planCalls, tokensOf, type PlannedRequest } from './campaign-calls.js';
import { resolveCampaignTarget } from './campaign-targets.js';
import type { MarketoClient } from './client/marketo-client.js';
import { findRequestActivityType, matchLandedRequests, readRequestActivities, CLOCK_SKEW_MS, type PendingRequest } from './request-landed.js';
import { permanentFailure } from './record-results.js';

/**
 * `marketo:campaign` actions as Request Campaign calls
 * (`POST /rest/v1/campaigns/{id}/trigger.json`).
 *
 * Marketo takes no idempotency key, so a call whose answer was lost (network
 * error, 5xx, timeout) may have run its leads. The sink remembers such
 * actions (`maybeSent`, in memory) and, when the delivery layer retries one,
 * first reads the leads' "Request Campaign" activities since the first
 * attempt: a matching activity makes the action `applied` without a second
 * request. What this does not cover (at-least-once there): a process restart
 * (the memory is gone, so a replay re-sends), and an activity Marketo has
 * not logged yet when the retry looks (its log is written asynchronously).
 */
export interface CampaignRequester {
  prepare(targets: readonly ActionTargetSpec[], context: SinkContext): Promise<void>;
  deliver(actions: readonly SinkAction[], context: SinkContext): Promise<ChangeResult[]>;
  /** Action ids whose request may have reached Marketo without an answer. */
  maybeSent(): ReadonlySet<string>;
}

const CONNECTOR = 'sink:marketo';
/** Failures after which the request may still have run in Marketo: anything that is not a clear refusal. */
/** Unanswered requests remembered; past this the oldest are forgotten (they fall back to at-least-once). */
const MAX_REMEMBERED = 10_000;
const MAY_HAVE_LANDED = new Set(['marketo.network_error', 'marketo.bad_response', 'marketo.server_error', 'marketo.request_timeout', 'marketo.system_error', 'marketo.transient_error', 'marketo.unknown_code']);

export function createCampaignRequester(client: MarketoClient, lookupField: string): CampaignRequester {
  const campaignIds = new Map<string, number>();
  const pending = new Map<string, PendingRequest>();
  let activityTypeId: number | undefined;

  /** Keeps the first attempt's time: the log is read from there, whatever happened in between. */
  function remember(request: PendingRequest): void {
    if (pending.has(request.actionId)) return;
    const oldest = pending.keys().next();
    if (pending.size >= MAX_REMEMBERED && !oldest.done) pending.delete(oldest.value);
    pending.set(request.actionId, request);
  }

  async function campaignIdFor(target: string, context: SinkContext): Promise<number> {
    const known = campaignIds.get(target);
    if (known !== undefined) return known;
    const id = await resolveCampaignTarget(client, target, context);
    campaignIds.set(target, id);
    return id;
  }

  async function plan(actions: readonly SinkAction[], results: Array<ChangeResult | undefined>, context: SinkContext): Promise<PlannedRequest[]> {
    const leadIds = await resolveLeadIds(client, lookupField, actions, context);
    const planned: PlannedRequest[] = [];
    for (const [index, action] of actions.entries()) {
      const leadId = leadIds[index];
      const tokens = tokensOf(action);
      if (leadId === undefined) results[index] = { status: 'skipped', reason: 'no such lead' };
      else if (!tokens.ok) results[index] = permanentFailure('invalid_tokens', `Campaign request ${action.id} for profile ${action.record.profileId} cannot be sent: ${tokens.reason}.`);
      else planned.push({ index, action, leadId, campaignId: await campaignIdFor(action.target, context), tokens: tokens.tokens });
    }
    return planned;
  }

  /** The planned requests whose earlier attempt Marketo's activity log shows; they are not sent again. */
  async function alreadyLanded(planned: readonly PlannedRequest[], context: SinkContext): Promise<Set<string>> {
    const uncertain = planned.flatMap((request) => pending.get(request.action.id) ?? []);
    if (uncertain.length === 0) return new Set();
    activityTypeId ??= await findRequestActivityType(client, context);
    const since = Math.min(...uncertain.map((request) => request.sentAt)) - CLOCK_SKEW_MS;
    const activities = await readRequestActivities(client, activityTypeId, uncertain.map((request) => request.leadId), since, context);
    return matchLandedRequests(uncertain, activities);
  }

  async function send(call: readonly PlannedRequest[], results: Array<ChangeResult | undefined>, context: SinkContext, recheckLeads = true): Promise<ConnectorError | undefined> {
    const [first] = call;
    if (!first) return undefined;
    const sentAt = context.now();
    for (const request of call) remember({ actionId: request.action.id, leadId: request.leadId, campaignId: request.campaignId, sentAt });
    const body = { input: { leads: call.map((request) => ({ id: request.leadId })), ...(first.tokens.length > 0 ? { tokens: first.tokens } : {}) } };
    try {
      await context.request('marketo.campaigns.trigger', () => client.send({ method: 'POST', path: `/rest/v1/campaigns/${first.campaignId}/trigger.json`, json: body }, context.signal));
    } catch (error) {
      if (!(error instanceof ConnectorError)) throw error;
      if (!MAY_HAVE_LANDED.has(error.code)) for (const request of call) pending.delete(request.action.id);
      if (error.code === 'marketo.lead_not_found' && recheckLeads) return retryWithoutMissingLeads(call, results, context);
      const failure = describeFailure(error, first, call.length);
      for (const request of call) results[request.index] = { status: 'failed', error: failure };
      return failure;
    }
    for (const request of call) {
      pending.delete(request.action.id);
      results[request.index] = { status: 'applied', vendorId: String(request.leadId) };
    }
    return undefined;
  }

  /** Request Campaign refuses a whole call for one deleted lead: skip the missing ones, send the rest once more. */
  async function retryWithoutMissingLeads(call: readonly PlannedRequest[], results: Array<ChangeResult | undefined>, context: SinkContext): Promise<ConnectorError | undefined> {
    const existing = await existingLeadIds(client, call.map((request) => request.leadId), context);
    for (const request of call) if (!existing.has(request.leadId)) results[request.index] = { status: 'skipped', reason: 'no such lead' };
    return send(call.filter((request) => existing.has(request.leadId)), results, context, false);
  }

  return {
    async prepare(targets, context) {
      for (const target of targets) if (target.kind === 'marketo:campaign') await campaignIdFor(target.target, context);
    },

    async deliver(actions, context) {
      const results: Array<ChangeResult | undefined> = actions.map(() => undefined);
      const planned = await plan(actions, results, context);
      const landed = await alreadyLanded(planned, context);
      for (const request of planned.filter((candidate) => landed.has(candidate.action.id))) {
        pending.delete(request.action.id);
        results[request.index] = { status: 'applied', vendorId: String(request.leadId) };
      }
      const calls = planCalls(planned.filter((request) => !landed.has(request.action.id)));
      const failures: ConnectorError[] = [];
      for (const call of calls) {
        const failure = await send(call, results, context);
        if (failure) failures.push(failure);
      }
      // Every call failed and nothing else was decided: the whole delivery failed (throttling, outage, refusal).
      const [firstFailure] = failures;
      if (firstFailure && failures.length === calls.length && results.every((result) => result?.status === 'failed')) throw firstFailure;
      return results as ChangeResult[];
    },

    maybeSent: () => new Set(pending.keys()),
  };
}

function describeFailure(error: ConnectorError, first: PlannedRequest, leads: number): ConnectorError {
  const what = `Marketo did not run ${leads} lead(s) through campaign "${first.action.target}" (id ${first.campaignId})`;
  const next = error.kind === 'retryable' ? ' The delivery will retry.' : error.kind === 'config' ? ' Fix the campaign or the API user in Marketo.' : ' Retrying will not help.';
  return new ConnectorError(error.kind, error.code, `${what}: ${error.message}${next}`, { ...error.details, connector: CONNECTOR, cause: error });
}
