import { spawn } from 'node:child_process';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * What one tsx child process costs on this machine right now. The crash
 * suites spawn dozens of children (a sync, a `segflow run`), and on a busy
 * machine each one is several times slower than on an idle one, so a fixed
 * timeout fails them for reasons that have nothing to do with the code.
 * Their timeouts are budgets in this unit instead: the time a child takes
 * to start and load `modules` (the bulk of a short child's work), measured
 * once when the test file is collected.
 */
export async function measureChildCostMs(modules: readonly string[], cwd: string): Promise<number> {
  const script = modules.map((module) => `await import(${JSON.stringify(isAbsolute(module) ? pathToFileURL(module).href : module)});`).join('\n');
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`measureChildCostMs: loading ${modules.join(', ')} failed (exit ${code}):\n${stderr}`))));
  });
  return performance.now() - started;
}

/**
 * A test timeout worth `units` child costs, and never less than the
 * suite's default: a fast machine keeps today's margin, a slow or busy one
 * gets proportionally more.
 * @default floorMs 120000 (vitest.config.ts testTimeout)
 */
export function timeoutInChildCosts(units: number, childCostMs: number, floorMs = 120_000): number {
  return Math.max(floorMs, Math.ceil(units * childCostMs));
}
