import { parse } from 'csv-parse/sync';
import type { SimResponse } from '../../../../core/sync/simulation/index.js';
import { Journal } from './org-state.js';
import { deleteRecordById, insertRecord, updateRecordById, upsertRecord, type WriteContext, type WriteOutcome } from './record-writes.js';
import { salesforceError } from './request-gate.js';

type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
type Operation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
const OPERATIONS: readonly string[] = ['insert', 'update', 'upsert', 'delete', 'hardDelete'];

interface IngestJob {
  id: string;
  object: string;
  operation: Operation;
  externalIdFieldName?: string;
  lineEnding: 'LF' | 'CRLF';
  state: JobState;
  createdAt: number;
  apiVersion: number;
  header?: string[];
  rows: string[][];
  /** When processing ends (set on UploadComplete from the row count). */
  completesAt?: number;
  errorMessage?: string;
  successful: Array<{ id: string; created: boolean; row: string[] }>;
  failed: Array<{ id: string; error: string; row: string[] }>;
  unprocessed: string[][];
}

export interface BulkFaults {
  /** Process this many rows of each job, then fail the job: the rest are unprocessed records. */
  failAfterRows?: number;
}

/**
 * Bulk API 2.0 ingest jobs: Open → (PUT CSV) → UploadComplete → InProgress →
 * JobComplete | Failed, or Aborted. Processing takes `perRecordMs` per row on
 * the injected clock; rows are applied when a poll finds the time elapsed.
 * Results are CSV: successfulResults (sf__Id, sf__Created), failedResults
 * (sf__Id, sf__Error) and unprocessedrecords, each followed by the row.
 */
export class BulkIngest {
  private readonly jobs = new Map<string, IngestJob>();
  private counter = 0;
  private faults: BulkFaults = {};

  constructor(
    private readonly writes: () => Omit<WriteContext, 'journal' | 'source'>,
    private readonly now: () => number,
    private readonly perRecordMs: number,
  ) {}

  setFaults(faults: BulkFaults): void {
    this.faults = { ...faults };
  }

  /** `POST /jobs/ingest` under API `version` (e.g. `62.0`). */
  create(body: unknown, version: string): SimResponse {
    const options = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const object = typeof options.object === 'string' ? options.object : '';
    const operation = typeof options.operation === 'string' ? options.operation : '';
    if (!this.writes().org.schema.has(object)) return salesforceError(400, 'INVALIDJOB', `InvalidJob : Invalid object: ${object}`);
    if (!OPERATIONS.includes(operation)) return salesforceError(400, 'INVALIDJOB', `InvalidJob : Invalid operation: ${operation}`);
    if (operation === 'upsert' && typeof options.externalIdFieldName !== 'string') return salesforceError(400, 'INVALIDJOB', 'InvalidJob : External ID was blank for upsert');
    if (options.contentType !== undefined && options.contentType !== 'CSV') return salesforceError(400, 'INVALIDJOB', 'InvalidJob : contentType must be CSV');
    this.counter += 1;
    const job: IngestJob = {
      id: `7505g0${this.counter.toString(36).toUpperCase().padStart(9, '0')}SIM`,
      object,
      operation: operation as Operation,
      ...(typeof options.externalIdFieldName === 'string' ? { externalIdFieldName: options.externalIdFieldName } : {}),
      lineEnding: options.lineEnding === 'CRLF' ? 'CRLF' : 'LF',
      state: 'Open',
      createdAt: this.now(),
      apiVersion: Number(version),
      rows: [],
      successful: [],
      failed: [],
      unprocessed: [],
    };
    this.jobs.set(job.id, job);
    return { status: 200, body: this.info(job) };
  }

  upload(id: string, csv: string): SimResponse {
    const job = this.jobs.get(id);
    if (!job) return notFound();
    if (job.state !== 'Open') return salesforceError(409, 'INVALIDJOBSTATE', `Job ${id} is not open for uploads (state ${job.state})`);
    let table: string[][];
    try {
      table = parse(csv, { bom: true, skip_empty_lines: true }) as string[][];
    } catch (error) {
      return salesforceError(400, 'INVALIDBATCH', `InvalidBatch : Failed to parse CSV: ${error instanceof Error ? error.message : String(error)}`);
    }
    const [header, ...rows] = table;
    if (!header) return salesforceError(400, 'INVALIDBATCH', 'InvalidBatch : No data in upload');
    if (job.header && job.header.join(',') !== header.join(',')) return salesforceError(400, 'INVALIDBATCH', 'InvalidBatch : Every upload of a job must have the same header');
    job.header = header;
    job.rows.push(...rows);
    return { status: 201 };
  }

