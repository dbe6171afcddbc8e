import type { JsonValue } from '../events/canonical-event.js';
import { storedPayload } from './stored-payload.js';
import type { EventStore } from '../store/event-store.js';
import type { Source, SourceContext, SourceMessage } from './source.js';
import { ConnectorError } from '../errors/index.js';
import { isSuppressedEvent, isSuppressedJsonText, isSuppressedSample } from '../privacy/suppressed-event.js';
import { readSuppressionFile, suppressionFilePath } from '../privacy/suppression-file.js';
import { suppressionCheck, type SuppressionCheck } from '../privacy/suppressions.js';

export interface IngestSourceEntry {
  id: string;
  source: Source<unknown>;
  config: unknown;
}

export interface SourceRunCounts {
  sourceId: string;
  /** Input records read this run (lines, CSV rows). */
  read: number;
  /** Records that became new events. */
  accepted: number;
  /** Records rejected with a reason (see the quarantine file). */
  quarantined: number;
  /** Records whose messageId was already stored. */
  duplicates: number;
  /** Records of erased people (the suppression list), dropped unstored; absent when none. */
  suppressed?: number;
  /** New events stored (a CSV order of 5 rows is 1 event). */
  events: number;
  /** Records read after the last checkpoint and left for the next run (a source bug if not 0). */
  uncommitted: number;
  /** Share of this run's input committed so far (0..1), when the source reports it. */
  progress?: number;
}

export interface IngestOptions {
  store: EventStore;
  sources: readonly IngestSourceEntry[];
  runId: string;
  baseDir: string;
  /** The mapping's state directory (the ingest API's spool lives there). */
  stateDir?: string;
  env?: NodeJS.ProcessEnv;
  now: () => number;
  signal: AbortSignal;
  /** Commit at the first checkpoint after this many staged records. */
  batchEvents: number;
  /** Events timestamped further in the future are rejected (bulk normalization). */
  maxFutureMs: number;
  onProgress?: (counts: SourceRunCounts) => void;
  /** Erased people, whose records are dropped. @default the suppression file beside the mapping (core/privacy/suppression-file.ts) */
  suppressions?: SuppressionCheck;
}

/**
 * Pulls every source from its stored cursor and commits events, rejections
 * and the new cursor together at checkpoints (exactly-once ingestion: see
 * EventStore.commit). A source is only ever committed at a checkpoint it
 * yielded, because only a checkpoint says which records are covered.
 */
export async function runIngest(options: IngestOptions): Promise<SourceRunCounts[]> {
  const results: SourceRunCounts[] = [];
  const env = options.env ?? process.env;
  const suppressions = options.suppressions ?? suppressionCheck(new Set(), readSuppressionFile(suppressionFilePath(options.baseDir, env), env));
  for (const entry of options.sources) {
    if (options.signal.aborted) break;
    results.push(await ingestSource(entry, { ...options, suppressions }));
  }
  return results;
}

