import type { Stage } from '../../core/pipeline/run-pipeline.js';
import type { SourceRunCounts } from '../../core/ingest/ingest-runner.js';

/**
 * Progress on stderr: a redrawn status line on a terminal, plain lines
 * otherwise (CI logs and pipes must not fill up with carriage returns).
 */
export function createProgress(stream: NodeJS.WriteStream, enabled: boolean) {
  const tty = stream.isTTY === true;
  const started = performance.now();
  let lastPlain = Number.NEGATIVE_INFINITY;
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)}s`;
  const draw = (text: string) => {
    if (!enabled) return;
    if (tty) stream.write(`\r\x1b[2K${text}`);
    else stream.write(`${text}\n`);
  };
  return {
    stage(stage: Stage) {
      if (tty && enabled) stream.write('\n');
      draw(`[${elapsed()}] ${stage}…`);
    },
    ingest(counts: SourceRunCounts) {
      const now = performance.now();
      if (!tty && now - lastPlain < 5_000) return;
      lastPlain = now;
      const rate = Math.round(counts.read / Math.max((now - started) / 1000, 0.001));
      const bar = tty && counts.progress !== undefined ? `${progressBar(counts.progress)} ` : '';
      draw(`[${elapsed()}] ${bar}ingest ${counts.sourceId}: ${counts.read.toLocaleString('en-US')} read, ${counts.accepted.toLocaleString('en-US')} accepted, ${counts.quarantined.toLocaleString('en-US')} quarantined, ${counts.duplicates.toLocaleString('en-US')} duplicates (${rate.toLocaleString('en-US')}/s)`);
    },
    done() {
      if (tty && enabled) stream.write('\n');
    },
  };
}

/** `[########------------]  40%`: 20 cells, so each is 5%. */
export function progressBar(fraction: number): string {
  const clamped = Math.max(0, Math.min(1, fraction));
  const filled = Math.round(clamped * 20);
  return `[${'#'.repeat(filled)}${'-'.repeat(20 - filled)}] ${String(Math.round(clamped * 100)).padStart(3)}%`;
}
