import { createRng } from '../../../../core/random/rng.js';
import {
  FaultPlan,
  startJsonServer,
  RollingWindow,
  type SimRequest,
  type SimResponse,
  type SimulatorStats,
  countRoute,
  emptyStats,
} from '../../../../core/sync/simulation/index.js';
import type { RunningSimulator, SimulatorLimits, VendorRecord, VendorView } from '../../../../core/sync/simulation/index.js';
import { accountInfoRoutes, ALWAYS_GRANTED_SCOPE, portalIdFor } from './account-info-routes.js';
import type { AccountState, Route } from './account-state.js';
import { ContactStore } from './contact-store.js';
import { CONTACT_ROUTES } from './contacts-routes.js';
import { ErrorBodies } from './error-bodies.js';
import { EVENT_DEFINITION_ROUTES } from './event-definitions-routes.js';
import { type EventOccurrence, EventStore, publicDefinition } from './event-store.js';
import { EVENT_SEND_ROUTES } from './events-routes.js';
import { ListStore } from './list-store.js';
import { LIST_ROUTES } from './lists-routes.js';
import { PROPERTY_ROUTES } from './properties-routes.js';
import { PropertyStore } from './property-store.js';
import { RateGate } from './rate-gate.js';
import { type AuthOutcome, TokenRegistry } from './token-registry.js';

/**
 * A stateful fake of the HubSpot v3 APIs the sink uses, over real HTTP, so
 * the real `@hubspot/api-client` is exercised end to end. Defaults are the
 * published Free/Starter private-app figures (vendor-facts.md 1.1).
 */
export interface HubSpotSimulatorLimits extends SimulatorLimits {
  /** Calls per rolling interval. @default 100 */
  requests?: number;
  /** @default 10_000 */
  intervalMs?: number;
  /** Calls per day (UTC). @default 250_000 */
  dailyRequests?: number;
  /** Inputs per contacts batch call. @default 100 */
  batchInputs?: number;
  /** Record ids per membership call; HubSpot documents none, segflow assumes this. @default 1000 */
  membershipIds?: number;
  /** OAuth access token lifetime. @default 1_800_000 (30 min) */
  tokenLifetimeMs?: number;
  /** Calls per second to the event send endpoints (their own limit). @default 1_250 */
  eventSendsPerSecond?: number;
}

export interface HubSpotSimulatorOptions {
  seed: number;
  limits?: HubSpotSimulatorLimits;
  /** @default 0 (any free port) */
  port?: number;
  /** @default Date.now */
  now?: () => number;
}

export interface HubSpotSandboxCredentials {
  privateAppToken: string;
  accessToken: string;
  refreshToken: string;
  clientId: string;
  clientSecret: string;
}

/** Switches beyond the shared VendorView, for this folder's tests and the sandbox. */
export interface HubSpotSimulatorControl {
  credentials: HubSpotSandboxCredentials;
  /** Successful `POST /oauth/v1/token` refreshes so far. */
  refreshCount(): number;
  /** Scopes every token has from now on (take one away to see HubSpot's 403). */
  grantScopes(scopes: readonly string[]): void;
}

/** The custom behavioral events the fake portal holds, for tests to count. */
export interface HubSpotSimulatorEvents {
  /** The portal id: event names are sent as `pe{portalId}_{name}`. */
  portalId: number;
  /** Accepted occurrences, all or of one event (internal name), in arrival order; a replayed uuid is not among them. */
  occurrences(name?: string): EventOccurrence[];
  /** Sends whose uuid had already been accepted for that event (dropped, as HubSpot does). */
  duplicatesDropped(): number;
  /** The event definitions, as `GET /events/v3/event-definitions/{name}` returns them. */
  definition(name: string): Record<string, unknown> | undefined;
}

export interface HubSpotSimulator extends RunningSimulator {
  control: HubSpotSimulatorControl;
  events: HubSpotSimulatorEvents;
}

const ROUTES: readonly Route[] = [...CONTACT_ROUTES, ...PROPERTY_ROUTES, ...LIST_ROUTES, ...EVENT_DEFINITION_ROUTES, ...EVENT_SEND_ROUTES];

