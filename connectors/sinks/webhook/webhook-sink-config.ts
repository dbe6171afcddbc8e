import { z } from 'zod';
import { Duration, DURATION_PATTERN, durationMs } from '../../../core/config/durations.js';
import { resolveSecret, SECRET_REFERENCE } from '../../../core/config/secrets.js';
import { ConnectorError } from '../../../core/errors/connector-error.js';

/**
 * The `type: webhook` sink section: trigger actions POSTed as signed JSON to
 * an endpoint the user runs (README.md has the receiver's side). No record
 * sync: the section's `properties` and `lists` must stay empty; what a POST
 * carries is chosen by each trigger action's payload.
 */
const CONNECTOR = 'sink:webhook';
/** Hosts where plain http is allowed: the machine itself (tests, `segflow sandbox`). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Headers segflow sets itself; a mapping overriding them would break signing or deduplication. */
const RESERVED_HEADERS = /^(content-type|content-length|host|idempotency-key|user-agent|x-segflow-.*)$/i;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
export const MAX_WEBHOOK_BATCH = 100;
const MAX_TIMEOUT_MS = 60_000;

/** Why a URL cannot be used, or undefined when it can. The message never repeats a query string (it may hold a token). */
export function webhookUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'expected an absolute https:// URL, e.g. https://hooks.example.com/segflow';
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return `expected an https:// URL, got ${url.protocol}//${url.host}: actions carry profile data and a signature, so they travel over TLS; plain http is allowed only for http://127.0.0.1 or http://localhost (tests and the sandbox)`;
  }
  if (url.username !== '' || url.password !== '') return 'the URL holds credentials; remove them and send them as a header (headers: { Authorization: ${env:NAME} })';
  return undefined;
}

const WebhookUrl = z
  .string()
  .superRefine((text, context) => {
    const problem = webhookUrlProblem(text);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  })
  .describe('The endpoint actions are POSTed to. https:// only; http:// only for 127.0.0.1 or localhost (tests, sandbox).');

const ExtraHeaders = z
  .record(z.string(), z.string())
  .superRefine((headers, context) => {
    for (const name of Object.keys(headers)) {
      if (!HEADER_NAME.test(name)) context.addIssue({ code: 'custom', path: [name], message: `"${name}" is not a valid HTTP header name` });
      else if (RESERVED_HEADERS.test(name)) context.addIssue({ code: 'custom', path: [name], message: `"${name}" is set by segflow (signing, idempotency); remove it from headers` });
    }
  })
  .describe('Extra request headers, e.g. { Authorization: ${env:HOOK_TOKEN} }; a value may be ${env:NAME}.');

const Timeout = Duration.refine((text) => {
  // The pattern's own issue covers a malformed value; zod runs this check anyway.
  if (!DURATION_PATTERN.test(text)) return true;
  const ms = durationMs(text);
  return ms >= 1_000 && ms <= MAX_TIMEOUT_MS;
}, 'expected between 1s and 60s').describe('How long one POST may take before it is retried. @default 5s (what Segment allows a webhook)');

export const WebhookSinkSchema = z
  .strictObject({
    type: z.literal('webhook'),
    url: WebhookUrl,
    secret: z
      .string()
      .regex(SECRET_REFERENCE, { message: 'expected ${env:NAME}: the signing secret comes from the environment' })
      .describe('Shared secret for the X-Segflow-Signature HMAC-SHA256, as ${env:NAME}.'),
    headers: ExtraHeaders.optional(),
    timeout: Timeout.optional(),
    max_batch: z
      .number()
      .int()
      .min(1)
      .max(MAX_WEBHOOK_BATCH, { message: `expected at most ${MAX_WEBHOOK_BATCH} actions per POST` })
      .optional()
      .describe('Actions per POST: 1 sends one JSON object per action; more sends a JSON array. @default 1'),
    concurrency: z.number().int().min(1).max(32).optional().describe('POSTs in flight at once. @default 4'),
  })
  .describe('Webhook: trigger actions POSTed as signed JSON (webhook:post) to an endpoint you run.');

export type WebhookSinkConfig = z.infer<typeof WebhookSinkSchema>;

/** The config as the sink uses it: secrets resolved, defaults applied. */
export interface ResolvedWebhookConfig {
  url: string;
  secret: string;
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  maxBatch: number;
  concurrency: number;
}

/**
 * By the time a sink is created, the engine has resolved `${env:…}` (or a
 * sandbox supplied its secret), so here the secret is any non-empty string;
 * a reference still unresolved is looked up in `env`.
 */
const RuntimeSchema = WebhookSinkSchema.extend({ secret: z.string().min(1, { message: 'the signing secret is empty' }) }).loose();

export function resolveWebhookConfig(raw: unknown, env: NodeJS.ProcessEnv = process.env): ResolvedWebhookConfig {
  const parsed = RuntimeSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw invalid(`Webhook sink configuration is invalid: ${problems.join('; ')}.`);
  }
  const config = parsed.data;
  const section = raw as { id?: unknown; properties?: unknown; lists?: unknown };
  const where = `sinks.${typeof section.id === 'string' ? section.id : 'webhook'}`;
  if (hasEntries(section.properties) || hasEntries(section.lists)) {
    throw invalid(`${where}: a webhook sink only delivers trigger actions; remove properties and lists (a trigger action's payload chooses what each POST carries).`);
  }
  const resolve = (value: string, key: string): string => {
    try {
      return resolveSecret(value, env, `${where}.${key}`);
    } catch (error) {
      throw new ConnectorError('config', 'webhook.secret_missing', (error as Error).message, { connector: CONNECTOR });
    }
  };
  return {
    url: config.url,
    secret: resolve(config.secret, 'secret'),
    headers: Object.fromEntries(Object.entries(config.headers ?? {}).map(([name, value]) => [name, resolve(value, `headers.${name}`)])),
    timeoutMs: durationMs(config.timeout ?? '5s'),
    maxBatch: config.max_batch ?? 1,
    concurrency: config.concurrency ?? 4,
  };
}

function hasEntries(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}

function invalid(message: string): ConnectorError {
  return new ConnectorError('config', 'webhook.config_invalid', message, { connector: CONNECTOR });
}

/** The secret the sandbox receiver checks; a sandbox run never needs a real one. */
export const SANDBOX_WEBHOOK_SECRET = 'segflow-sandbox-webhook-secret';

/** The vendor fields that point the sink at a running receiver (`segflow sandbox`, tests). */
export function webhookSandboxConfig(url: string, secret = SANDBOX_WEBHOOK_SECRET): { url: string; secret: string } {
  return { url, secret };
}
