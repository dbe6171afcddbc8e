import { setTimeout as delay } from 'node:timers/promises';
import type { JsonValue } from '../../../core/events/canonical-event.js';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { Source, SourceContext, SourceMessage } from '../../../core/ingest/source.js';
import type { SplitLine } from '../shared/line-splitter.js';
import { exportUrl, openExport, type ExportClientDependencies } from './export-client.js';
import { laterDay, addDays, parseMixpanelCursor, planDays, utcDay, type MixpanelCursor } from './export-days.js';
import { nodeHttpGet, type HttpGet } from './export-http.js';
import { parseExportLine, rejectSample } from './export-line.js';
import { ExportStreamError, exportLines } from './export-stream.js';
import { MIXPANEL_SOURCE, resolveMixpanelSettings, type MixpanelSettings, type MixpanelSourceConfig } from './mixpanel-config.js';
import { createRateLimiter, MIXPANEL_EXPORT_WINDOWS, type RateLimiter, type RateWindow } from './rate-limiter.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';

export interface MixpanelSourceOptions {
  /** Where `${env:NAME}` references resolve. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Longest accepted line (Mixpanel's limit for one event is 1 MB). @default 1048576 */
  maxEventBytes?: number;
  /** @default Mixpanel's 3/s and 60/h */
  rateWindows?: readonly RateWindow[];
  retry?: Partial<RetryPolicy>;
  /** @default node:http(s) */
  get?: HttpGet;
  /** Waits of the limiter and of backoffs; injected so tests need no real time. @default an abortable setTimeout */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Backoff jitter. @default Math.random */
  random?: () => number;
}

const abortableSleep = async (ms: number, signal: AbortSignal): Promise<void> => {
  await delay(ms, undefined, { signal });
};

/**
 * Mixpanel's Raw Export API as a source: one request per UTC day, oldest
 * first, each day's lines streamed and mapped as they arrive, and a
 * checkpoint after the last line of each day so a crash or a failure
 * resumes at the first day not read to its end. Recent days are read again
 * on every run (late events); messageIds make the repeats duplicates.
 */
export function createMixpanelSource(options: MixpanelSourceOptions = {}): Source<MixpanelSourceConfig> {
  const sleep = options.sleep ?? abortableSleep;
  // One budget per project for the life of the process (several runs of `serve` share it).
  const limiters = new Map<string, RateLimiter>();
  const limiterFor = (projectId: string, now: () => number) => {
    let limiter = limiters.get(projectId);
    if (!limiter) {
      limiter = createRateLimiter({ windows: options.rateWindows ?? MIXPANEL_EXPORT_WINDOWS, now, sleep });
      limiters.set(projectId, limiter);
    }
    return limiter;
  };
  return {
    kind: MIXPANEL_SOURCE,
    // Configuration and secrets only: a probe request would spend one of the project's 60 exports an hour.
    async check(config, context) {
      resolveMixpanelSettings(config, options.env ?? context.env ?? process.env);
    },
    read(config, from, context) {
      const settings = resolveMixpanelSettings(config, options.env ?? context.env ?? process.env);
      const dependencies: ExportClientDependencies = {
        get: options.get ?? nodeHttpGet,
        // Waiting is measured on the clock the sleeps advance: the wall clock unless a test injects both.
        // (A run's clock may be pinned, e.g. to compute features as of a date; a limiter on it would never refill.)
        limiter: limiterFor(settings.projectId, options.sleep ? context.now : Date.now),
        policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
        now: options.sleep ? context.now : Date.now,
        sleep,
        random: options.random ?? Math.random,
      };
      return readDays(settings, from, context, dependencies, options.maxEventBytes ?? 1 << 20);
    },
  };
}

async function* readDays(settings: MixpanelSettings, from: JsonValue | undefined, context: SourceContext, dependencies: ExportClientDependencies, maxEventBytes: number): AsyncGenerator<SourceMessage | SourceMessage[]> {
  const cursor = startCursor(settings, from);
  const days = planDays({ fromDate: settings.fromDate, next: cursor?.next, today: utcDay(context.now()), lookbackDays: settings.lookbackDays });
  let next = cursor?.next ?? settings.fromDate;
  const checkpoint = (done: number): SourceMessage => {
    const value: MixpanelCursor = { mixpanel: 1, projectId: settings.projectId, next };
    return { type: 'checkpoint', cursor: { ...value }, progress: days.length === 0 ? 1 : done / days.length };
  };
  for (const [index, day] of days.entries()) {
    if (context.signal.aborted) return;
    const url = exportUrl(settings, day);
    const file = url.toString();
    let opened;
    try {
      opened = await openExport(settings, url, dependencies, context.signal);
    } catch (error) {
      if (context.signal.aborted) return;
      throw error;
    }
    try {
      for await (const lines of exportLines(opened.body, opened.gzip, maxEventBytes)) {
        yield toMessages(lines, file, settings, maxEventBytes);
        if (context.signal.aborted) return;
      }
    } catch (error) {
      if (context.signal.aborted) return;
      if (!(error instanceof ExportStreamError)) throw error;
      // Keep what arrived (valid events; dedup absorbs the re-read) but not
      // the day: the cursor stays before it, so the next run asks for it
      // again. Later days wait for it, or the cursor would step over it.
      yield [
        { type: 'reject', origin: { file, line: error.linesRead + 1 },
          reason: `${error.message}; ${day} is not marked as read and the next run requests it again`, sample: '' },
        checkpoint(index),
      ];
      return;
    }
    // Never move the cursor back: a re-read lookback day is no new progress.
    next = laterDay(next, addDays(day, 1));
    yield checkpoint(index + 1);
  }
  if (days.length === 0) yield checkpoint(0);
}

function startCursor(settings: MixpanelSettings, from: JsonValue | undefined): MixpanelCursor | undefined {
  const cursor = parseMixpanelCursor(from);
  if (cursor === null) {
    throw new ConnectorError('config', 'mixpanel.cursor_invalid',
      `source "${settings.sourceId}": the stored cursor is not a mixpanel cursor (was this source id used for another connector?). Reset this source's state to export from from_date again.`, { connector: MIXPANEL_SOURCE });
  }
  if (cursor !== undefined && cursor.projectId !== settings.projectId) {
    throw new ConnectorError('config', 'mixpanel.cursor_project',
      `source "${settings.sourceId}": its stored cursor belongs to Mixpanel project ${cursor.projectId}, but project_id is now ${settings.projectId}. Use a new source id for the new project, or reset this source's state.`, { connector: MIXPANEL_SOURCE });
  }
  return cursor;
}

function toMessages(lines: readonly SplitLine[], file: string, settings: MixpanelSettings, maxEventBytes: number): SourceMessage[] {
  const messages: SourceMessage[] = [];
  for (const line of lines) {
    const origin = { file, line: line.line };
    if (line.text === null) {
      messages.push({ type: 'reject', origin, reason: `line is ${line.bytes} bytes; the limit is ${maxEventBytes}`, sample: '' });
      continue;
    }
    if (line.text.trim() === '') continue; // blank lines carry nothing
    const outcome = parseExportLine(line.text, settings.projectId);
    messages.push(outcome.ok ? { type: 'event', event: outcome.event, origin } : { type: 'reject', origin, reason: outcome.reason, sample: rejectSample(line.text) });
  }
  return messages;
}