export async function startHubSpotSimulator(options: HubSpotSimulatorOptions): Promise<HubSpotSimulator> {
  const now = options.now ?? Date.now;
  const limits = options.limits ?? {};
  const rng = createRng(options.seed);
  const errors = new ErrorBodies(rng);
  const faults = new FaultPlan(options.seed, now);
  let stats = emptyStats();
  const tokens = new TokenRegistry(rng, errors, now, limits.tokenLifetimeMs ?? 1_800_000);
  const requests = limits.requests ?? 100;
  const intervalMs = limits.intervalMs ?? 10_000;
  const gate = new RateGate({ requests, intervalMs, daily: limits.dailyRequests ?? 250_000 });
  const account: AccountState = {
    contacts: new ContactStore(now),
    properties: new PropertyStore(now),
    lists: new ListStore(now),
    events: new EventStore(portalIdFor(options.seed), now),
    sendWindow: new RollingWindow(limits.eventSendsPerSecond ?? 1_250, 1_000),
    errors,
    faults,
    get stats() {
      return stats;
    },
    now,
    batchInputs: limits.batchInputs ?? 100,
    membershipIds: limits.membershipIds ?? 1000,
  };
  const routes: readonly Route[] = [...ROUTES, ...accountInfoRoutes(portalIdFor(options.seed))];

  const handle = async (request: SimRequest): Promise<SimResponse> => {
    if (request.method === 'POST' && request.path === '/oauth/v1/token') return tokens.handleTokenRequest(request);
    const match = matchRoute(request, routes);
    countRoute(stats, match?.route.label ?? `unknown ${request.method} ${request.path}`);
    const auth: AuthOutcome = tokens.authenticate(headerValue(request.headers.authorization));
    if (!auth.ok) return auth.response;
    const arrival = now();
    if (faults.shouldThrottle()) {
      stats.injectedThrottles += 1;
      return withHeaders(errors.rateLimited('TEN_SECONDLY_ROLLING'), gate.headers(arrival, auth.kind));
    }
    const admission = gate.admit(arrival, auth.kind);
    const headers = gate.headers(arrival, auth.kind);
    if (admission !== 'admitted') {
      stats.rateLimited += 1;
      return withHeaders(errors.rateLimited(admission), headers);
    }
    await faults.delay();
    if (limits.latencyMs) await new Promise((resolve) => setTimeout(resolve, limits.latencyMs));
    if (faults.shouldFailServer()) {
      stats.serverErrors += 1;
      return withHeaders(serverError(rng.chance(0.5), errors), headers);
    }
    if (!match) return withHeaders(errors.notFound(`No route for ${request.method} ${request.path}`), headers);
    if (match.route.scope !== ALWAYS_GRANTED_SCOPE && !tokens.hasScope(match.route.scope)) return withHeaders(missingScope(match.route.scope, errors), headers);
    const response = match.route.handle(request, match.params, account);
    // Applied, then no answer: the vendor accepted the call but the client never hears so.
    if (match.route.actionEndpoint && response.status < 300 && faults.takeLostResponse()) return { ...response, lose: true };
    return withHeaders(response, headers);
  };

  const server = await startJsonServer(handle, { port: options.port ?? 0 });
  const view: VendorView = {
    records: () => {
      const records = new Map<string, VendorRecord>();
      for (const contact of account.contacts.all()) {
        const email = contact.properties['email'];
        if (email !== undefined) records.set(email, { vendorId: contact.id, properties: { ...contact.properties } });
      }
      return records;
    },
    duplicateKeys: () => account.contacts.duplicateEmails(),
    listMembers: (listName) => {
      const list = account.lists.findByName(listName);
      const emails = new Set<string>();
      for (const id of list?.members.keys() ?? []) {
        const email = account.contacts.get(id)?.properties['email'];
        if (email !== undefined) emails.add(email);
      }
      return emails;
    },
    stats: (): SimulatorStats => ({ ...stats, byRoute: { ...stats.byRoute } }),
    resetStats: () => {
      stats = emptyStats();
    },
    setFaults: (next) => faults.set(next),
    expireTokens: () => tokens.expireAll(),
  };
  const credentials: HubSpotSandboxCredentials = {
    privateAppToken: tokens.privateAppToken,
    accessToken: tokens.initialAccessToken,
    refreshToken: tokens.oauthApp.refreshToken,
    clientId: tokens.oauthApp.clientId,
    clientSecret: tokens.oauthApp.clientSecret,
  };
  return {
    url: server.url,
    view,
    sinkConfig: {
      type: 'hubspot',
      base_url: server.url,
      access_token: credentials.accessToken,
      refresh_token: credentials.refreshToken,
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      list_batch_size: account.membershipIds,
      limits: { requests, interval_ms: intervalMs, ...(limits.concurrency ? { concurrency: limits.concurrency } : {}) },
    },
    control: {
      credentials,
      refreshCount: () => tokens.refreshes,
      grantScopes: (scopes) => tokens.grantScopes(scopes),
    },
    events: {
      portalId: account.events.portalId,
      occurrences: (name) => account.events.occurrences(name),
      duplicatesDropped: () => account.events.duplicatesDropped,
      definition: (name) => {
        const definition = account.events.get(name);
        return definition ? publicDefinition(definition) : undefined;
      },
    },
    stop: () => server.close(),
  };
}

function matchRoute(request: SimRequest, routes: readonly Route[]): { route: Route; params: string[] } | undefined {
  for (const route of routes) {
    if (route.method !== request.method) continue;
    const found = route.pattern.exec(request.path);
    if (found) return { route, params: found.slice(1).map((part) => decodeURIComponent(part)) };
  }
  return undefined;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function withHeaders(response: SimResponse, headers: Record<string, string>): SimResponse {
  return { ...response, headers: { ...headers, ...response.headers } };
}

/** A 500 from HubSpot itself, or a 502 page from the edge in front of it (HTML, not JSON). */
function serverError(fromEdge: boolean, errors: ErrorBodies): SimResponse {
  if (fromEdge) return { status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' };
  return errors.respond(500, 'INTERNAL_ERROR', 'internal error');
}

function missingScope(scope: string, errors: ErrorBodies): SimResponse {
  return errors.respond(
    403,
    'MISSING_SCOPES',
    "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    { errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: [scope] } }], links: { scopes: 'https://developers.hubspot.com/scopes' } },
  );
}
