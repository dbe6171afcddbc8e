import type { FastifyInstance, FastifyReply } from 'fastify';
import { buildReport, readReportInput, renderReportHtml } from '../../core/report/index.js';
import type { LiveCounter, LiveOptions } from '../../core/report/live-panel.js';
import type { ReportView } from '../../core/report/report-view.js';
import type { Workspace } from '../../core/runtime/index.js';
import { chartLibrarySource } from '../commands/report.js';
import type { WorkQueue } from './work-queue.js';

/**
 * The dashboard, `/ui` behind the admin key: the report of the latest run
 * (the same sections as `segflow report`, rendered by the server, no build
 * step) with a live panel on top that polls `/ui/live.json`. A browser
 * sends the key as the password of HTTP Basic (it asks once, then resends
 * it to the same origin, the live polls included); scripts send it as a
 * Bearer token. The rendered page is kept until a newer run finishes.
 */
export interface DashboardOptions {
  workspace: Workspace;
  queue: WorkQueue;
  /** Whether the request carries an admin key. */
  isAdmin(headers: Readonly<Record<string, string | string[] | undefined>>): boolean;
  counters(): Promise<Record<string, number | string | null>>;
  alerts(): Promise<string[]>;
  /** @default 2000 */
  pollMs?: number;
}

export const LIVE_COUNTERS: readonly LiveCounter[] = [
  { key: 'events_accepted', label: 'Events accepted (fsync\'d)' },
  { key: 'events_loaded', label: 'Events loaded into the store' },
  { key: 'journal_backlog_bytes', label: 'Journal bytes waiting for the loader' },
  { key: 'triggers_fired', label: 'Trigger actions fired' },
  { key: 'triggers_held', label: 'Trigger actions held (caps, quiet hours, consent …)' },
  { key: 'actions_delivered', label: 'Actions delivered' },
  { key: 'actions_owed', label: 'Actions owed (queued or retrying)' },
  { key: 'actions_dead', label: 'Actions dead-lettered' },
  { key: 'sync_dead_letters', label: 'Sync dead letters open' },
  { key: 'last_run', label: 'Latest run' },
];

export async function registerDashboardRoutes(app: FastifyInstance, options: DashboardOptions): Promise<void> {
  const pollMs = options.pollMs ?? 2_000;
  let cached: { runId: string; html: string } | undefined;
  const refuse = (reply: FastifyReply) =>
    reply.code(401).header('www-authenticate', 'Basic realm="segflow admin", charset="UTF-8"').header('cache-control', 'no-store').send({ error: 'the dashboard needs an admin key (serve.admin_api_keys), as the Basic password or a Bearer token' });

  app.get('/ui', async (request, reply) => {
    if (!options.isAdmin(request.headers)) return refuse(reply);
    const latest = (await options.workspace.state.runs.recent(20)).find((record) => record.status === 'succeeded')?.runId;
    const live = { url: '/ui/live.json', intervalMs: pollMs, counters: LIVE_COUNTERS };
    let html: string;
    if (latest === undefined) {
      html = noRunPage(options.workspace.name, live);
    } else if (cached?.runId === latest) {
      html = cached.html;
    } else {
      // The report reads DuckDB: it takes its turn with loads and runs.
      const input = await options.queue.run(() => readReportInput(options.workspace));
      html = renderReportHtml(buildReport(input), { chartLibrary: chartLibrarySource(), live });
      cached = { runId: latest, html };
    }
    return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  });

  app.get('/ui/live.json', async (request, reply) => {
    if (!options.isAdmin(request.headers)) return refuse(reply);
    return reply.header('cache-control', 'no-store').send({ counters: await options.counters(), alerts: await options.alerts() });
  });
}

function noRunPage(name: string, live: LiveOptions): string {
  const report: ReportView = { title: `segflow: ${name}`, subtitle: 'No run has finished yet: the segments and charts appear after the first one.', highlights: [], sections: [] };
  return renderReportHtml(report, { chartLibrary: '', live });
}
