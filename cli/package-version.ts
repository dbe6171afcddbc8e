import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * segflow's version from its package.json, found by walking up from this
 * module: the file sits one level down when run from `cli/` through tsx and
 * two levels down when run from the compiled `dist/cli/`. A JSON import would
 * pin one of those layouts (and copy package.json into dist/).
 */
export function packageVersion(from: string = import.meta.url): string {
  let directory = dirname(fileURLToPath(from));
  for (;;) {
    const version = segflowVersionIn(join(directory, 'package.json'));
    if (version !== undefined) return version;
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`no package.json named "segflow" above ${fileURLToPath(from)}`);
    directory = parent;
  }
}

function segflowVersionIn(path: string): string | undefined {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof manifest !== 'object' || manifest === null) return undefined;
  const { name, version } = manifest as { name?: unknown; version?: unknown };
  return name === 'segflow' && typeof version === 'string' ? version : undefined;
}
