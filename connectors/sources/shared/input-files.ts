import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** What `path` in the mapping turned into, for messages. */
export interface InputFiles {
  /** Absolute files, sorted (byte order, so `2024-01-02` follows `2024-01-01`). */
  files: string[];
  kind: 'file' | 'directory' | 'glob';
  /** The absolute path or pattern the mapping's `path` resolved to. */
  resolved: string;
}

export interface InputFileRules {
  /** Which file names count (e.g. /\.csv(\.gz)?$/i). */
  name: RegExp;
  /** Search a directory recursively (Segment's storage exports nest by source and day). */
  recursive: boolean;
}

const GLOB_CHARACTERS = /[*?]/;

/**
 * Resolves a file, a directory (its matching files, recursively when asked) or a
 * glob (`*`, `?`, `**`) against the mapping's directory. Node 20 has no
 * `fs.glob`, and the three wildcards cover export folders without a
 * dependency. A path that does not exist yields no files: the caller decides
 * whether that is an error.
 */
export async function resolveInputFiles(path: string, baseDir: string, rules: InputFileRules): Promise<InputFiles> {
  const resolved = isAbsolute(path) ? path : resolve(baseDir, path);
  if (!GLOB_CHARACTERS.test(path)) {
    const info = await stat(resolved).catch(() => null);
    if (info === null) return { files: [], kind: 'file', resolved };
    if (info.isFile()) return { files: [resolved], kind: 'file', resolved };
    const files: string[] = [];
    for await (const file of walk(resolved, rules.recursive ? Number.POSITIVE_INFINITY : 1)) {
      if (rules.name.test(file)) files.push(file);
    }
    return { files: sortPaths(files), kind: 'directory', resolved };
  }
  const segments = resolved.split(sep);
  const firstWild = segments.findIndex((segment) => GLOB_CHARACTERS.test(segment));
  const root = segments.slice(0, firstWild).join(sep) || sep;
  const patternSegments = segments.slice(firstWild);
  const matcher = globToRegExp(patternSegments.join('/'));
  const maxDepth = patternSegments.includes('**') ? Number.POSITIVE_INFINITY : patternSegments.length;
  const files: string[] = [];
  for await (const file of walk(root, maxDepth)) {
    const rel = relative(root, file).split(sep).join('/');
    if (matcher.test(rel) && rules.name.test(file)) files.push(file);
  }
  return { files: sortPaths(files), kind: 'glob', resolved };
}

/** `*` and `?` stay within one path segment; `**` spans any number of them. */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern[index];
    if (character === '*' && pattern[index + 1] === '*') {
      const slash = pattern[index + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      index += slash ? 2 : 1;
    } else if (character === '*') source += '[^/]*';
    else if (character === '?') source += '[^/]';
    else source += character.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

async function* walk(directory: string, depth: number): AsyncGenerator<string> {
  if (depth <= 0) return;
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) yield* walk(path, depth - 1);
    else if (await isFile(path, entry)) yield path;
  }
}

/** Follows symlinks, which export tools use for `latest.csv`. */
async function isFile(path: string, entry: Dirent): Promise<boolean> {
  if (entry.isFile()) return true;
  if (!entry.isSymbolicLink()) return false;
  const info = await stat(path).catch(() => null);
  return info?.isFile() ?? false;
}

function sortPaths(paths: string[]): string[] {
  return paths.sort((left, right) => (left < right ? -1 : left > right ? 1 : 0));
}