async function ingestSource(entry: IngestSourceEntry, options: IngestOptions & { suppressions: SuppressionCheck }): Promise<SourceRunCounts> {
  const { store, suppressions } = options;
  const counts: SourceRunCounts = { sourceId: entry.id, read: 0, accepted: 0, quarantined: 0, duplicates: 0, events: 0, uncommitted: 0 };
  const previous = await store.progress(entry.id);
  // The newest checkpoint not yet committed, and whether records were
  // staged after it (those it does not cover).
  let pendingCursor: JsonValue | undefined;
  let stagedSinceCheckpoint = false;
  const context: SourceContext = {
    now: options.now,
    signal: options.signal,
    baseDir: options.baseDir,
    ...(options.stateDir !== undefined ? { stateDir: options.stateDir } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
    bulkLoadSegmentFile: async (request) => {
      // The bulk path cannot see who a line belongs to: with anyone erased, lines go one by one.
      if (stagedSinceCheckpoint || options.signal.aborted || suppressions.size > 0) return false;
      if (pendingCursor !== undefined) {
        await commit(pendingCursor);
        pendingCursor = undefined;
      }
      const outcome = await store.bulkLoadSegmentFile(entry.id, request.file, request.maxRecordBytes, request.cursor, { now: options.now(), maxFutureMs: options.maxFutureMs });
      if (!outcome) return false;
      counts.read += outcome.read;
      counts.accepted += outcome.accepted;
      counts.duplicates += outcome.duplicates;
      counts.events += outcome.events;
      if (request.progress !== undefined) counts.progress = request.progress;
      options.onProgress?.({ ...counts });
      return true;
    },
  };
  await entry.source.check(entry.config, context);
  let readSinceCommit = 0;

  let pendingProgress: number | undefined;
  const commit = async (cursor: JsonValue) => {
    const outcome = await store.commit(entry.id, options.runId, cursor, readSinceCommit, { now: options.now(), maxFutureMs: options.maxFutureMs });
    counts.read += readSinceCommit;
    counts.accepted += outcome.accepted;
    counts.duplicates += outcome.duplicates;
    counts.quarantined += outcome.quarantined;
    counts.events += outcome.events;
    readSinceCommit = 0;
    if (pendingProgress !== undefined) counts.progress = pendingProgress;
    options.onProgress?.({ ...counts });
  };

  const handle = async (message: SourceMessage) => {
    if (suppressions.size > 0 && message.type !== 'checkpoint' && suppressedMessage(suppressions, message)) {
      // Counted as read (the input holds it) and committed with the next checkpoint like any record, but never stored.
      const records = message.type === 'event' ? message.records ?? 1 : 1;
      counts.suppressed = (counts.suppressed ?? 0) + records;
      readSinceCommit += records;
      stagedSinceCheckpoint = true;
      return;
    }
    switch (message.type) {
      case 'event': {
        const records = message.records ?? 1;
        const { event } = message;
        store.stageEvent(event, message.origin, records, storedPayload(event));
        readSinceCommit += records;
        stagedSinceCheckpoint = true;
        break;
      }
      case 'segment-json':
        store.stageSegmentJson(message.origin, message.text);
        readSinceCommit += 1;
        stagedSinceCheckpoint = true;
        break;
      case 'reject':
        store.stageReject(message.origin, message.reason, message.sample);
        readSinceCommit += 1;
        stagedSinceCheckpoint = true;
        break;
      case 'checkpoint':
        stagedSinceCheckpoint = false;
        pendingCursor = message.cursor;
        pendingProgress = message.progress;
        if (store.staged >= options.batchEvents) {
          await commit(message.cursor);
          pendingCursor = undefined;
        }
        break;
    }
  };

  for await (const item of entry.source.read(entry.config, previous?.cursor, context)) {
    if (isBatch(item)) {
      for (const message of item) await handle(message);
    } else {
      await handle(item);
    }
    if (options.signal.aborted) break;
  }
  if (stagedSinceCheckpoint) {
    // Only a checkpoint says which records are covered: what came after the
    // last one is discarded here and read again next run.
    counts.uncommitted = readSinceCommit;
    await store.discardStaged();
    if (!options.signal.aborted) {
      throw new ConnectorError('permanent', 'ingest.no_final_checkpoint',
        `source "${entry.id}" (${entry.source.kind}) ended without a final checkpoint; nothing after its last checkpoint was stored`);
    }
  } else if (pendingCursor !== undefined) {
    await commit(pendingCursor);
  }
  return counts;
}

function suppressedMessage(check: SuppressionCheck, message: Exclude<SourceMessage, { type: 'checkpoint' }>): boolean {
  if (message.type === 'event') return isSuppressedEvent(check, message.event);
  if (message.type === 'segment-json') return isSuppressedJsonText(check, message.text);
  return isSuppressedSample(check, message.sample);
}

function isBatch(item: SourceMessage | readonly SourceMessage[]): item is readonly SourceMessage[] {
  return Array.isArray(item);
}
