import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ChildMeasurement {
  wallMs: number;
  /** Peak resident set of the child, from GNU time's %M (kilobytes) × 1024. */
  peakRssBytes: number;
  exitCode: number | null;
  stdout: string;
  /** The last 64 KiB, for error messages. */
  stderr: string;
}

/**
 * GNU time measures the peak RSS of exactly the process it starts, from the
 * kernel's rusage, with no cooperation from the child; the alternative
 * (`process.resourceUsage().maxRSS` reported by the child itself) would need
 * a hook in segflow's CLI. Its own cost is one fork/exec, inside the wall
 * time of both sides alike.
 */
export const TIME_BINARY = '/usr/bin/time';

export function assertTimeAvailable(): void {
  if (!existsSync(TIME_BINARY)) {
    throw new Error(`${TIME_BINARY} (GNU time) is needed to measure the children's peak RSS; install the "time" package`);
  }
}

const STDERR_KEEP = 64 * 1024;

/** Runs `node ...nodeArguments` under GNU time and measures its wall time and peak RSS. */
export async function measureNode(nodeArguments: readonly string[], cwd: string): Promise<ChildMeasurement> {
  const scratch = mkdtempSync(join(tmpdir(), 'segflow-bench-time-'));
  const rssFile = join(scratch, 'max-rss-kb');
  try {
    const started = performance.now();
    const child = spawn(TIME_BINARY, ['-f', '%M', '-o', rssFile, process.execPath, ...nodeArguments], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve(code));
    });
    const wallMs = performance.now() - started;
    // GNU time writes "Command exited with non-zero status N" before %M on failure.
    const lines = existsSync(rssFile) ? readFileSync(rssFile, 'utf8').trim().split('\n') : [];
    const kilobytes = Number(lines[lines.length - 1]);
    return {
      wallMs,
      peakRssBytes: Number.isFinite(kilobytes) ? kilobytes * 1024 : Number.NaN,
      exitCode,
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
