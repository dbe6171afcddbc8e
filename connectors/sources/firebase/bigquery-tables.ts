import type { BigQueryOptions, GetRowsOptions, GetTablesOptions } from '@google-cloud/bigquery';
import type { Ga4Credentials } from './ga4-credentials.js';
import { withRetry, type RetryPolicy } from './bigquery-retry.js';

/**
 * The I/O edge of the BigQuery reader, on the real client: tables.list and
 * tabledata.list (free, unlike a query, which bills the bytes of every
 * column of a GA4 table). Rows come back decoded by the client's schema
 * merge with INT64 kept as digit strings, the same shape `bq extract` writes.
 */
export interface ExportTables {
  /** Every table id of the dataset, all pages. */
  list(signal: AbortSignal): Promise<string[]>;
  /** One table's rows, a page at a time (startIndex: first row of each page). */
  pages(table: string, signal: AbortSignal): AsyncIterable<{ rows: unknown[]; startIndex: number }>;
}

export interface ExportTablesOptions {
  project: string;
  dataset: string;
  credentials: Ga4Credentials;
  apiEndpoint: string | null;
  pageSize: number;
  retry: RetryPolicy;
}

const TABLES_PAGE = 1_000;

/**
 * Loaded on first use: the client and its auth library cost ~230 ms to
 * import, which every `segflow` start would pay through the registry.
 */
export async function createExportTables(options: ExportTablesOptions): Promise<ExportTables> {
  const { BigQuery } = await import('@google-cloud/bigquery');
  const client = new BigQuery(clientOptions(options));
  const dataset = client.dataset(options.dataset);
  const name = `${options.project}.${options.dataset}`;
  return {
    async list(signal) {
      const ids: string[] = [];
      let query: GetTablesOptions | null = { autoPaginate: false, maxResults: TABLES_PAGE };
      while (query !== null) {
        const request: GetTablesOptions = query;
        const [tables, next] = await withRetry(`listing the tables of ${name}`, () => dataset.getTables(request), options.retry, signal);
        for (const table of tables) if (table.id !== undefined) ids.push(table.id);
        query = next ?? null;
      }
      return ids;
    },
    async *pages(tableId, signal) {
      const table = dataset.table(tableId);
      let query: GetRowsOptions | null = {
        autoPaginate: false,
        maxResults: options.pageSize,
        // INT64 stays a string: event_timestamp (µs) and int params must not pass through a double.
        wrapIntegers: { integerTypeCastFunction: (value: string) => value },
      };
      let startIndex = 0;
      while (query !== null) {
        if (signal.aborted) return;
        // getRows deletes wrapIntegers from the object it is given: hand it a copy, keep ours for retries.
        const request: GetRowsOptions = query;
        const [rows, next] = await withRetry(`reading ${name}.${tableId} (row ${startIndex})`, () => table.getRows({ ...request }), options.retry, signal);
        yield { rows: rows as unknown[], startIndex };
        startIndex += rows.length;
        query = next === null || next === undefined ? null : { ...(next as GetRowsOptions), wrapIntegers: request.wrapIntegers };
      }
    },
  };
}

function clientOptions(options: ExportTablesOptions): BigQueryOptions {
  const base: BigQueryOptions = { projectId: options.project, retryOptions: { autoRetry: false } };
  if (options.apiEndpoint !== null) base.apiEndpoint = options.apiEndpoint;
  const credentials = options.credentials;
  if (credentials.kind === 'json') base.credentials = credentials.credentials;
  if (credentials.kind === 'file') base.keyFilename = credentials.keyFilename;
  return base;
}
