import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * A child script compiled once per test file, for suites that spawn the
 * same child dozens of times (the sink crash suite: 64 syncs). Under tsx
 * every child re-resolves and re-transforms its whole module graph through
 * tsx's loader hooks, a second or two each before it does any work; plain
 * `node` on one esbuild bundle (esbuild is what tsx transpiles with, so the
 * code that runs is the same) starts in about half that.
 *
 * npm packages stay external, loaded from node_modules exactly as in a tsx
 * child, which is why the bundle is written under node_modules/.cache: bare
 * imports and `createRequire(import.meta.url)` resolve from there. The file
 * is named by its content, so two forks compiling the same child share it.
 *
 * Only for children with no worker threads: a worker is started from a path
 * next to its module, which a bundle does not have (compiling refuses one).
 */
const SUPPORT = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(SUPPORT, '..', '..');
const CACHE = join(REPO_ROOT, 'node_modules', '.cache', 'segflow-test-children');

/**
 * Bundles a child whose entry is `source` (TypeScript; imports by absolute
 * path, or relative to test/support) and returns the path of the .mjs to
 * run with `node`. `name` names the file and the errors.
 */
export async function compileChild(name: string, source: string): Promise<string> {
  const result = await build({
    stdin: { contents: source, loader: 'ts', resolveDir: SUPPORT, sourcefile: `${name}.ts` },
    bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', write: false, logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text;
  if (code === undefined) throw new Error(`compileChild: esbuild wrote nothing for ${name}`);
  if (/new Worker\(/.test(code)) throw new Error(`compileChild: ${name} starts worker threads, which cannot run from a bundle; spawn it through tsx instead`);
  const file = join(CACHE, `${name}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(CACHE, { recursive: true });
    // Written aside, then renamed: a fork never runs a half-written bundle another fork is writing.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  }
  return file;
}
