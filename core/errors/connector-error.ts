/**
 * One error taxonomy for every connector, decided where the error is built
 * (DESIGN.md "Errors"): `config` is never retried, `retryable` may carry the
 * vendor's hint, `permanent` means this record will never be accepted.
 */
export type FailureKind = 'config' | 'retryable' | 'permanent';

export interface ConnectorErrorDetails {
  /** Milliseconds the vendor asked us to wait (Retry-After or its own hint). */
  retryAfterMs?: number;
  /** The vendor rate-limited this call (429, Marketo 606/615 …): the wait does not use up the retry budget. */
  throttled?: boolean;
  /** The connector that built the error, e.g. `source:segment-files`. */
  connector?: string;
  cause?: unknown;
}

export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  constructor(
    readonly kind: FailureKind,
    /** Stable machine code: `<connector>.<reason>`, e.g. `csv.column_missing`. */
    readonly code: `${string}.${string}`,
    /** User-facing: says what happened, where, and what to do. */
    message: string,
    readonly details: ConnectorErrorDetails = {},
  ) {
    super(message, { cause: details.cause });
  }

  get isRetryable(): boolean {
    return this.kind === 'retryable';
  }
}

export function kindFromStatus(status: number): FailureKind {
  if (status === 401 || status === 403) return 'config';
  if (status === 408 || status === 429 || status >= 500) return 'retryable';
  return 'permanent';
}
