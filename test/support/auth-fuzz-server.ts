import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { formatIssue } from '../../core/config/config-issue.js';
import { openWorkspace, type Workspace } from '../../core/runtime/index.js';
import { createConnectors } from '../../connectors/wiring.js';
import { loadMapping } from '../../cli/commands/validate.js';
import { startServer, type RunningServer } from '../../cli/serve/serve-app.js';
import { writeMapping } from './run-mapping.js';

/**
 * `segflow serve` with every endpoint on: a segment-api source (write key,
 * webhook secret), a mixpanel cohort webhook, the profile API (its key read
 * from a 0600 secret file) and admin keys; the rate limits run on a clock the
 * test steps. Keys mix upper and lower case, so a case flip is a different key.
 */
export const KEYS = {
  write: 'wk_Fuzz_Write_0123abcXYZ',
  webhook: 'whsec_Fuzz_Signing_9876qrsTUV',
  cohortPassword: 'Hook_Pass_Fuzz_4567lmnOPQ',
  profile: 'pk_Fuzz_Profile_2468defGHI',
  admin: 'ak_Fuzz_Admin_1357jklMNO',
} as const;
export const COHORT_USER = 'segflow';
export const T0 = Date.parse('2026-11-30T12:00:00Z');
/** What a profile answer or the /healthz details would contain; no refusal may carry any of it. */
export const CANARY_EMAIL = 'ana.canary@example.com';

export interface FuzzServer {
  server: RunningServer;
  workspace: Workspace;
  logs: string[];
  clock: { ms: number };
  count(sql?: string): Promise<number>;
  close(): Promise<void>;
}

export interface FuzzServerOptions {
  exportUrl: string;
  rateLimits?: string;
  /** Extra lines under `serve:`, indented. */
  serveExtra?: string;
  host?: string;
  admin?: boolean;
}

export function fuzzMapping(directory: string, options: FuzzServerOptions): string {
  const keyFile = join(directory, 'profile-key');
  writeFileSync(keyFile, `${KEYS.profile}\n`);
  chmodSync(keyFile, 0o600);
  return `version: 1
name: fuzz
sources:
  - id: web
    type: segment-api
    write_keys: ['\${env:FUZZ_WRITE_KEY}']
    webhook_secret: '\${env:FUZZ_WEBHOOK_SECRET}'
  - id: mp
    type: mixpanel
    project_id: 4242
    service_account: { username: '\${env:MP_USER}', secret: '\${env:MP_SECRET}' }
    from_date: "2026-11-28"
    base_url: ${options.exportUrl}
    cohort_webhook: { username: ${COHORT_USER}, password: '\${env:FUZZ_COHORT_PASSWORD}' }
features:
  include: [frequency]
segments:
  - id: all
    model: rules
    name: Everyone
    rule: frequency >= 0
schedule:
  jobs:
    - { id: hourly, cron: "0 * * * *", job: run }
serve:
${options.admin === false ? '' : "  admin_api_keys: ['${env:FUZZ_ADMIN_KEY}']\n"}  profile_api:
    api_keys: ['\${file:${keyFile}}']
    features: [frequency]
${options.rateLimits ? `  rate_limits: ${options.rateLimits}\n` : ''}${options.serveExtra ?? ''}`;
}

export const FUZZ_ENV = {
  ...process.env, SEGFLOW_STATE: '', MP_USER: 'sa', MP_SECRET: 'export-secret',
  FUZZ_WRITE_KEY: KEYS.write, FUZZ_WEBHOOK_SECRET: KEYS.webhook, FUZZ_COHORT_PASSWORD: KEYS.cohortPassword, FUZZ_ADMIN_KEY: KEYS.admin,
};

export async function openFuzzWorkspace(directory: string, options: FuzzServerOptions): Promise<Workspace> {
  const loaded = loadMapping(writeMapping(directory, fuzzMapping(directory, options)));
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  return openWorkspace({ mapping: loaded.mapping, mappingFile: `${directory}/mapping.yaml`, connectors: createConnectors(), env: FUZZ_ENV, stateDir: `${directory}/state`, now: () => T0 });
}

export async function startFuzzServer(directory: string, options: FuzzServerOptions): Promise<FuzzServer> {
  const workspace = await openFuzzWorkspace(directory, options);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const clock = { ms: 0 };
  let server: RunningServer;
  try {
    server = await startServer(workspace, { host: options.host ?? '127.0.0.1', port: 0, loadIntervalMs: 60_000, logger: pino(sink), scheduleTimers: false, rateLimitClock: () => clock.ms });
  } catch (error) {
    await workspace.close();
    throw error;
  }
  return {
    server, workspace, logs, clock,
    async count(sql = 'SELECT count(*) FROM events') {
      await server.loader.loadNow();
      const reader = await (await workspace.events()).connection.runAndReadAll(sql);
      return Number(reader.getRows()[0]?.[0] ?? 0);
    },
    async close() {
      try {
        await server.close();
      } finally {
        await workspace.close();
      }
    },
  };
}

export function basicHeader(user: string, password = ''): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export function cohortBody(cohortId: string, members: string[]): Record<string, unknown> {
  return {
    action: 'members',
    parameters: { mixpanel_project_id: '4242', mixpanel_cohort_id: cohortId, mixpanel_cohort_name: 'Fuzz', members: members.map((name) => ({ mixpanel_distinct_id: name, email: `${name}@example.com` })) },
  };
}
