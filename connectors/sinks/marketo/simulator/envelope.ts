import type { SimResponse } from '../../../../core/sync/simulation/index.js';

/**
 * Marketo's response envelope (vendor-facts.md §3 "Envelope"): every answer,
 * errors included, is HTTP 200 with `success` saying what happened and
 * `code` as a quoted string.
 */
export type RequestIds = () => string;

/** requestIds look like Marketo's `e42b#14272d07d78`: a counter and a clock, in hex. */
export function createRequestIds(now: () => number): RequestIds {
  let counter = 0x1000;
  return () => {
    counter += 1;
    return `${counter.toString(16)}#${Math.floor(now()).toString(16)}`;
  };
}

export interface Reason {
  code: string;
  message: string;
}

export function success(requestId: string, result: unknown[], extra: { moreResult?: boolean; nextPageToken?: string } = {}): SimResponse {
  return { status: 200, body: { requestId, result, success: true, ...extra } };
}

export function failure(requestId: string, code: string, message: string): SimResponse {
  return { status: 200, body: { requestId, success: false, errors: [{ code, message }] } };
}

/** A request-level error raised inside a route handler; the router turns it into `failure(...)`. */
export class MarketoRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The documented cap of most batch endpoints (leads, delete, list membership). */
export const MAX_BATCH = 300;

export function assertBatchSize(count: number, what: string): void {
  // vendor-facts.md does not name the code for an over-cap batch; Marketo uses 1003 for invalid parameter values.
  if (count > MAX_BATCH) throw new MarketoRequestError('1003', `Invalid value: ${what} has ${count} entries; at most ${MAX_BATCH} are allowed`);
}

/** Opaque paging tokens: the offset of the next page. */
export function pageToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

export function pageOffset(token: string | null): number {
  if (!token) return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw new MarketoRequestError('1003', 'Invalid value for nextPageToken');
  return Number(match[1]);
}

export function batchSizeOf(raw: string | null): number {
  if (raw === null) return MAX_BATCH;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > MAX_BATCH) throw new MarketoRequestError('1003', `Invalid value for batchSize: must be 1..${MAX_BATCH}`);
  return size;
}
