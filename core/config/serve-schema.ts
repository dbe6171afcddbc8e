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

const ApiKey = z.string().regex(SECRET_REFERENCE, { message: 'expected ${env:NAME}: an API key is a secret, so it comes from the environment' });

export const ServeSection = z
  .strictObject({
    profile_api: z
      .strictObject({
        api_keys: z.array(ApiKey).min(1).describe('Keys callers send as `Authorization: Bearer <key>` (or `X-API-Key`); several, to rotate.'),
        features: z.array(z.string().min(1)).default([]).describe('The only features a profile response carries (by name, as in the features table). @default []'),
        consent_categories: z
          .array(z.string().min(1))
          .default([])
          .describe('Consent categories (Segment categoryPreferences) that must all be true for a profile\'s segments and features to be served; a profile without consent data is not filtered. @default []'),
        email_trait: z.string().min(1).default('email').describe('The identify trait whose SHA-256 (trimmed, lowercased) answers `email_sha256:<hex>` ids. @default email'),
      })
      .optional()
      .describe('GET /v1/profiles/:id → segments and the listed features, from the last run.'),
  })
  .describe('Settings for `segflow serve` beyond its sources.');

export type ScheduleConfig = z.infer<typeof ScheduleSection>;
export type ScheduledJobConfig = z.infer<typeof ScheduledJob>;
export type ServeConfig = z.infer<typeof ServeSection>;
export type ProfileApiConfig = NonNullable<ServeConfig['profile_api']>;
