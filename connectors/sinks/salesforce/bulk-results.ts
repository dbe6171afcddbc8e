import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ChangeResult, PropertyValue } from '../../../core/sync/sink.js';
import { errorFromRecord, parseBulkError } from './salesforce-errors.js';
import { SALESFORCE_CONNECTOR } from './salesforce-sink-config.js';

/**
 * Pure helpers for Bulk API 2.0: the CSV segflow uploads and the mapping of
 * a job's three result files back to one result per change. Bulk jobs answer
 * "JobComplete" even when rows failed; only the result files tell, so a row
 * is `applied` only when successfulResults lists it (field lesson: silent
 * failures in async bulk paths).
 */

/** Uploads an upsert job: the key column first, then every property any row sets. */
export function toBulkCsv(rows: ReadonlyArray<{ key: string; properties: Record<string, PropertyValue> }>, externalIdField: string): string {
  const columns: string[] = [];
  const seen = new Set<string>([externalIdField]);
  for (const row of rows) {
    for (const name of Object.keys(row.properties)) {
      if (!seen.has(name)) {
        seen.add(name);
        columns.push(name);
      }
    }
  }
  const lines = [[externalIdField, ...columns].map(csvCell).join(',')];
  for (const row of rows) lines.push([row.key, ...columns.map((name) => bulkValue(row.properties, name))].map(csvCell).join(','));
  return `${lines.join('\n')}\n`;
}

/**
 * In Bulk CSV an empty cell leaves the field as it is and `#N/A` clears it.
 * A property this row does not set stays empty (untouched); `null` or an empty
 * string clears, as they do through the REST API.
 */
function bulkValue(properties: Record<string, PropertyValue>, name: string): string {
  if (!Object.hasOwn(properties, name)) return '';
  const value = properties[name];
  if (value === null || value === undefined || value === '') return '#N/A';
  return String(value);
}

function csvCell(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export interface BulkJobOutcome {
  successful: ReadonlyArray<Record<string, unknown>>;
  failed: ReadonlyArray<Record<string, unknown>>;
  unprocessed: ReadonlyArray<Record<string, unknown>>;
  /** Final job state and its errorMessage, for the unprocessed rows' error. */
  state: string;
  errorMessage?: string;
}

/** One result per row, in row order: listed successful → applied, failed → its error, anything else → retryable. */
export function mapBulkResults(rows: ReadonlyArray<{ key: string; profileId: string }>, externalIdField: string, object: string, outcome: BulkJobOutcome): ChangeResult[] {
  const byKey = new Map<string, ChangeResult>();
  for (const row of outcome.successful) {
    const key = cell(row, externalIdField);
    if (key === undefined) continue;
    const vendorId = cell(row, 'sf__Id');
    byKey.set(key, { status: 'applied', ...(vendorId ? { vendorId } : {}), created: cell(row, 'sf__Created') === 'true' });
  }
  const profileOf = new Map(rows.map((row) => [row.key, row.profileId]));
  // A failure outranks any success row for the same key: never report success for a record that failed.
  for (const row of outcome.failed) {
    const key = cell(row, externalIdField);
    if (key === undefined) continue;
    byKey.set(key, { status: 'failed', error: errorFromRecord([parseBulkError(cell(row, 'sf__Error') ?? '')], `${object} for profile ${profileOf.get(key) ?? '?'} (Bulk API)`) });
  }
  const jobProblem = outcome.errorMessage ? `job ${outcome.state}: ${outcome.errorMessage}` : `job ${outcome.state}`;
  for (const row of outcome.unprocessed) {
    const key = cell(row, externalIdField);
    if (key === undefined || byKey.get(key)?.status === 'failed') continue;
    byKey.set(key, { status: 'failed', error: new ConnectorError('retryable', 'salesforce.bulk_unprocessed', `Salesforce Bulk API did not process ${object} for profile ${profileOf.get(key) ?? '?'} (${jobProblem})`, { connector: SALESFORCE_CONNECTOR }) });
  }
  return rows.map(
    (row) =>
      byKey.get(row.key) ?? {
        status: 'failed',
        error: new ConnectorError('retryable', 'salesforce.bulk_result_missing', `Salesforce Bulk API returned no result for ${object} of profile ${row.profileId} (${jobProblem})`, { connector: SALESFORCE_CONNECTOR }),
      },
  );
}

function cell(row: Record<string, unknown>, column: string): string | undefined {
  const value = row[column];
  return typeof value === 'string' ? value : undefined;
}
