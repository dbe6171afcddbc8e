import { emptyStats, FaultPlan, startJsonServer, type VendorView } from '../../../../core/sync/simulation/index.js';
import { AccessTokens } from './access-tokens.js';
import { routeRestCall } from './api-router.js';
import { BulkIngest, type BulkFaults } from './bulk-ingest.js';
import { EventBus, type PlatformEventFieldSpec, type PublishedEvent } from './event-bus.js';
import { OrgState } from './org-state.js';
import { RequestGate, salesforceError, type GateLimits } from './request-gate.js';
import { addCustomFields, isPersonObject, type CustomFieldSpec, type PersonObject } from './sobject-schema.js';

export interface SalesforceSimulatorLimits {
  /** API calls per rolling `intervalMs` (the org's daily allocation). @default 100_000 */
  requests?: number;
  /** @default 86_400_000 (24 h) */
  intervalMs?: number;
  /** Requests served at once; more are answered `403 REQUEST_LIMIT_EXCEEDED ConcurrentPerOrgLongTxn`. @default 25 */
  concurrency?: number;
  /** Service time per call, ms. @default 150 */
  latencyMs?: number;
  /** Extra service time per record in a call, ms. @default 1% of latencyMs */
  perRecordLatencyMs?: number;
  /** Bulk API 2.0 processing time per row, ms. @default a quarter of perRecordLatencyMs */
  bulkPerRecordMs?: number;
  /** Platform Event messages the org may publish per rolling hour; past it a publish fails with LIMIT_EXCEEDED. @default 250_000 (Enterprise/Unlimited) */
  hourlyPublishAllocation?: number;
}

export interface SalesforceSimulatorOptions {
  seed: number;
  limits?: SalesforceSimulatorLimits;
  /** @default 0 (the OS picks a free port) */
  port?: number;
  /** @default Date.now */
  now?: () => number;
  /** @default 'segflow-sandbox-client' */
  clientId?: string;
  /** @default 'segflow-sandbox-secret' */
  clientSecret?: string;
  /** PEM public key; when set, JWT bearer assertions are signature-checked. */
  jwtPublicKey?: string;
  /** The External ID field on Contact and Lead. @default 'Segflow_Id__c' */
  externalIdField?: string;
  /** More custom fields on Contact and Lead (an admin created them in Setup). */
  customFields?: readonly CustomFieldSpec[];
  /** Platform Events the org has (an admin defined them in Setup → Platform Events): API name → custom fields. */
  platformEvents?: Readonly<Record<string, readonly PlatformEventFieldSpec[]>>;
  /** The sObject the view reports records of. @default 'Contact' */
  object?: PersonObject;
  /** @default 7_200_000 (2 h) */
  tokenTtlMs?: number;
}

/** The vendor's state as tests read it back: the shared simulator view. */
export type SalesforceView = VendorView;

export interface SalesforceSimulator {
  /** Instance and token URL (both are the simulator). */
  url: string;
  port: number;
  clientId: string;
  clientSecret: string;
  externalIdField: string;
  view: SalesforceView;
  /** Creates custom fields on Contact or Lead, as an admin would before a sync. */
  defineCustomFields(object: PersonObject, fields: readonly CustomFieldSpec[]): void;
  hasField(object: string, field: string): boolean;
  /** Rotates the connected app's secret (new grants with the old one fail). */
  setClientSecret(secret: string): void;
  setBulkFaults(faults: BulkFaults): void;
  /** Creates a Platform Event or adds fields to one, as an admin would in Setup. */
  definePlatformEvent(name: string, fields: readonly PlatformEventFieldSpec[]): void;
  hasPlatformEvent(name: string): boolean;
  /** Events on the bus for `name`, oldest first, with their ReplayIds: what a Flow subscriber receives. */
  publishedEvents(name: string): PublishedEvent[];
  /** The next `calls` publish calls fail per event with PLATFORM_EVENT_PUBLISHING_UNAVAILABLE. */
  makePublishingUnavailable(calls: number): void;
  stop(): Promise<void>;
}

/**
 * A stateful fake Salesforce org over real HTTP (jsforce brings its own HTTP
 * stack, so request interception cannot see it): OAuth token endpoint, sObject
 * Collections, SOQL for the shapes a sync emits, describe, Bulk API 2.0 ingest,
 * the daily allocation and the concurrent-request limit, Platform Event
 * publishing (with its hourly allocation), with seeded faults.
 */
