import type { LoggerOptions } from 'pino';
import { maskPii, maskPiiDeep } from '../../core/privacy/mask-pii.js';

/**
 * What `segflow serve` logs must never hold: credentials (write keys arrive
 * as HTTP Basic, webhook signatures, API keys, cookies), request bodies and
 * query strings (events and the people in them), or PII quoted in a
 * message ("refused event from ann@x.com"). Two layers, because either alone
 * leaks: pino's `redact` removes the fields by path whatever they hold, and
 * a formatter masks by pattern every string left (messages, error texts,
 * URLs) with core/privacy/mask-pii.ts.
 */
const HEADER_NAMES = ['authorization', 'cookie', 'set-cookie', 'x-signature', 'x-api-key', 'x-segment-signature', 'x-mixpanel-signature', 'proxy-authorization'];
const HOLDERS = ['req', 'request', 'res', 'reply', 'response'];

/** Field paths removed from every log line (one level of nesting under the usual request/response holders, and at the top). */
export const REDACTED_PATHS: readonly string[] = [
  ...HEADER_NAMES.flatMap((name) => [`headers["${name}"]`, ...HOLDERS.map((holder) => `${holder}.headers["${name}"]`)]),
  ...['body', 'query', 'params', 'writeKey', 'password', 'token', 'apiKey'].flatMap((field) => [field, ...HOLDERS.map((holder) => `${holder}.${field}`)]),
];

export const REDACTED = '[redacted]';

/** Pino options for the server's logger: spread them into `pino({ ...serveLogRedaction, base: … })`. */
export const serveLogRedaction = {
  redact: { paths: [...REDACTED_PATHS], censor: REDACTED },
  formatters: {
    log: (object: Record<string, unknown>) => maskPiiDeep(Object.fromEntries(Object.entries(object).map(([key, value]) => [key, value instanceof Error ? plainError(value) : value]))),
  },
  hooks: {
    // The message string (and printf-style arguments) never reach `formatters.log`.
    logMethod(this: unknown, inputArgs: unknown[], method: (...args: unknown[]) => void) {
      method.apply(this, inputArgs.map((argument) => (typeof argument === 'string' ? maskPii(argument) : argument)));
    },
  },
} satisfies LoggerOptions;

/** An Error's own text is a message too (vendors and parsers quote input in it); pino's err serializer accepts the plain shape. */
function plainError(error: Error): Record<string, unknown> {
  return { type: error.name, message: error.message, ...(error.stack !== undefined ? { stack: error.stack } : {}), ...('code' in error ? { code: (error as { code: unknown }).code } : {}) };
}
