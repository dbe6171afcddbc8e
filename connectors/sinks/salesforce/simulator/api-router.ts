import type { FaultPlan, SimRequest, SimResponse, SimulatorStats } from '../../../../core/sync/simulation/index.js';
import type { BulkIngest } from './bulk-ingest.js';
import { createCollection, createOne, deleteCollection, upsertCollection } from './collections-routes.js';
import type { EventBus } from './event-bus.js';
import type { OrgState } from './org-state.js';
import { routePlatformEventCall } from './platform-event-routes.js';
import { salesforceError } from './request-gate.js';
import { describeSObject } from './sobject-schema.js';
import { runSoql } from './soql-query.js';

/** One matched REST call: its stats label, its record count (service time) and its handler. */
export interface RoutedCall {
  route: string;
  records: number;
  respond: () => SimResponse;
}

export interface RouterDependencies {
  org: OrgState;
  bulk: BulkIngest;
  faults: FaultPlan;
  stats: () => SimulatorStats;
  /** Daily allocation figures for `GET /limits`. */
  allocation: () => { used: number; max: number };
  /** Platform Event definitions and the published events. */
  events: EventBus;
  /** Destroys this request's connection unanswered (lost responses on action endpoints). */
}

/** Salesforce answers 414 past this many bytes of URI, so long `IN (…)` lists must be split. */
const MAX_URI_LENGTH = 16_384;

/** Maps `/services/data/vXX.X/...` to its handler; `undefined` when the path is not under the REST API. */
export function routeRestCall(request: SimRequest, dependencies: RouterDependencies): RoutedCall | undefined {
  const match = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(request.path);
  if (!match) return undefined;
  const version = match[1] ?? '0.0';
  const rest = (match[2] ?? '/').replace(/\/$/, '') || '/';
  const segments = rest.split('/').slice(1).map(decodeURIComponent);
  const { org, bulk } = dependencies;
  const writes = { org, faults: dependencies.faults, stats: dependencies.stats() };
  const apiPath = `/services/data/v${version}`;
  const method = request.method.toUpperCase();
  const uriLength = request.path.length + request.query.toString().length + 1;
  if (uriLength > MAX_URI_LENGTH) return { route: 'uri-too-long', records: 0, respond: () => salesforceError(414, 'URI_TOO_LONG', 'The request URI is too long.') };
  const call = (route: string, respond: () => SimResponse, records = 0): RoutedCall => ({ route, records, respond });
  const recordCount = (body: unknown) => (Array.isArray((body as { records?: unknown } | undefined)?.records) ? (body as { records: unknown[] }).records.length : 0);
  const [first, second, third, fourth, fifth] = segments;
  const eventCall = routePlatformEventCall(request, segments, apiPath, { bus: dependencies.events, faults: dependencies.faults });
  if (eventCall) return eventCall;

  if (first === 'sobjects' && second && third === 'describe' && segments.length === 3 && method === 'GET') {
    const object = org.schema.get(second);
    return call('sobjects.describe', () => (object ? { status: 200, body: describeSObject(object, apiPath) } : salesforceError(404, 'NOT_FOUND', `The requested resource does not exist`)));
  }
  if (first === 'sobjects' && second && segments.length === 2 && method === 'POST') return call('sobjects.create', () => createOne(writes, second, request.body), 1);
  if (first === 'composite' && second === 'sobjects') {
    if (segments.length === 4 && third && fourth && method === 'PATCH') {
      if (Number(version) < 46) return call('collections.upsert', () => salesforceError(404, 'NOT_FOUND', 'The requested resource does not exist'));
      return call('collections.upsert', () => upsertCollection(writes, third, fourth, request.body), recordCount(request.body));
    }
    if (segments.length === 2 && method === 'POST') return call('collections.create', () => createCollection(writes, request.body), recordCount(request.body));
    if (segments.length === 2 && method === 'DELETE') {
      const ids = request.query.get('ids');
      return call('collections.delete', () => deleteCollection(writes, ids, request.query.get('allOrNone') === 'true'), ids ? ids.split(',').length : 0);
    }
  }
  if (first === 'query' && segments.length === 1 && method === 'GET') {
    return call('query', () => {
      const answer = runSoql(org, request.query.get('q') ?? '', apiPath);
      return answer.ok ? { status: 200, body: answer.body } : salesforceError(400, answer.errorCode, answer.message);
    });
  }
  if (first === 'limits' && segments.length === 1 && method === 'GET') {
    return call('limits', () => {
      const { used, max } = dependencies.allocation();
      return { status: 200, body: { DailyApiRequests: { Max: max, Remaining: Math.max(0, max - used) } } };
    });
  }
  if (first === 'jobs' && second === 'ingest') {
    if (segments.length === 2 && method === 'POST') return call('bulk.create', () => bulk.create(request.body, version));
    if (third && segments.length === 3 && method === 'GET') return call('bulk.poll', () => bulk.poll(third));
    if (third && segments.length === 3 && method === 'PATCH') return call('bulk.state', () => bulk.changeState(third, request.body));
    if (third && segments.length === 3 && method === 'DELETE') return call('bulk.delete', () => bulk.remove(third));
    if (third && fourth === 'batches' && segments.length === 4 && method === 'PUT') return call('bulk.upload', () => bulk.upload(third, request.rawBody));
    if (third && (fourth === 'successfulResults' || fourth === 'failedResults' || fourth === 'unprocessedrecords') && segments.length === 4 && method === 'GET' && fifth === undefined) {
      return call('bulk.results', () => bulk.results(third, fourth));
    }
  }
  return call('unknown', () => salesforceError(404, 'NOT_FOUND', 'The requested resource does not exist'));
}
