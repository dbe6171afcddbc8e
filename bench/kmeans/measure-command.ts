import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CommandMeasurement {
  wallMs: number;
  /** Peak resident set of the child (all its threads), from GNU time's %M (KiB) × 1024. */
  peakRssBytes: number;
  /** User + system CPU seconds of the child (all its threads), from GNU time's %U + %S: what a shared machine's load moves less than wall time. */
  cpuSeconds: number;
  /** The child's last stdout line, parsed: each side prints one JSON result. */
  result: unknown;
}

/**
 * GNU time reads the child's peak RSS from the kernel's rusage, the same way
 * for node and python, without the child's cooperation.
 */
export const TIME_BINARY = '/usr/bin/time';

export async function measureCommand(command: string, commandArguments: readonly string[], cwd: string): Promise<CommandMeasurement> {
  if (!existsSync(TIME_BINARY)) throw new Error(`${TIME_BINARY} (GNU time) is needed to measure peak RSS; install the "time" package`);
  const scratch = mkdtempSync(join(tmpdir(), 'segflow-bench-kmeans-'));
  const rssFile = join(scratch, 'max-rss-kb');
  try {
    const started = performance.now();
    const child = spawn(TIME_BINARY, ['-f', '%M %U %S', '-o', rssFile, command, ...commandArguments], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-16_384);
    });
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    const wallMs = performance.now() - started;
    if (exitCode !== 0) throw new Error(`${command} ${commandArguments.join(' ')} exited with ${exitCode}:\n${stderr}`);
    const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
    const [maxRssKb, userSeconds, systemSeconds] = (lines[lines.length - 1] ?? '').split(' ').map(Number);
    const lastLine = stdout.trim().split('\n').pop() ?? '';
    return { wallMs, peakRssBytes: (maxRssKb ?? Number.NaN) * 1024, cpuSeconds: (userSeconds ?? Number.NaN) + (systemSeconds ?? Number.NaN), result: JSON.parse(lastLine) as unknown };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