export async function startSalesforceSimulator(options: SalesforceSimulatorOptions): Promise<SalesforceSimulator> {
  const now = options.now ?? Date.now;
  const externalIdField = options.externalIdField ?? 'Segflow_Id__c';
  const clientId = options.clientId ?? 'segflow-sandbox-client';
  const clientSecret = options.clientSecret ?? 'segflow-sandbox-secret';
  const viewObject = options.object ?? 'Contact';
  const latencyMs = options.limits?.latencyMs ?? 150;
  const perRecordLatencyMs = options.limits?.perRecordLatencyMs ?? latencyMs / 100;
  const limits: GateLimits = {
    requests: options.limits?.requests ?? 100_000,
    intervalMs: options.limits?.intervalMs ?? 86_400_000,
    concurrency: options.limits?.concurrency ?? 25,
    latencyMs,
    perRecordLatencyMs,
  };
  let stats = emptyStats();
  const faults = new FaultPlan(options.seed, now);
  const org = new OrgState([{ name: externalIdField, type: 'string', externalId: true }, ...(options.customFields ?? [])]);
  const tokens = new AccessTokens({ clientId, clientSecret, ttlMs: options.tokenTtlMs ?? 7_200_000, now, seed: options.seed, ...(options.jwtPublicKey ? { jwtPublicKey: options.jwtPublicKey } : {}) });
  const bulk = new BulkIngest(() => ({ org, faults, stats }), now, options.limits?.bulkPerRecordMs ?? perRecordLatencyMs / 4);
  const events = new EventBus(options.limits?.hourlyPublishAllocation ?? 250_000, now);
  for (const [name, fields] of Object.entries(options.platformEvents ?? {})) events.define(name, fields);
  const gate = new RequestGate(limits, faults, () => stats, tokens, now);
  let url = '';

  const server = await startJsonServer(
    async (request) => {
      if (request.path === '/services/oauth2/token' && request.method === 'POST') {
        // Auth calls are not API calls: they cost no allocation and are not counted in `requests`.
        stats.byRoute['oauth.token'] = (stats.byRoute['oauth.token'] ?? 0) + 1;
        return tokens.tokenEndpoint(request, url);
      }
      const routed = routeRestCall(request, { org, bulk, faults, stats: () => stats, allocation: () => gate.allocationUsage(), events });
      if (!routed) return salesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
      return gate.pass(request, routed.route, routed.records, routed.respond);
    },
    { port: options.port ?? 0 },
  );
  url = server.url;

  const view: SalesforceView = {
    records() {
      const records = new Map<string, { vendorId: string; properties: Record<string, unknown> }>();
      for (const record of org.ofType(viewObject)) {
        const key = record.fields[externalIdField];
        if (typeof key === 'string' && !records.has(key)) records.set(key, { vendorId: record.Id, properties: { ...record.fields } });
      }
      return records;
    },
    duplicateKeys: () => org.duplicateExternalIds(viewObject, externalIdField),
    listMembers(listName) {
      const members = new Set<string>();
      for (const campaign of org.ofType('Campaign')) {
        if (campaign.fields.Name !== listName) continue;
        for (const memberId of org.membersOf(campaign.Id)) {
          const member = org.get(memberId);
          const person = org.get(String(member?.fields.ContactId ?? member?.fields.LeadId ?? ''));
          const key = person?.fields[externalIdField];
          if (typeof key === 'string') members.add(key);
        }
      }
      return members;
    },
    stats: () => structuredClone(stats),
    resetStats: () => {
      stats = emptyStats();
    },
    setFaults: (next) => faults.set(next),
    expireTokens: () => tokens.expireAll(),
  };

  return {
    url,
    port: server.port,
    clientId,
    clientSecret,
    externalIdField,
    view,
    defineCustomFields(object, fields) {
      if (!isPersonObject(object)) throw new Error(`simulator: custom fields go on Contact or Lead, not ${String(object)}`);
      addCustomFields(org.schema, object, fields);
    },
    hasField: (object, field) => org.schema.get(object)?.fields.has(field) ?? false,
    setClientSecret: (secret) => tokens.setClientSecret(secret),
    setBulkFaults: (next) => bulk.setFaults(next),
    definePlatformEvent: (name, fields) => events.define(name, fields),
    hasPlatformEvent: (name) => events.definition(name) !== undefined,
    publishedEvents: (name) => events.publishedEvents(name),
    makePublishingUnavailable: (calls) => events.makeUnavailable(calls),
    stop: () => server.close(),
  };
}
