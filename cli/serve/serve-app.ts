import { createSecretKey } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { resolveSecret } from '../../core/config/secrets.js';
import { digestSecret } from '../../core/config/secret-digest.js';
import { openSpoolWriter, type SpoolWriter } from '../../core/ingest/spool/spool-writer.js';
import { spoolBacklogBytes, parseSpoolCursor } from '../../core/ingest/spool/spool-reader.js';
import type { Workspace } from '../../core/runtime/index.js';
import { registerSegmentApiRoutes, spoolDirectory, type SegmentApiSourceConfig } from '../../connectors/sources/segment-api/index.js';
import type { SegmentApiEndpoint } from '../../connectors/sources/segment-api/tracking-api-routes.js';
import { basicCredentialDigest, cohortJournalId, registerMixpanelCohortRoutes, type CohortEndpoint, type MixpanelSourceConfig } from '../../connectors/sources/mixpanel/index.js';
import { startIngestLoader, type IngestLoader } from './ingest-loader.js';
import { createWorkQueue } from './work-queue.js';
import { acceptErasureRequests } from '../../core/runtime/requested-erasures-job.js';
import { createServeMetrics } from './serve-metrics.js';
import { startScheduler, type Scheduler } from './scheduler.js';
import { startProfileService, type ProfileService } from './profile-service.js';
import { registerProfileRoutes } from './profile-routes.js';
import { startTriggerLoop, type TriggerLoop } from './trigger-loop.js';
import { createKeyRing } from './api-key-auth.js';
import { createAuthGate, type AuthGate } from './auth-gate.js';
import { loginAudit } from '../../core/audit/index.js';
import { adminAccess, registerAdminRoutes } from './admin-auth.js';
import { serveLogRedaction } from './log-redaction.js';
import { registerDashboardRoutes } from './dashboard-routes.js';
import { ingestBudgets } from './ingest-login-audit.js';
import { liveAlerts, liveCounters } from './live-counters.js';
import { basicPassword, presentedKey } from './api-key-auth.js';

export interface ServeOptions {
  host: string;
  port: number;
  /** How often accepted events are moved into the event store. @default 500 ms */
  loadIntervalMs?: number;
  /** 429 once this many journal bytes wait for the loader. @default 1 GiB */
  maxBacklogBytes?: number;
  /** 429 once this many bytes wait for an fsync. @default 64 MiB */
  maxPendingBytes?: number;
  logger?: Logger;
  /** Start the `schedule:` section's cron timers and the triggers' tick; tests leave them off and call `scheduler.fire` / `triggers.step`. @default true */
  scheduleTimers?: boolean;
  /** How often stored events go through the triggers and the outbox is drained. @default 1000 ms */
  triggerTickMs?: number;
  /** Monotonic milliseconds for the rate limits (tests step it). @default performance.now */
  rateLimitClock?: () => number;
}

export interface RunningServer {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly loader: IngestLoader;
  /** The mapping's `schedule:`, when it has one. */
  readonly scheduler: Scheduler | undefined;
  /** The profile API's snapshot, when the mapping has `serve.profile_api`. */
  readonly profiles: ProfileService | undefined;
  /** The mapping's `triggers:`, when it has rules. */
  readonly triggers: TriggerLoop | undefined;
  /** Stops accepting, answers what is in flight, loads the journals, closes the workspace's writers. */
  close(): Promise<void>;
}

/**
 * `segflow serve`: one long-lived process that owns the workspace. Today it
 * serves the Segment-compatible ingest API and webhook receiver for every
 * `segment-api` source, and loads what they accept into the event store;
 * runs the mapping's `schedule:` (scheduler.ts), answers the profile API
 * from the last run (profile-routes.ts) and `/metrics` (serve-metrics.ts),
 * all taking turns in one work queue.
 * Logs are pino JSON without request bodies, addresses or query strings (no
 * PII); write keys never reach a log.
 */
