import type { Rng } from '../../../../core/random/rng.js';
import type { SimResponse } from '../../../../core/sync/simulation/index.js';

/**
 * HubSpot's error envelopes, as the v3 specs and the usage-guidelines page
 * show them (vendor-facts.md 1.1, 1.2). Correlation ids come from the seeded
 * generator so a failing test replays byte for byte.
 */
export interface ErrorDetail {
  message: string;
  code?: string;
  in?: string;
  context?: Record<string, string[]>;
}

/** The top-level `Error` schema; HubSpot adds `status: "error"`. */
export interface HubSpotErrorBody {
  status: 'error';
  message: string;
  correlationId: string;
  category: string;
  subCategory?: string;
  errors?: ErrorDetail[];
  context?: Record<string, string[]>;
  links?: Record<string, string>;
}

/** One entry of a 207 response's `errors[]` (the spec's `StandardError`). */
export interface StandardError {
  status: 'error';
  category: string;
  message: string;
  errors: ErrorDetail[];
  context: Record<string, string[]>;
  links: Record<string, string>;
  subCategory?: string;
}

export class ErrorBodies {
  constructor(private readonly rng: Rng) {}

  correlationId(): string {
    let hex = '';
    for (let part = 0; part < 4; part += 1) hex += this.rng.uint32().toString(16).padStart(8, '0');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  }

  respond(status: number, category: string, message: string, extra: Partial<Omit<HubSpotErrorBody, 'status' | 'category' | 'message' | 'correlationId'>> = {}): SimResponse {
    const body: HubSpotErrorBody = { status: 'error', message, correlationId: this.correlationId(), category, ...extra };
    return { status, body };
  }

  /** HubSpot's 400 for a body the endpoint cannot use. */
  validation(message: string, context?: Record<string, string[]>): SimResponse {
    return this.respond(400, 'VALIDATION_ERROR', message, context ? { context } : {});
  }

  notFound(message: string, subCategory?: string): SimResponse {
    return this.respond(404, 'OBJECT_NOT_FOUND', message, subCategory ? { subCategory } : {});
  }

  /** 429 bodies: `policyName` is what the SDK's RetryDecorator and our client look at. */
  rateLimited(policy: 'TEN_SECONDLY_ROLLING' | 'DAILY'): SimResponse {
    const message = policy === 'DAILY' ? 'You have reached your daily limit.' : 'You have reached your ten_secondly_rolling limit.';
    return {
      status: 429,
      body: { status: 'error', message, errorType: 'RATE_LIMIT', correlationId: this.correlationId(), policyName: policy, requestId: this.correlationId() },
    };
  }
}

/** Builds one `errors[]` entry of a multi-status response for the input with `ids` / `objectWriteTraceId`. */
export function recordError(
  category: string,
  message: string,
  details: ErrorDetail[],
  input: { id?: string; objectWriteTraceId?: string | undefined },
): StandardError {
  const context: Record<string, string[]> = {};
  if (input.id !== undefined) context['ids'] = [input.id];
  if (input.objectWriteTraceId !== undefined) context['objectWriteTraceId'] = [input.objectWriteTraceId];
  return { status: 'error', category, message, errors: details, context, links: {} };
}