  changeState(id: string, body: unknown): SimResponse {
    const job = this.jobs.get(id);
    if (!job) return notFound();
    const wanted = typeof body === 'object' && body !== null ? (body as { state?: unknown }).state : undefined;
    if (wanted === 'UploadComplete' && job.state === 'Open') {
      job.state = 'UploadComplete';
      job.completesAt = this.now() + job.rows.length * this.perRecordMs;
    } else if (wanted === 'Aborted' && (job.state === 'Open' || job.state === 'UploadComplete' || job.state === 'InProgress')) {
      job.state = 'Aborted';
    } else {
      return salesforceError(400, 'INVALIDJOBSTATE', `Cannot change job state from ${job.state} to ${String(wanted)}`);
    }
    return { status: 200, body: this.info(job) };
  }

  /** `GET /jobs/ingest/{id}`: a poll, which is also what moves processing along. */
  poll(id: string): SimResponse {
    const job = this.jobs.get(id);
    if (!job) return notFound();
    if (job.state === 'UploadComplete') job.state = 'InProgress';
    else if (job.state === 'InProgress' && this.now() >= (job.completesAt ?? 0)) this.process(job);
    return { status: 200, body: this.info(job) };
  }

  results(id: string, kind: 'successfulResults' | 'failedResults' | 'unprocessedrecords'): SimResponse {
    const job = this.jobs.get(id);
    if (!job) return notFound();
    const header = job.header ?? [];
    const lines =
      kind === 'successfulResults'
        ? [['sf__Id', 'sf__Created', ...header], ...job.successful.map((result) => [result.id, String(result.created), ...result.row])]
        : kind === 'failedResults'
          ? [['sf__Id', 'sf__Error', ...header], ...job.failed.map((result) => [result.id, result.error, ...result.row])]
          : [header, ...(job.state === 'Aborted' ? job.rows : job.unprocessed)];
    const newline = job.lineEnding === 'CRLF' ? '\r\n' : '\n';
    return { status: 200, headers: { 'content-type': 'text/csv' }, body: lines.map((cells) => cells.map(quote).join(',')).join(newline) + newline };
  }

  remove(id: string): SimResponse {
    const job = this.jobs.get(id);
    if (!job) return notFound();
    if (job.state === 'UploadComplete' || job.state === 'InProgress') return salesforceError(400, 'INVALIDJOBSTATE', 'Cannot delete a job that is being processed');
    this.jobs.delete(id);
    return { status: 204 };
  }

  private process(job: IngestJob): void {
    const context = this.writes();
    const header = job.header ?? [];
    const fields = context.org.schema.get(job.object)?.fields;
    const missing = header.find((name) => !fields?.has(name)) ?? (job.externalIdFieldName && !header.includes(job.externalIdFieldName) ? job.externalIdFieldName : undefined);
    if (missing !== undefined) {
      job.state = 'Failed';
      job.errorMessage = `InvalidBatch : Field name not found : ${missing}`;
      job.unprocessed = job.rows;
      return;
    }
    const limit = this.faults.failAfterRows ?? Number.POSITIVE_INFINITY;
    job.rows.forEach((row, index) => {
      if (index >= limit) {
        job.unprocessed.push(row);
        return;
      }
      const record = Object.fromEntries(header.map((name, column) => [name, row[column] ?? '']));
      const outcome = this.apply(job, { ...context, journal: new Journal(), source: 'csv' }, record);
      if (outcome.success) job.successful.push({ id: outcome.id, created: outcome.created, row });
      else job.failed.push({ id: outcome.id ?? '', error: outcome.errors.map((error) => `${error.statusCode}:${error.message}:${error.fields.join(',')} --`).join(' '), row });
    });
    job.state = job.unprocessed.length > 0 ? 'Failed' : 'JobComplete';
    if (job.state === 'Failed') job.errorMessage = 'InternalServerError : Batch failed after 20 retries';
  }

  private apply(job: IngestJob, context: WriteContext, record: Record<string, string>): WriteOutcome {
    const { Id: id = '', ...fields } = record;
    switch (job.operation) {
      case 'upsert':
        return upsertRecord(context, job.object, job.externalIdFieldName ?? '', fields);
      case 'insert':
        return insertRecord(context, job.object, fields);
      case 'update':
        return updateRecordById(context, job.object, id, fields);
      default:
        return deleteRecordById(context, id);
    }
  }

  private info(job: IngestJob): Record<string, unknown> {
    const created = new Date(job.createdAt).toISOString().replace('Z', '+0000');
    return {
      id: job.id,
      operation: job.operation,
      object: job.object,
      createdById: '0055g00000SIMUSR',
      createdDate: created,
      systemModstamp: created,
      state: job.state,
      ...(job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}),
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: job.apiVersion,
      jobType: 'V2Ingest',
      lineEnding: job.lineEnding,
      columnDelimiter: 'COMMA',
      numberRecordsProcessed: job.successful.length + job.failed.length,
      numberRecordsFailed: job.failed.length,
      retries: 0,
      ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
    };
  }
}

function notFound(): SimResponse {
  return salesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
}

function quote(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}
