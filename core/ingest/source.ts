import type { CanonicalEvent, JsonValue, RecordOrigin } from '../events/canonical-event.js';

/**
 * What a source yields. A checkpoint covers every event and rejection yielded
 * before it: the runner commits its cursor in the same transaction as those
 * events, so a crash replays from the last checkpoint and never loses or
 * duplicates an event. The cursor is opaque to core.
 */
export type SourceMessage =
  | {
      type: 'event';
      event: CanonicalEvent;
      origin: RecordOrigin;
      /**
       * Number of input records this event consumed (a CSV order built from
       * several order lines), so the runner can reconcile rows read against
       * events plus rejections.
       * @default 1
       */
      records?: number;
    }
  | {
      /**
       * One Segment-spec JSON text the source has not parsed: core parses and
       * normalizes it in bulk (DuckDB), falling back to normalizeSegmentMessage
       * for anything unusual. The fast path for JSONL exports.
       */
      type: 'segment-json';
      origin: RecordOrigin;
      text: string;
    }
  | { type: 'reject'; origin: RecordOrigin; reason: string; sample: string }
  | {
      type: 'checkpoint';
      cursor: JsonValue;
      /** Share of this run's input read so far (0..1), when the source can tell: drives the progress bar. */
      progress?: number;
    };

export interface SourceContext {
  /** The clock, injected so validation of "future" timestamps is testable. */
  now: () => number;
  signal: AbortSignal;
  /** Directory of the mapping file: relative paths resolve against it. */
  baseDir: string;
  /** The mapping's state directory: sources that keep files of their own (the ingest API's spool) keep them here. */
  stateDir?: string;
  /** Where `${env:NAME}` references in the source's config resolve (the workspace's environment). */
  env?: NodeJS.ProcessEnv;
  /**
   * Optional bulk path for a whole Segment JSONL file: the engine loads it in
   * one transaction together with `cursor` (which must mark the file done)
   * and returns true, or returns false having changed nothing, and the source
   * then yields the file line by line as usual.
   */
  bulkLoadSegmentFile?: (request: { file: string; maxRecordBytes: number; cursor: JsonValue; progress?: number }) => Promise<boolean>;
}

export interface Source<Config> {
  readonly kind: `source:${string}`;
  /** Fails fast (ConnectorError 'config') on a missing file, bad mapping, … */
  check(config: Config, context: SourceContext): Promise<void>;
  /** Yields messages one at a time or in batches (cheaper per event on hot paths). */
  read(config: Config, from: JsonValue | undefined, context: SourceContext): AsyncIterable<SourceMessage | readonly SourceMessage[]>;
}
