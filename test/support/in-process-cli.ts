import { vi } from 'vitest';
import { createProgram } from '../../cli/program.js';
import { reportError } from '../../cli/report-error.js';
import type { CliResult } from './segflow-cli.js';

/**
 * The CLI's own argument parsing, commands and error reporting, run in the
 * test's process (no tsx start, ~1 s saved per call) with stdout and stderr
 * captured. The environment is set for the call and restored after. For
 * commands that open the stores and close them again; `segflow serve` and
 * anything that exits the process need the real CLI (segflow-cli.ts).
 */
export async function segflowInProcess(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const capture = (append: (text: string) => void) => (chunk: string | Uint8Array) => {
    append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation(capture((text) => (stdout += text)) as typeof process.stdout.write);
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation(capture((text) => (stderr += text)) as typeof process.stderr.write);
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    const code = await createProgram().parse(['node', 'segflow', ...args]);
    return { code, stdout, stderr };
  } catch (error) {
    const code = reportError(error, { json: args.includes('--json'), debug: false, stdout: process.stdout, stderr: process.stderr });
    return { code, stdout, stderr };
  } finally {
    outSpy.mockRestore();
    errSpy.mockRestore();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
