import { createRng } from '../../../../core/random/rng.js';
import { FaultPlan, emptyStats, startJsonServer, type SimRequest, type SimResponse, type SimulatorStats } from '../../../../core/sync/simulation/index.js';
import type { RunningSimulator, SimulatorLimits, VendorRecord, VendorView } from '../../../../core/sync/simulation/index.js';
import { createCallGate } from './call-gate.js';
import { createCampaignStore, type CampaignRequestActivity, type CampaignSpec } from './campaign-store.js';
import { MarketoRequestError, createRequestIds, failure } from './envelope.js';
import { createLeadStore, normalizeValue, type LeadDataType } from './lead-store.js';
import { createListStore } from './list-store.js';
import { checkBody, findRoute, resolveMethodOverride } from './router.js';
import { createTokenIssuer } from './token-issuer.js';

/**
 * A stateful Marketo Engage instance over real HTTP (vendor-facts.md §3):
 * Identity, the lead database, static lists, Marketo's HTTP-200 error
 * envelope and its limits. Tests, benchmarks and `segflow sandbox` use it.
 */
export interface MarketoSimulatorLimits extends SimulatorLimits {
  /** Calls per US Central day. @default 50000 */
  dailyQuota?: number;
  /** Access token lifetime. @default 3600 */
  tokenLifetimeSeconds?: number;
}

export interface MarketoFieldSpec {
  name: string;
  displayName?: string;
  dataType: LeadDataType;
}

export interface MarketoSimulatorOptions {
  seed: number;
  /** Defaults: Marketo's published 100 calls / 20 s, 10 concurrent, 50,000 a day. */
  limits?: MarketoSimulatorLimits;
  /** 0 (default) lets the OS pick. */
  port?: number;
  /** @default Date.now */
  now?: () => number;
  /** @default 'segflow-sandbox-client' */
  clientId?: string;
  /** @default 'segflow-sandbox-secret' */
  clientSecret?: string;
  /** Custom lead fields an admin created beforehand (Field Management). */
  customFields?: readonly MarketoFieldSpec[];
  /** Smart campaigns an admin built beforehand (trigger campaigns for Request Campaign). */
  campaigns?: readonly CampaignSpec[];
}

export interface MarketoView extends VendorView {
  /** Identity calls answered so far. */
  tokenRequests(): number;
  /** Calls counted against today's quota. */
  quotaUsed(): number;
  /** What an admin does in Field Management: add custom lead fields. */
  createFields(fields: readonly MarketoFieldSpec[]): void;
  /** Every lead run through a campaign by an accepted Request Campaign call, oldest first. */
  campaignRequests(): CampaignRequestActivity[];
  /** What an admin does in Marketing Activities: build, activate or deactivate a smart campaign (same id replaces it). */
  defineCampaign(spec: CampaignSpec): void;
}

export interface RunningMarketoSimulator extends RunningSimulator {
  view: MarketoView;
  /** The static-list folder that exists in the instance (for `list_folder_id`). */
  folderId: number;
}

export const SIMULATOR_FOLDER_ID = 1001;
const MAX_BODY_BYTES = 1_048_576;
const MAX_URI_LENGTH = 8_192;

