import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { AddressInfo } from 'node:net';
import { backendError, notFound, rateLimitExceeded, unauthorized, type BigQueryErrorBody } from './bigquery-errors.js';
import { createFakeServiceAccount, verifyBearer, type FakeServiceAccount } from './fake-service-account.js';
import { encodeRow } from './fv-encoding.js';
import { GA4_EXPORT_SCHEMA, type SchemaField } from './ga4-export-schema.js';

/**
 * A stateful local fake of the three BigQuery REST methods the GA4 reader
 * calls through the real @google-cloud/bigquery client: tables.list,
 * tables.get (the schema getRows merges with) and tabledata.list (f/v rows).
 * Both lists page with pageToken. Faults are queued per method (and table):
 * 429 / 403 rateLimitExceeded, 500 backendError, or a table that is listed
 * but answers 404 when read. Requests must carry a JWT signed by the fake's
 * service account (see fake-service-account.ts).
 */
export type FakeApi = 'tables.list' | 'tables.get' | 'tabledata.list';

export interface FakeFault {
  api: FakeApi;
  /** Only calls for this table (tables.get / tabledata.list). */
  table?: string;
  kind: 'rate-limit' | 'rate-limit-403' | 'backend-error';
  /** How many calls fail before the method answers again. @default 1 */
  times?: number;
}

export interface FakeRequest {
  api: FakeApi;
  table?: string;
  pageToken?: string;
  status: number;
}

export interface BigQueryFakeOptions {
  /** Most tables per tables.list page, whatever maxResults asks. @default 1000 */
  tablesPerPage?: number;
  /** Most rows per tabledata.list page (BigQuery's ~10 MB cap, made small). @default 100000 */
  rowsPerPage?: number;
}

export interface BigQueryFake {
  url: string;
  account: FakeServiceAccount;
  /** Creates the table (or replaces its rows). Rows are GA4 export rows as objects. */
  putTable(project: string, dataset: string, table: string, rows: ReadonlyArray<Record<string, unknown>>): void;
  /** Late events: GA4 adding rows to a daily table it already wrote. */
  appendRows(project: string, dataset: string, table: string, rows: ReadonlyArray<Record<string, unknown>>): void;
  dropTable(project: string, dataset: string, table: string): void;
  /** Listed by tables.list, but tables.get and tabledata.list answer 404 (deleted between list and read). */
  vanishOnRead(project: string, dataset: string, table: string): void;
  fail(fault: FakeFault): void;
  readonly requests: readonly FakeRequest[];
  /** Forgets the request log and any fault not yet used. */
  reset(): void;
  close(): Promise<void>;
}

interface StoredTable {
  rows: Array<Record<string, unknown>>;
  schema: { fields: SchemaField[] };
  created: number;
  vanished: boolean;
}

type Params = { projectId: string; datasetId: string; tableId?: string };
type Query = { maxResults?: string; pageToken?: string; startIndex?: string };