export async function startServer(workspace: Workspace, options: ServeOptions): Promise<RunningServer> {
  const logger = options.logger ?? pino({ ...serveLogRedaction, base: { mapping: workspace.name } });
  // Before anything opens: a server that would expose /metrics unauthenticated does not start.
  const adminKeys = (workspace.mapping.serve?.admin_api_keys ?? []).map((key, index) => digestSecret(resolveSecret(key, workspace.env, `serve.admin_api_keys[${index}]`)));
  const access = adminAccess(adminKeys.length > 0, options.host);
  const configs = workspace.mapping.sources.filter((source) => source.type === 'segment-api') as unknown as SegmentApiSourceConfig[];
  // Open the event store now: the server owns it while it runs (a CLI run gets a clear "in use" message).
  const store = await workspace.events();
  // One DuckDB thread while serving: loads then leave a core to the HTTP loop (with two, a load
  // starved it and the API's p99 followed the loads). Measured in bench/ingest-api.
  await store.connection.run(`SET threads = ${Number(process.env.SEGFLOW_SERVE_DUCKDB_THREADS ?? 1)}`);
  const writers = new Map<string, SpoolWriter>();
  const backlog = new Map<string, number>();
  const endpoints: SegmentApiEndpoint[] = [];
  const cohortSources = (workspace.mapping.sources.filter((source) => source.type === 'mixpanel') as unknown as MixpanelSourceConfig[]).filter((config) => config.cohort_webhook !== undefined);
  const cohortEndpoints: CohortEndpoint[] = [];
  const maxBacklog = options.maxBacklogBytes ?? 1024 ** 3;
  const maxPending = options.maxPendingBytes ?? 64 * 1024 ** 2;
  const profileApi = workspace.mapping.serve?.profile_api;
  // Resolved before anything starts: an unset variable stops the server with its name, before a job runs.
  // Keys are hashed as they are resolved: only digests live on in the server.
  const profileKeys = (profileApi?.api_keys ?? []).map((key, index) => digestSecret(resolveSecret(key, workspace.env, `serve.profile_api.api_keys[${index}]`)));
  const ring = createKeyRing([...profileKeys.map((digest) => ({ digest, scope: 'profile' as const })), ...adminKeys.map((digest) => ({ digest, scope: 'admin' as const }))]);
  const plainGate = createAuthGate({ ring, limits: workspace.mapping.serve?.rate_limits, now: options.rateLimitClock ?? (() => performance.now()) });
  // Every Bearer login (profile API, /metrics) goes to the audit trail: a key's first acceptance each hour at once, the rest folded per minute.
  const logins = loginAudit(workspace, { now: workspace.now });
  const gate: AuthGate = {
    ...plainGate,
    bearer(request, scope) {
      const verdict = plainGate.bearer(request, scope);
      const presented = presentedKey(request.headers);
      void logins.note({
        ...(presented === undefined ? {} : { credential: presented }), endpoint: scope, outcome: verdict.ok ? 'accepted' : 'refused',
        ...(verdict.ok ? { scope } : { reason: verdict.status === 403 ? 'wrong scope' : verdict.status === 429 ? 'rate limited' : presented === undefined ? 'missing' : 'unknown key' }),
        knownKey: verdict.ok || verdict.status === 403,
      }).catch((error: unknown) => logger.warn({ error: (error as Error).message }, 'audit entry for an API login failed'));
      return verdict;
    },
  };
  const loginFlush = setInterval(() => void logins.flush().catch(() => undefined), 60_000);
  loginFlush.unref();
  try {
    for (const config of configs) {
      const writer = await openSpoolWriter(spoolDirectory(workspace.stateDir, config.id));
      writers.set(config.id, writer);
      endpoints.push({
        sourceId: config.id,
        writeKeys: config.write_keys.map((key, index) => digestSecret(resolveSecret(key, workspace.env, `sources.${config.id}.write_keys[${index}]`))),
        ...(config.webhook_secret ? { webhookSecret: createSecretKey(Buffer.from(resolveSecret(config.webhook_secret, workspace.env, `sources.${config.id}.webhook_secret`), 'utf8')) } : {}),
        append: (lines) => writer.append(lines),
        saturated: () => writer.pendingBytes > maxPending || (backlog.get(config.id) ?? 0) > maxBacklog,
        // Segment's delete messages: suppressed at once, erased by the next run or `forget --resume`.
        requestErasure: async (deletions) => {
          await acceptErasureRequests(workspace, config.id, deletions);
        },
      });
    }
    for (const config of cohortSources) {
      const journal = cohortJournalId(config.id);
      const writer = await openSpoolWriter(spoolDirectory(workspace.stateDir, journal));
      writers.set(journal, writer);
      const auth = config.cohort_webhook!;
      cohortEndpoints.push({
        sourceId: config.id,
        auth: basicCredentialDigest(
          resolveSecret(auth.username, workspace.env, `sources.${config.id}.cohort_webhook.username`),
          resolveSecret(auth.password, workspace.env, `sources.${config.id}.cohort_webhook.password`),
        ),
        append: (lines) => writer.append(lines),
        loadState: (cohortKey) => workspace.state.meta.get(`mixpanel.cohort:${config.id}:${cohortKey}`),
        saveState: (cohortKey, state) => workspace.state.meta.set(`mixpanel.cohort:${config.id}:${cohortKey}`, state),
      });
    }
  } catch (error) {
    for (const writer of writers.values()) await writer.close();
    throw error;
  }
  const sources = workspace.connectors.sources(workspace.mapping).filter((entry) => writers.has(entry.id));
  const queue = createWorkQueue();
  const loader = startIngestLoader(workspace, sources, queue, {
    intervalMs: options.loadIntervalMs ?? Number(process.env.SEGFLOW_LOAD_INTERVAL_MS ?? 500),
    log: (message, fields) => logger.info(fields, message),
  });
  const refreshBacklog = async () => {
    for (const journal of writers.keys()) {
      const cursor = parseSpoolCursor((await store.progress(journal))?.cursor) ?? undefined;
      backlog.set(journal, spoolBacklogBytes(spoolDirectory(workspace.stateDir, journal), cursor));
    }
  };
  const backlogTimer = setInterval(() => void refreshBacklog().catch(() => undefined), 1000);
  const metrics = createServeMetrics({ loader: () => loader.totals, backlogBytes: () => backlog, now: workspace.now });
  const log = (level: 'info' | 'warn', message: string, fields: object) => logger[level](fields, message);
  const profiles = profileApi === undefined ? undefined : startProfileService(workspace, profileApi, {
    queue, log, onBuilt: (snapshot) => metrics.snapshotBuilt(snapshot.profiles, snapshot.builtAt),
  });
  let triggers: TriggerLoop | undefined;
  const schedule = workspace.mapping.schedule;
  const scheduler = schedule === undefined ? undefined : await startScheduler(workspace, schedule, {
    queue, log, timers: options.scheduleTimers ?? true, onOutcome: (outcome) => metrics.scheduledRun(outcome),
    afterRun: async (outcome) => {
      await profiles?.refresh(outcome.runId).catch((error: unknown) => log('warn', 'profile snapshot failed; serving the previous one', { error: (error as Error).message }));
      // Inside the run's work-queue turn: the run's segments go to the segment triggers before the next load.
      await triggers?.runtime.afterRun().catch((error: unknown) => log('warn', 'segment triggers failed after the run; the next run retries them', { error: (error as Error).message }));
    },
  });
  try {
    triggers = await startTriggerLoop(workspace, store, { queue, registry: metrics.registry, log, tickMs: options.triggerTickMs ?? 1000, timers: options.scheduleTimers ?? true });
  } catch (error) {
    clearInterval(backlogTimer);
    await scheduler?.stop();
    for (const writer of writers.values()) await writer.close();
    await loader.stop();
    throw error;
  }

  const app: FastifyInstance = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 4 * 1024 * 1024,
    // Behind the reverse proxies listed in serve.trust_proxy, X-Forwarded-For names the client (its failed-auth budget).
    ...(workspace.mapping.serve?.trust_proxy ? { trustProxy: workspace.mapping.serve.trust_proxy } : {}),
    // Segment's libraries keep connections open; the default 72 s keep-alive suits them.
  });
  app.addHook('onResponse', async (request, reply) => {
    // One line per refused request (never the body); successes are counted, not logged.
    if (reply.statusCode >= 400) request.log.info({ method: request.method, path: request.routeOptions.url ?? 'unmatched', status: reply.statusCode }, 'request refused');
  });
  let accepted = 0;
  const budgets = ingestBudgets(gate, logins, (error) => logger.warn({ error: error.message }, 'audit entry for an ingest login failed'));
  await registerSegmentApiRoutes(app, { endpoints, now: workspace.now, ...budgets, onAccepted: (source, events) => { accepted += events; metrics.eventsAccepted(source, events); } });
  if (cohortEndpoints.length > 0) await registerMixpanelCohortRoutes(app, { endpoints: cohortEndpoints, now: workspace.now, ...budgets });
  await registerAdminRoutes(app, {
    access, gate,
    metrics: async () => ({ contentType: metrics.registry.contentType, text: await metrics.registry.metrics() }),
    status: () => (loader.totals.lastError === null ? 'ok' : 'degraded'),
    details: () => ({
      accepted,
      loaded: loader.totals.loaded,
      backlogBytes: Object.fromEntries(backlog),
      ...(loader.totals.lastError ? { lastLoadError: loader.totals.lastError } : {}),
      ...(scheduler ? { nextRuns: scheduler.nextRuns() } : {}),
    }),
  });
  if (profileApi !== undefined && profiles !== undefined) {
    await registerProfileRoutes(app, { gate, snapshot: profiles.snapshot, onAnswer: (status) => metrics.profileRequest(status) });
  }
  const live = { workspace, accepted: () => accepted, loader, backlogBytes: () => backlog, triggers: () => triggers };
  await registerDashboardRoutes(app, {
    workspace, queue,
    // A browser sends the admin key as the Basic password (it asks once); scripts as a Bearer token.
    isAdmin: (headers) => {
      if (access === 'loopback-open') return true;
      const bearer = gate.holds(headers, 'admin');
      const password = bearer ? undefined : basicPassword(headers);
      const ok = bearer || gate.holds({ authorization: `Bearer ${password ?? ''}` }, 'admin');
      const credential = bearer ? presentedKey(headers) : password;
      void logins.note({
        ...(credential === undefined ? {} : { credential }), endpoint: 'dashboard', outcome: ok ? 'accepted' : 'refused',
        ...(ok ? { scope: 'admin' } : { reason: credential === undefined ? 'missing' : 'unknown key' }), knownKey: ok,
      }).catch((error: unknown) => logger.warn({ error: (error as Error).message }, 'audit entry for a dashboard login failed'));
      return ok;
    },
    counters: () => liveCounters(live),
    alerts: () => liveAlerts(live),
  });
  const address = await app.listen({ host: options.host, port: options.port });
  logger.info({ url: address, sources: [...configs.map((config) => config.id), ...cohortSources.map((config) => cohortJournalId(config.id))] }, 'listening');

  let closing: Promise<void> | undefined;
  return {
    url: address,
    app,
    loader,
    scheduler,
    profiles,
    triggers,
    close: () => (closing ??= (async () => {
      clearInterval(backlogTimer);
      clearInterval(loginFlush);
      // No new scheduled runs; a running one stops at its next checkpoint (committed work stays).
      await scheduler?.stop();
      // In-flight requests finish (each waits for its fsync) before close resolves.
      await app.close();
      for (const writer of writers.values()) await writer.close();
      await loader.stop();
      // The last events loaded go through the triggers before the sinks close.
      await triggers?.step().catch((error: unknown) => log('warn', 'last trigger step failed; the next start resumes it', { error: (error as Error).message }));
      await triggers?.stop();
      await logins.flush().catch((error: unknown) => log('warn', 'audit entry for API logins failed', { error: (error as Error).message }));
      logger.info({ accepted, loaded: loader.totals.loaded }, 'stopped');
    })()),
  };
}
