import { join } from 'node:path';
import { ConnectorError } from '../../../core/errors/index.js';
import type { Source, SourceMessage } from '../../../core/ingest/source.js';
import { parseSpoolCursor, readSpool } from '../../../core/ingest/spool/spool-reader.js';
import type { SegmentApiSourceConfig } from './segment-api-config.js';

const CONNECTOR = 'segment-api';

/** Where the server journals a source's accepted events. */
export function spoolDirectory(stateDir: string, sourceId: string): string {
  return join(stateDir, 'spool', sourceId);
}

/**
 * Loads the ingest API's journal into the event store: each journal line is
 * one Segment message, normalized in bulk like a file's lines, and the
 * journal position is the cursor committed with them (exactly once across
 * crashes). Lines the server accepted but normalization refuses are
 * quarantined with their reason and the journal file and line.
 */
export function createSegmentApiSource(): Source<SegmentApiSourceConfig> {
  return {
    kind: 'source:segment-api',
    async check() {
      // Nothing to check before reading: an empty or absent journal is simply nothing new.
    },
    async *read(config, from, context) {
      if (context.stateDir === undefined) throw new Error('segment-api source needs the state directory');
      const cursor = parseSpoolCursor(from);
      if (cursor === null) {
        throw new ConnectorError('config', 'segment-api.cursor_invalid',
          `source "${config.id}": the stored cursor is not a segment-api cursor (was this source id used for another connector?)`, { connector: CONNECTOR });
      }
      const dir = spoolDirectory(context.stateDir, config.id);
      // Small batches, each with its checkpoint (commits still happen only every ingest.batch_events):
      // staging is synchronous, and inside `segflow serve` a 50k-line batch held the event loop
      // long enough to show in the API's p99.
      for await (const batch of readSpool(dir, cursor, { batchLines: Math.min(config.checkpoint_every ?? 2_000, 2_000), signal: context.signal })) {
        // A blank line carries nothing (an erasure blanks a person's lines in place).
        const messages: SourceMessage[] = batch.lines.filter((line) => line.text.trim() !== '').map((line) => ({
          type: 'segment-json', origin: { file: `spool/${config.id}/${line.file}`, line: line.line }, text: line.text,
        }));
        messages.push({ type: 'checkpoint', cursor: { ...batch.cursor } });
        yield messages;
      }
    },
  };
}