export async function startBigQueryFake(options: BigQueryFakeOptions = {}): Promise<BigQueryFake> {
  const account = createFakeServiceAccount();
  const datasets = new Map<string, Map<string, StoredTable>>();
  const faults: Array<Required<Omit<FakeFault, 'table'>> & { table?: string }> = [];
  const requests: FakeRequest[] = [];
  let clock = Date.UTC(2024, 0, 1);

  const tablesOf = (project: string, dataset: string, create = false) => {
    const key = `${project}:${dataset}`;
    let tables = datasets.get(key);
    if (tables === undefined && create) datasets.set(key, (tables = new Map()));
    return tables;
  };

  const app = Fastify({ logger: false });
  const base = '/bigquery/v2/projects/:projectId/datasets/:datasetId/tables';

  /** Auth, then a queued fault, then the handler; every answer is logged. */
  const answer = (api: FakeApi, handler: (params: Params, query: Query) => { status: number; body: unknown }) =>
    async (request: FastifyRequest<{ Params: Params; Querystring: Query }>, reply: FastifyReply) => {
      const { tableId } = request.params;
      const log = (status: number) => requests.push({ api, ...(tableId ? { table: tableId } : {}), ...(request.query.pageToken ? { pageToken: request.query.pageToken } : {}), status });
      const auth = verifyBearer(request.headers.authorization, account);
      if (!auth.ok) {
        log(401);
        return reply.code(401).send(unauthorized(auth.why));
      }
      const index = faults.findIndex((fault) => fault.api === api && (fault.table === undefined || fault.table === tableId));
      if (index >= 0) {
        const fault = faults[index]!;
        if (--fault.times <= 0) faults.splice(index, 1);
        const body: BigQueryErrorBody = fault.kind === 'backend-error' ? backendError() : rateLimitExceeded(fault.kind === 'rate-limit-403' ? 403 : 429);
        log(body.error.code);
        return reply.code(body.error.code).send(body);
      }
      const result = handler(request.params, request.query);
      log(result.status);
      return reply.code(result.status).send(result.body);
    };

  const findTable = (params: Params) => {
    const table = tablesOf(params.projectId, params.datasetId)?.get(params.tableId ?? '');
    return table === undefined || table.vanished ? null : table;
  };
  const tableMissing = (params: Params) => ({ status: 404, body: notFound(`Table ${params.projectId}:${params.datasetId}.${params.tableId ?? ''}`) });

  app.get(base, answer('tables.list', (params, query) => {
    const tables = tablesOf(params.projectId, params.datasetId);
    if (tables === undefined) return { status: 404, body: notFound(`Dataset ${params.projectId}:${params.datasetId}`) };
    const names = [...tables.keys()].sort();
    const offset = decodeToken(query.pageToken);
    const size = Math.min(Number(query.maxResults ?? 1000), options.tablesPerPage ?? 1000);
    const page = names.slice(offset, offset + size);
    const next = offset + size < names.length ? encodeToken(offset + size) : undefined;
    return {
      status: 200,
      body: {
        kind: 'bigquery#tableList',
        etag: `"${names.length}"`,
        tables: page.map((tableId) => ({
          kind: 'bigquery#table',
          id: `${params.projectId}:${params.datasetId}.${tableId}`,
          tableReference: { projectId: params.projectId, datasetId: params.datasetId, tableId },
          type: 'TABLE',
          creationTime: String(tables.get(tableId)!.created),
        })),
        ...(next ? { nextPageToken: next } : {}),
        totalItems: names.length,
      },
    };
  }));

  app.get(`${base}/:tableId`, answer('tables.get', (params) => {
    const table = findTable(params);
    if (table === null) return tableMissing(params);
    return {
      status: 200,
      body: {
        kind: 'bigquery#table',
        id: `${params.projectId}:${params.datasetId}.${params.tableId}`,
        tableReference: { projectId: params.projectId, datasetId: params.datasetId, tableId: params.tableId },
        schema: table.schema,
        numRows: String(table.rows.length),
        type: 'TABLE',
        creationTime: String(table.created),
      },
    };
  }));

  app.get(`${base}/:tableId/data`, answer('tabledata.list', (params, query) => {
    const table = findTable(params);
    if (table === null) return tableMissing(params);
    const offset = query.pageToken !== undefined ? decodeToken(query.pageToken) : Number(query.startIndex ?? 0);
    const size = Math.min(Number(query.maxResults ?? 100_000), options.rowsPerPage ?? 100_000);
    const page = table.rows.slice(offset, offset + size);
    const next = offset + size < table.rows.length ? encodeToken(offset + size) : undefined;
    return {
      status: 200,
      body: {
        kind: 'bigquery#tableDataList',
        etag: `"${table.rows.length}"`,
        totalRows: String(table.rows.length),
        ...(next ? { pageToken: next } : {}),
        ...(page.length > 0 ? { rows: page.map((row) => encodeRow(table.schema.fields, row)) } : {}),
      },
    };
  }));

  app.setNotFoundHandler((request, reply) => reply.code(404).send(notFound(`the fake does not implement ${request.method} ${request.url}`)));

  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    account,
    putTable(project, dataset, table, rows) {
      tablesOf(project, dataset, true)!.set(table, { rows: rows.map((row) => ({ ...row })), schema: GA4_EXPORT_SCHEMA, created: (clock += 1000), vanished: false });
    },
    appendRows(project, dataset, table, rows) {
      const stored = tablesOf(project, dataset)?.get(table);
      if (stored === undefined) throw new Error(`fake: no table ${project}:${dataset}.${table}`);
      stored.rows.push(...rows.map((row) => ({ ...row })));
    },
    dropTable(project, dataset, table) {
      tablesOf(project, dataset)?.delete(table);
    },
    vanishOnRead(project, dataset, table) {
      const stored = tablesOf(project, dataset)?.get(table);
      if (stored === undefined) throw new Error(`fake: no table ${project}:${dataset}.${table}`);
      stored.vanished = true;
    },
    fail(fault) {
      faults.push({ ...fault, times: fault.times ?? 1 });
    },
    requests,
    reset() {
      requests.length = 0;
      faults.length = 0;
    },
    close: () => app.close(),
  };
}

/** Page tokens are opaque to clients; here they carry the next row offset. */
function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decodeToken(token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown };
    return typeof parsed.offset === 'number' ? parsed.offset : 0;
  } catch {
    return 0;
  }
}
