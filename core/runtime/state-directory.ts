import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Mapping } from '../config/mapping-schema.js';
import { UserError } from '../errors/user-error.js';

/**
 * A state directory belongs to one mapping. By default it is
 * `.segflow/<mapping name>/` beside the mapping file, so two mappings in one
 * folder never share events, identities or sync state; `--state DIR` or
 * SEGFLOW_STATE names it outright. The state records which mapping owns it
 * (workspace.ts checks), and a run against another mapping's state is refused.
 */
export function mappingName(mapping: Pick<Mapping, 'name'>, mappingFile: string): string {
  const raw = mapping.name ?? basename(mappingFile, extname(mappingFile));
  const slug = raw.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return slug === '' ? 'mapping' : slug;
}

export function defaultStateDir(mappingFile: string, name: string): string {
  return resolve(dirname(resolve(mappingFile)), '.segflow', name);
}

/** --state, then SEGFLOW_STATE, then `.segflow/<name>/` beside the mapping. */
export function resolveStateDir(mappingFile: string, name: string, flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return resolve(flag);
  if (env.SEGFLOW_STATE) return resolve(env.SEGFLOW_STATE);
  return defaultStateDir(mappingFile, name);
}

const STATE_FILES = /^(events\.duckdb(\.wal)?|state\.sqlite(-wal|-shm)?|quarantine)$/;

/**
 * segflow before 0.2 kept every mapping of a folder in `.segflow/` itself.
 * When that state was written by this mapping file alone, it moves into the
 * mapping's own directory (returned as a note); when it was written by
 * another mapping (or several), it stays for its owner and this mapping
 * starts afresh in its own directory.
 */
export function adoptLegacyStateDir(mappingFile: string, stateDir: string): string | undefined {
  const legacyDir = dirname(stateDir);
  if (basename(legacyDir) !== '.segflow' || existsSync(join(stateDir, 'state.sqlite'))) return undefined;
  const legacyState = join(legacyDir, 'state.sqlite');
  if (!existsSync(legacyState)) return undefined;
  const owners = legacyRunMappings(legacyState);
  if (owners.length !== 1 || owners[0] !== resolve(mappingFile)) {
    const written = owners.length === 0 ? 'no recorded mapping' : owners.length === 1 ? owners[0] : `${owners.length} mappings`;
    return `${legacyDir} holds state of an older segflow written by ${written}: it is left for that mapping (its next run moves it), and this mapping starts in ${stateDir}`;
  }
  mkdirSync(stateDir, { recursive: true });
  for (const entry of readdirSync(legacyDir)) {
    if (STATE_FILES.test(entry)) renameSync(join(legacyDir, entry), join(stateDir, entry));
  }
  return `moved this mapping's state from ${legacyDir} (shared by every mapping before segflow 0.2) to ${stateDir}`;
}

/** The mapping files that ran against a pre-0.2 state file (its `runs` table). */
export function legacyRunMappings(statePath: string): string[] {
  const db = new Database(statePath, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT DISTINCT mapping FROM runs').all() as Array<{ mapping: string }>;
    return rows.map((row) => row.mapping);
  } catch {
    return [];
  } finally {
    db.close();
  }
}

/** Pure: may `name` use state that records `owner` (and had runs of `ranMappings`)? Undefined when yes, else why not. */
export function ownershipProblem(options: { name: string; owner: string | undefined; ranMappings: readonly string[]; mappingFile: string }): string | undefined {
  if (options.owner !== undefined) return options.owner === options.name ? undefined : `belongs to mapping "${options.owner}"`;
  const others = options.ranMappings.filter((file) => file !== options.mappingFile);
  if (others.length > 0) return `was written by ${others.length === 1 ? `another mapping (${others[0]})` : `${others.length} other mappings`}`;
  return undefined;
}

export function refusal(stateLocation: string, problem: string, name: string): UserError {
  return new UserError(`the state in ${stateLocation} ${problem}, not to "${name}": give this mapping its own state (--state DIR, or drop --state and SEGFLOW_STATE to use .segflow/${name}/), or remove that state to start "${name}" afresh there`);
}
