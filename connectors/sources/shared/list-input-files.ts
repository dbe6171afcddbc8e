import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConnectorError } from '../../../core/errors/index.js';

/**
 * Expands a source `path` (a file, a directory searched recursively, or a
 * glob in the last segment like `exports/*.jsonl.gz`) into sorted absolute
 * paths. Sorting makes the read order, and so the checkpoints, reproducible.
 */
export function listInputFiles(path: string, baseDir: string, extensions: readonly string[], connector: string): string[] {
  const absolute = resolve(baseDir, path);
  const name = basename(absolute);
  if (name.includes('*') || name.includes('?')) {
    const directory = dirname(absolute);
    const pattern = globToRegExp(name);
    const files = safeReaddir(directory, connector, path).filter((entry) => pattern.test(entry)).map((entry) => join(directory, entry));
    return files.filter((file) => statSync(file).isFile()).sort();
  }
  let stats;
  try {
    stats = statSync(absolute);
  } catch {
    throw new ConnectorError('config', `${connector}.file_missing`, `source path "${path}" does not exist (resolved to ${absolute})`, { connector });
  }
  if (stats.isFile()) return [absolute];
  const found: string[] = [];
  const walk = (directory: string) => {
    for (const entry of safeReaddir(directory, connector, path).sort()) {
      const child = join(directory, entry);
      const childStats = statSync(child);
      if (childStats.isDirectory()) walk(child);
      else if (extensions.some((extension) => entry.endsWith(extension))) found.push(child);
    }
  };
  walk(absolute);
  return found.sort();
}

function safeReaddir(directory: string, connector: string, path: string): string[] {
  try {
    return readdirSync(directory);
  } catch {
    throw new ConnectorError('config', `${connector}.file_missing`, `source path "${path}": directory ${directory} does not exist`, { connector });
  }
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${escaped}$`);
}
