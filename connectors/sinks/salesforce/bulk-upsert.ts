import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ChangeResult, SinkContext } from '../../../core/sync/sink.js';
import { mapBulkResults, toBulkCsv } from './bulk-results.js';
import { vendorCall, type SalesforceRuntime } from './salesforce-runtime.js';
import { SALESFORCE_CONNECTOR } from './salesforce-sink-config.js';
import type { UpsertRow } from './upsert-row.js';

const TERMINAL_STATES = new Set(['JobComplete', 'Failed', 'Aborted']);

/**
 * Upserts a large batch through one Bulk API 2.0 ingest job: create, upload
 * the CSV, close, poll until the job ends, then read all three result files
 * (successful, failed, unprocessed) and delete the job. Each step is one
 * vendor call through the account queue. The wait between polls is the
 * job's processing time, not pacing.
 */
export async function bulkUpsert(runtime: SalesforceRuntime, context: SinkContext, rows: readonly UpsertRow[]): Promise<ChangeResult[]> {
  const { object, externalIdField, bulkPollIntervalMs, bulkPollTimeoutMs } = runtime.settings;
  const what = `Bulk API upsert of ${rows.length} ${object} records`;
  const job = runtime.session.connection.bulk2.createJob({ object, operation: 'upsert', externalIdFieldName: externalIdField, contentType: 'CSV', lineEnding: 'LF' });
  await vendorCall(runtime, context, 'salesforce.bulk.create', `${what}: creating the job`, () => job.open());
  let finished = false;
  try {
    await vendorCall(runtime, context, 'salesforce.bulk.upload', `${what}: uploading`, () => job.uploadData(toBulkCsv(rows, externalIdField)));
    await vendorCall(runtime, context, 'salesforce.bulk.close', `${what}: closing the upload`, () => job.close());
    const deadline = context.now() + bulkPollTimeoutMs;
    let info = await vendorCall(runtime, context, 'salesforce.bulk.poll', `${what}: polling`, () => job.check());
    while (!TERMINAL_STATES.has(info.state)) {
      if (context.now() >= deadline) {
        throw new ConnectorError('retryable', 'salesforce.bulk_timeout', `Salesforce ${what}: job ${job.id ?? ''} still ${info.state} after ${bulkPollTimeoutMs} ms; the batch will be retried (upserts are idempotent)`, { connector: SALESFORCE_CONNECTOR });
      }
      await waitBeforePoll(bulkPollIntervalMs, context.signal);
      info = await vendorCall(runtime, context, 'salesforce.bulk.poll', `${what}: polling`, () => job.check());
    }
    finished = true;
    const [successful, failed, unprocessed] = await Promise.all([
      vendorCall(runtime, context, 'salesforce.bulk.results', `${what}: reading successful results`, () => job.getSuccessfulResults()),
      vendorCall(runtime, context, 'salesforce.bulk.results', `${what}: reading failed results`, () => job.getFailedResults()),
      vendorCall(runtime, context, 'salesforce.bulk.results', `${what}: reading unprocessed records`, () => job.getUnprocessedRecords()),
    ]);
    return mapBulkResults(rows, externalIdField, object, {
      successful: asRows(successful),
      failed: asRows(failed),
      unprocessed: asRows(unprocessed),
      state: info.state,
      ...(typeof info.errorMessage === 'string' ? { errorMessage: info.errorMessage } : {}),
    });
  } finally {
    // Housekeeping only: Salesforce deletes finished jobs after 7 days anyway, so a failure here changes no result.
    const cleanup = finished ? () => job.delete() : () => job.abort();
    await vendorCall(runtime, context, 'salesforce.bulk.cleanup', `${what}: cleaning up the job`, cleanup).catch(() => undefined);
  }
}

async function waitBeforePoll(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch (error) {
    throw new ConnectorError('retryable', 'salesforce.aborted', 'Salesforce Bulk API job polling was aborted (the run is stopping)', { connector: SALESFORCE_CONNECTOR, cause: error });
  }
}

/** jsforce parses result CSVs into row objects; a result file it could not parse comes back as text. */
function asRows(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? value.filter((row): row is Record<string, unknown> => typeof row === 'object' && row !== null) : [];
}
