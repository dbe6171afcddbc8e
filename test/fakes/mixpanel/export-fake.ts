import { gzipSync } from 'node:zlib';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { createExportFaults, type ExportFaults } from './export-faults.js';

/**
 * A stateful fake of Mixpanel's Raw Export API (`GET /api/2.0/export`) on
 * 127.0.0.1, from the documented shapes (vendor-facts.md §4, export.openapi):
 * service-account Basic auth, `project_id` required, inclusive yyyy-mm-dd
 * `from_date`/`to_date`, the `event` filter, JSONL gzip-encoded above 1,400
 * bytes when asked, 429 past 3 queries/s or 60/h, and injectable faults.
 */
export interface MixpanelExportFakeOptions {
  projectId: string;
  username: string;
  secret: string;
  /** The fake's clock: rate windows and "today". @default Date.now */
  now?: () => number;
  /** @default { perSecond: 3, perHour: 60 } */
  limits?: { perSecond?: number; perHour?: number };
  /** Seconds sent as Retry-After on a 429 (Mixpanel's export documents none). @default none */
  retryAfterSeconds?: number;
  /** Bodies at least this long are gzip-encoded when the client accepts gzip. @default 1400 */
  gzipMinBytes?: number;
}

export interface ExportRequestRecord {
  at: number;
  status: number;
  fromDate: string | null;
  toDate: string | null;
  gzip: boolean;
}

export interface MixpanelExportFake {
  /** Origin to use as the source's base_url. */
  url: string;
  /** Stores events under the UTC day of `properties.time` (seconds or ms). */
  addEvents(events: ReadonlyArray<{ event: string; properties: Record<string, unknown> }>): void;
  /** Appends lines verbatim to a day, for malformed input. */
  addRawLines(day: string, lines: readonly string[]): void;
  faults: ExportFaults;
  /** Every request answered, in order. */
  requests(): ExportRequestRecord[];
  close(): Promise<void>;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export async function startMixpanelExportFake(options: MixpanelExportFakeOptions): Promise<MixpanelExportFake> {
  const now = options.now ?? Date.now;
  const perSecond = options.limits?.perSecond ?? 3;
  const perHour = options.limits?.perHour ?? 60;
  const gzipMinBytes = options.gzipMinBytes ?? 1_400;
  const days = new Map<string, string[]>();
  const admitted: number[] = [];
  const log: ExportRequestRecord[] = [];
  const faults = createExportFaults();
  const expectedAuth = `Basic ${Buffer.from(`${options.username}:${options.secret}`).toString('base64')}`;

  // forceCloseConnections: close() must not wait for a stalled response.
  const app = Fastify({ logger: false, forceCloseConnections: true });
  app.get('/api/2.0/export', async (request: FastifyRequest<{ Querystring: Record<string, string | undefined> }>, reply: FastifyReply) => {
    const query = request.query;
    const record: ExportRequestRecord = { at: now(), status: 200, fromDate: query.from_date ?? null, toDate: query.to_date ?? null, gzip: false };
    log.push(record);
    const fail = (status: number, error: string, headers: Record<string, string> = {}) => {
      record.status = status;
      return reply.code(status).headers({ 'content-type': 'application/json', ...headers }).send({ error, request: request.url });
    };
    if (request.headers.authorization !== expectedAuth) return fail(401, 'Invalid credentials: expected a service account username and secret (Basic auth)');
    if (query.project_id === undefined || query.project_id === '') return fail(400, 'project_id is required when authenticating with a service account');
    if (query.project_id !== options.projectId) return fail(403, `service account has no access to project ${query.project_id}`);

    const from = query.from_date;
    const to = query.to_date;
    if (from === undefined || to === undefined) return fail(400, "'from_date' and 'to_date' are required");
    if (!isDay(from)) return fail(400, `from_date ${from} is not a date in yyyy-mm-dd format`);
    if (!isDay(to)) return fail(400, `to_date ${to} is not a date in yyyy-mm-dd format`);
    if (from > to) return fail(400, 'to_date must not be before from_date');
    if (to > new Date(now()).toISOString().slice(0, 10)) return fail(400, `to_date ${to} is later than today`);
    let names: Set<string> | null = null;
    if (query.event !== undefined) {
      const parsed = safeJson(query.event);
      if (!Array.isArray(parsed) || !parsed.every((name) => typeof name === 'string')) return fail(400, "'event' must be a JSON array of event names");
      names = new Set(parsed as string[]);
    }

    // Rate limits count admitted queries (valid ones) in sliding windows, as Mixpanel's 3/s and 60/h do.
    const at = now();
    const inSecond = admitted.filter((time) => time > at - 1_000).length;
    const inHour = admitted.filter((time) => time > at - 3_600_000).length;
    if (inSecond >= perSecond || inHour >= perHour) {
      const headers: Record<string, string> = options.retryAfterSeconds === undefined ? {} : { 'retry-after': String(options.retryAfterSeconds) };
      return fail(429, inSecond >= perSecond ? `rate limit exceeded: ${perSecond} queries per second` : `rate limit exceeded: ${perHour} queries per hour`, headers);
    }
    admitted.push(at);

    const forced = faults.takeStatus();
    if (forced !== undefined) return fail(forced, 'internal server error');

    const lines: string[] = [];
    for (const [day, dayLines] of [...days].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (day < from || day > to) continue;
      for (const line of dayLines) if (names === null || names.has(eventName(line) ?? '')) lines.push(line);
    }
    const text = lines.map((line) => `${line}\n`).join('');
    const acceptsGzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    const fault = faults.takeStream(from);
    reply.code(200).header('content-type', 'text/plain; charset=utf-8');
    if (fault?.kind === 'reset' || fault?.kind === 'stall') {
      // Half the body, then the socket goes away (reset) or says nothing more (stall).
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'transfer-encoding': 'chunked' });
      reply.raw.write(text.slice(0, Math.floor(text.length / 2)));
      if (fault.kind === 'reset') setTimeout(() => reply.raw.destroy(), 10);
      return reply;
    }
    if (fault?.kind === 'truncate' || (acceptsGzip && Buffer.byteLength(text) >= gzipMinBytes)) {
      record.gzip = true;
      let body = gzipSync(text);
      if (fault?.kind === 'truncate') body = body.subarray(0, Math.max(1, Math.floor(body.length * fault.keep)));
      return reply.header('content-encoding', 'gzip').send(body);
    }
    return reply.send(text);
  });

  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the Mixpanel export fake did not get a TCP port');

  return {
    url: `http://127.0.0.1:${address.port}`,
    addEvents(events) {
      for (const event of events) {
        const time = Number(event.properties.time);
        const day = new Date(time < 1e11 ? time * 1_000 : time).toISOString().slice(0, 10);
        const list = days.get(day) ?? [];
        list.push(JSON.stringify(event));
        days.set(day, list);
      }
    },
    addRawLines(day, lines) {
      days.set(day, [...(days.get(day) ?? []), ...lines]);
    },
    faults,
    requests: () => log.map((entry) => ({ ...entry })),
    close: () => app.close(),
  };
}

function isDay(text: string): boolean {
  const match = DAY.exec(text);
  if (!match) return false;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(ms).toISOString().slice(0, 10) === text;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function eventName(line: string): string | null {
  const parsed = safeJson(line) as { event?: unknown } | undefined;
  return typeof parsed?.event === 'string' ? parsed.event : null;
}
