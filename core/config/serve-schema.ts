import { Cron } from 'croner';
import { z } from 'zod';
import { SECRET_REFERENCE } from './secrets.js';

/**
 * The sections only `segflow serve` reads: `schedule:` (cron jobs) and
 * `serve:` (the profile API). Input schemas only, as in mapping-schema.ts;
 * the cron and time-zone checks are refinements (no transforms), so the
 * JSON Schema stays exact and a bad pattern is reported at its line like
 * any other mapping problem.
 */
const JOB_KINDS = ['run', 'sync'] as const;

/** Five fields, as in crontab: a full run per second or per year is not a schedule anyone means. */
export const CRON_MODE = '5-part' as const;

/** Croner's own message for a pattern it refuses, or undefined when it parses. */
export function cronPatternProblem(pattern: string, timezone?: string): string | undefined {
  try {
    new Cron(pattern, { paused: true, mode: CRON_MODE, ...(timezone ? { timezone } : {}) });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const ScheduledJob = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9_-]*$/, { message: 'expected a lowercase id (letters, digits, _ or -), starting with a letter' }),
    cron: z
      .string()
      .refine((pattern) => cronPatternProblem(pattern) === undefined, { message: 'expected a 5-field cron expression like "0 * * * *" (minute hour day-of-month month day-of-week)' })
      .describe('When to run, in the schedule\'s time zone: minute hour day-of-month month day-of-week, e.g. "0 3 * * 1" is Monday 03:00.'),
    job: z.enum(JOB_KINDS).describe('run: ingest → identity → features → segments (→ analyses, sync), as `segflow run`; sync: as `segflow sync`.'),
  })
  .describe('One scheduled job; it never overlaps itself, also across processes sharing the state.');

export const ScheduleSection = z
  .strictObject({
    timezone: z
      .string()
      .refine(isTimeZone, { message: 'expected an IANA time zone like "Europe/Berlin" or "UTC"' })
      .default('UTC')
      .describe('Time zone the cron expressions are read in (DST handled by croner). @default UTC'),
    missed: z
      .enum(['skip', 'run_once'])
      .default('skip')
      .describe('Runs that came due while the server was down: skip logs them and waits for the next slot; run_once runs one catch-up on start. @default skip'),
    jobs: z.array(ScheduledJob).min(1),
  })
  .describe('Jobs `segflow serve` runs on a cron schedule, in its work queue (one DuckDB writer).');

const ConsentList = z.array(z.string().min(1)).default([]);

const ServedFeature = z
  .strictObject({
    name: z.string().min(1).describe('The feature, as in the features table.'),
    consent: ConsentList.describe('Categories that must all be granted for this feature to be in an answer; without them the answer leaves it out (and lists it under `withheld`). @default []'),
  })
  .describe('A served feature with its own consent categories.');

const ApiKey = z.string().regex(SECRET_REFERENCE, { message: 'expected ${env:NAME} or ${file:/path}: an API key is a secret, so it comes from the environment or a secret file' });

/** Defaults of `serve.rate_limits`; the ingest one is Segment's own per-workspace ceiling (vendor-facts §6). */
export const DEFAULT_RATE_LIMITS = { ingest_per_second: 1000, profile_per_second: 100, failed_auth_per_minute: 30 } as const;

const RateLimits = z
  .strictObject({
    ingest_per_second: z.number().positive().default(DEFAULT_RATE_LIMITS.ingest_per_second)
      .describe('Requests per second one write key (or webhook secret, or cohort webhook login) may send; bursts of twice that pass. Beyond: 429 with Retry-After. @default 1000'),
    profile_per_second: z.number().positive().default(DEFAULT_RATE_LIMITS.profile_per_second)
      .describe('Profile API requests per second per API key; bursts of twice that pass. @default 100'),
    failed_auth_per_minute: z.number().positive().default(DEFAULT_RATE_LIMITS.failed_auth_per_minute)
      .describe('Refused credentials per minute per client address before further wrong ones get 429 instead of 401 (valid keys are never held back). @default 30'),
  })
  .describe('Per-key request budgets and the failed-login budget per client address.');

export const ServeSection = z
  .strictObject({
    profile_api: z
      .strictObject({
        api_keys: z.array(ApiKey).min(1).describe('Keys callers send as `Authorization: Bearer <key>` (or `X-API-Key`); several, to rotate.'),
        features: z
          .array(z.union([z.string().min(1), ServedFeature]))
          .default([])
          .describe('The only features a profile response carries (by name, as in the features table), each a name or {name, consent}. @default []'),
        segments: z
          .strictObject({ consent: ConsentList.describe('Categories that must all be granted for the segments list to be served. @default []') })
          .optional()
          .describe('Consent for the segments list; without it the list follows only consent_categories.'),
        consent_categories: ConsentList.describe('Consent categories (Segment categoryPreferences) that must all be true for anything of a profile to be served; a profile without consent data is not filtered unless privacy.consent.required. @default []'),
        email_trait: z.string().min(1).default('email').describe('The identify trait whose SHA-256 (trimmed, lowercased) answers `email_sha256:<hex>` ids. @default email'),
      })
      .optional()
      .describe('GET /v1/profiles/:id → segments and the listed features, from the last run.'),
    admin_api_keys: z
      .array(ApiKey)
      .min(1)
      .optional()
      .describe('Keys (Authorization: Bearer) for /metrics and the /healthz details. Without them both are served only on a loopback listener, and `segflow serve --host` on another address refuses to start.'),
    rate_limits: RateLimits.optional().describe('Per-key rate limits; every field has a default.'),
    trust_proxy: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Addresses or CIDR ranges of the reverse proxies in front of the server (e.g. ["127.0.0.1"]): their X-Forwarded-For names the client, so the failed-auth budget is per client, not per proxy. Only list proxies you run: anyone else could claim any address. @default none (the peer address counts)'),
  })
  .describe('Settings for `segflow serve` beyond its sources.');

export type ScheduleConfig = z.infer<typeof ScheduleSection>;
export type ScheduledJobConfig = z.infer<typeof ScheduledJob>;
export type ServeConfig = z.infer<typeof ServeSection>;
export type RateLimitsConfig = z.infer<typeof RateLimits>;
export type ProfileApiConfig = NonNullable<ServeConfig['profile_api']>;
export type ServedFeatureConfig = ProfileApiConfig['features'][number];