export async function startMarketoSimulator(options: MarketoSimulatorOptions): Promise<RunningMarketoSimulator> {
  const now = options.now ?? Date.now;
  const clientId = options.clientId ?? 'segflow-sandbox-client';
  const clientSecret = options.clientSecret ?? 'segflow-sandbox-secret';
  const limits = {
    requests: options.limits?.requests ?? 100,
    intervalMs: options.limits?.intervalMs ?? 20_000,
    concurrency: options.limits?.concurrency ?? 10,
    latencyMs: options.limits?.latencyMs ?? 0,
    dailyQuota: options.limits?.dailyQuota ?? 50_000,
  };
  const rng = createRng(options.seed);
  const faults = new FaultPlan(options.seed, now);
  const requestIds = createRequestIds(now);
  let stats: SimulatorStats = emptyStats();
  const leads = createLeadStore(now);
  const lists = createListStore(now);
  const folderIds = new Set([SIMULATOR_FOLDER_ID]);
  const campaigns = createCampaignStore(now);
  for (const spec of options.campaigns ?? []) campaigns.define(spec);
  const tokens = createTokenIssuer({ rng, now, lifetimeSeconds: options.limits?.tokenLifetimeSeconds ?? 3_600, clientId, clientSecret });
  const gate = createCallGate({ limits, tokens, faults, stats: () => stats, requestIds, rng, now });

  function createFields(fields: readonly MarketoFieldSpec[]): void {
    for (const field of fields) leads.addField({ name: field.name, displayName: field.displayName ?? field.name, dataType: field.dataType });
  }
  createFields(options.customFields ?? []);

  async function handle(incoming: SimRequest): Promise<SimResponse> {
    if (incoming.path === '/identity/oauth/token') return tokens.handle(incoming);
    if (!incoming.path.startsWith('/rest/')) return { status: 404, body: 'Not Found' };
    // Marketo's only HTTP-level errors on REST (vendor-facts.md §3 "Quotas"): bodies over 1 MB, URIs over 8 KB.
    if (Buffer.byteLength(incoming.rawBody) > MAX_BODY_BYTES) return { status: 413, body: 'Request Entity Too Large' };
    const query = incoming.query.toString();
    if (incoming.path.length + (query.length > 0 ? query.length + 1 : 0) > MAX_URI_LENGTH) return { status: 414, body: 'Request-URI Too Long' };
    const request = resolveMethodOverride(incoming);
    const route = findRoute(request);
    return gate.admit(request, route?.label ?? 'unknown', async (requestId, latency) => {
      try {
        if (!route) throw new MarketoRequestError('610', 'Requested resource not found');
        checkBody(request, route);
        return await route.handler({ request, requestId, latency, leads, lists, faults, stats, folderIds, campaigns, now });
      } catch (error) {
        if (error instanceof MarketoRequestError) return failure(requestId, error.code, error.message);
        throw error;
      }
    });
  }

  const view: MarketoView = {
    records() {
      const records = new Map<string, VendorRecord>();
      const ordered = [...leads.all()].sort((a, b) => a.id - b.id);
      for (const lead of ordered) {
        const email = lead.values.email;
        if (typeof email !== 'string' || records.has(email)) continue;
        records.set(email, { vendorId: String(lead.id), properties: { ...lead.values } });
      }
      return records;
    },
    duplicateKeys() {
      const counts = new Map<string, number>();
      for (const lead of leads.all()) {
        if (typeof lead.values.email !== 'string') continue;
        const key = normalizeValue(lead.values.email);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return [...counts].filter(([, count]) => count > 1).map(([key]) => key);
    },
    listMembers(listName) {
      const list = lists.byName(listName);
      const members = new Set<string>();
      for (const id of list?.members ?? []) {
        const email = leads.get(id)?.values.email;
        if (typeof email === 'string') members.add(email);
      }
      return members;
    },
    stats: () => structuredClone(stats),
    resetStats: () => {
      stats = emptyStats();
    },
    setFaults: (next) => faults.set(next),
    expireTokens: () => tokens.expireAll(),
    tokenRequests: () => tokens.requests,
    quotaUsed: () => gate.quotaUsed(),
    createFields,
    campaignRequests: () => structuredClone([...campaigns.activities()]),
    defineCampaign: (spec) => {
      campaigns.define(spec);
    },
  };

  const server = await startJsonServer(handle, { port: options.port });
  return {
    url: server.url,
    view,
    folderId: SIMULATOR_FOLDER_ID,
    sinkConfig: {
      type: 'marketo',
      base_url: server.url,
      client_id: clientId,
      client_secret: clientSecret,
      list_folder_id: SIMULATOR_FOLDER_ID,
      // The instance starts with standard fields only; let prepare create segflow's (Create Lead Fields).
      create_missing_fields: true,
      limits: { requests: limits.requests, interval_ms: limits.intervalMs, concurrency: limits.concurrency },
    },
    stop: () => server.close(),
  };
}
