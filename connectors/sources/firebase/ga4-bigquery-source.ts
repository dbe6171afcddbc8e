import { RAW_SAMPLE_LIMIT } from '../../../core/privacy/redact-sample.js';
import { ConnectorError } from '../../../core/errors/index.js';
import type { Source, SourceMessage } from '../../../core/ingest/source.js';
import { bigQueryError, classifyBigQueryError, CONNECTOR } from './bigquery-errors.js';
import { DEFAULT_RETRY, type RetryPolicy } from './bigquery-retry.js';
import { createExportTables, type ExportTables, type ExportTablesOptions } from './bigquery-tables.js';
import { resolveGa4BigQuerySettings, type Ga4BigQuerySettings, type Ga4BigQuerySourceConfig } from './ga4-bigquery-config.js';
import { resolveGa4Credentials } from './ga4-credentials.js';
import { ga4RecordToEvent, type Ga4MappingOptions } from './ga4-event.js';
import { decodeCursor, encodeCursor, planTables, type PlannedTable } from './ga4-read-plan.js';

export interface Ga4BigQueryOptions {
  /** Where `${env:NAME}` references are resolved. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** @default DEFAULT_RETRY (5 attempts, 1 s doubling to 32 s) */
  retry?: Partial<RetryPolicy>;
  /** Rows timestamped further ahead of the clock are rejected (the mapping's ingest.max_future). @default 86_400_000 */
  maxFutureMs?: number;
}


/**
 * GA4's BigQuery export as a source: daily tables in date order, one event
 * per row, a checkpoint after every table (and every `checkpoint_every`
 * rows within one). See ga4-read-plan.ts for which tables a run reads.
 */
export function createGa4BigQuerySource(options: Ga4BigQueryOptions = {}): Source<Ga4BigQuerySourceConfig> {
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const connect = async (settings: Ga4BigQuerySettings, env: NodeJS.ProcessEnv | undefined): Promise<ExportTables> => {
    const credentials = await resolveGa4Credentials(settings.credentials, options.env ?? env ?? process.env, settings.sourceId);
    const tablesOptions: ExportTablesOptions = {
      project: settings.project, dataset: settings.dataset, credentials, apiEndpoint: settings.apiEndpoint, pageSize: settings.pageSize, retry,
    };
    return createExportTables(tablesOptions);
  };
  return {
    kind: 'source:ga4-bigquery',
    async check(config, context) {
      const settings = resolveGa4BigQuerySettings(config);
      const tables = await listTables(await connect(settings, context.env), settings, context.signal);
      if (!tables.some((table) => /^events_(intraday_)?\d{8}$/.test(table))) {
        throw new ConnectorError('config', 'ga4-bigquery.no_export_tables',
          `source "${settings.sourceId}": ${settings.project}.${settings.dataset} has no events_YYYYMMDD table; is the GA4 BigQuery export on, and has its first day been written?`, { connector: CONNECTOR });
      }
    },
    async *read(config, from, context) {
      const settings = resolveGa4BigQuerySettings(config);
      const datasetName = `${settings.project}.${settings.dataset}`;
      const cursor = decodeCursor(from);
      if (cursor === 'foreign' || (cursor !== null && cursor.dataset !== datasetName)) {
        throw new ConnectorError('config', 'ga4-bigquery.cursor_invalid',
          `source "${settings.sourceId}": the stored cursor belongs to ${cursor === 'foreign' ? 'another connector' : cursor.dataset}, not ${datasetName}; give this source a new id to import ${datasetName} from start_date`, { connector: CONNECTOR });
      }
      const tables = await connect(settings, context.env);
      const plan = planTables({
        dataset: datasetName, tables: await listTables(tables, settings, context.signal), cursor, startDay: settings.startDay,
        lateDays: settings.lateDays, intraday: settings.intraday, now: context.now(),
      });
      for (const [index, planned] of plan.entries()) {
        if (context.signal.aborted) return;
        const mapping = { now: context.now(), ...(options.maxFutureMs !== undefined ? { maxFutureMs: options.maxFutureMs } : {}) };
        yield* readTable(tables, planned, settings, mapping, context.signal, (index + 1) / plan.length);
      }
      // Nothing to read still confirms the cursor (the runner needs a final checkpoint).
      if (plan.length === 0) yield { type: 'checkpoint', cursor: from === undefined ? encodeCursor({ dataset: datasetName, complete: null }) : from, progress: 1 };
    },
  };
}

async function listTables(tables: ExportTables, settings: Ga4BigQuerySettings, signal: AbortSignal): Promise<string[]> {
  try {
    return await tables.list(signal);
  } catch (error) {
    if (error instanceof ConnectorError && error.code === 'ga4-bigquery.not_found') {
      throw new ConnectorError('config', 'ga4-bigquery.dataset_missing',
        `source "${settings.sourceId}": dataset ${settings.project}.${settings.dataset} not found; check project and dataset (analytics_<property id>) and that the GA4 property is linked to BigQuery`, { connector: CONNECTOR, cause: error });
    }
    throw error;
  }
}

async function* readTable(
  tables: ExportTables, planned: PlannedTable, settings: Ga4BigQuerySettings, mapping: Ga4MappingOptions, signal: AbortSignal, progressAfter: number,
): AsyncGenerator<SourceMessage[]> {
  const origin = `bigquery://${settings.project}.${settings.dataset}.${planned.table}`;
  // Within a table the cursor stays where it was: a checkpoint here only
  // lets the runner commit; a crash re-reads the day (deduplicated).
  let sinceCheckpoint = 0;
  try {
    for await (const page of tables.pages(planned.table, signal)) {
      const batch: SourceMessage[] = page.rows.map((row, offset) => rowMessage(row, { file: origin, line: page.startIndex + offset + 1 }, mapping));
      sinceCheckpoint += page.rows.length;
      if (sinceCheckpoint >= settings.checkpointEvery) {
        sinceCheckpoint = 0;
        batch.push({ type: 'checkpoint', cursor: encodeCursor(planned.cursorBefore) });
      }
      yield batch;
    }
  } catch (error) {
    // GA4 deletes an intraday table once the day's daily table is complete:
    // gone between list and read means the next run reads the daily one.
    const gone = error instanceof ConnectorError && error.code === 'ga4-bigquery.not_found';
    if (!(gone && planned.kind === 'intraday')) {
      if (gone) {
        throw new ConnectorError('retryable', 'ga4-bigquery.table_missing',
          `source "${settings.sourceId}": ${planned.table} was listed but is gone (deleted or replaced while reading); run again to read the tables as they are now`, { connector: CONNECTOR, cause: error });
      }
      throw error instanceof ConnectorError ? error : bigQueryError(classifyBigQueryError(error), `reading ${origin}`, 1, error);
    }
  }
  // Stopped part-way (Ctrl-C): the day is not complete, so no checkpoint may say it is.
  if (signal.aborted) return;
  yield [{ type: 'checkpoint', cursor: encodeCursor(planned.cursorAfter), progress: progressAfter }];
}

function rowMessage(row: unknown, origin: { file: string; line: number }, mapping: Ga4MappingOptions): SourceMessage {
  const result = ga4RecordToEvent(row, mapping);
  if (result.ok) return { type: 'event', event: result.event, origin };
  return { type: 'reject', origin, reason: result.reason, sample: sampleOf(row) };
}

function sampleOf(row: unknown): string {
  try {
    return (JSON.stringify(row) ?? String(row)).slice(0, RAW_SAMPLE_LIMIT);
  } catch {
    return String(row).slice(0, RAW_SAMPLE_LIMIT);
  }
}
