import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Mapping } from '../config/mapping-schema.js';
import { resolveSecret } from '../config/secrets.js';
import { UserError } from '../errors/user-error.js';
import { openEventStore, type EventStore } from '../store/event-store.js';
import { openStateStore, type StateLocation } from '../store/state/open-state-store.js';
import { fieldCipherFromEnvironment } from '../privacy/field-cipher-env.js';
import type { StateStore } from '../store/state/state-store.js';
import type { Connectors } from './connectors.js';
import { adoptLegacyStateDir, mappingName, ownershipProblem, refusal, resolveStateDir } from './state-directory.js';

/**
 * One mapping's stores, opened once per process and owned by it: the
 * operational state (SQLite in the state directory, or a PostgreSQL schema)
 * and, on first use, the event store (DuckDB, which locks its file per
 * process: while `segflow serve` runs, it owns it, and another process gets
 * a message saying so). Jobs (`core/runtime/*-job.ts`) are plain functions
 * of a workspace, shared by the CLI, `serve` and tests.
 */
export interface Workspace {
  readonly mapping: Mapping;
  readonly mappingFile: string;
  /** The mapping's name (its `name:`, else the file name): state is kept per name. */
  readonly name: string;
  readonly baseDir: string;
  readonly stateDir: string;
  readonly state: StateStore;
  readonly connectors: Connectors;
  readonly env: NodeJS.ProcessEnv;
  readonly now: () => number;
  /** Notes for the user from opening (state moved from an older layout …). */
  readonly notes: readonly string[];
  /** The event store, opened on first call and kept until close. */
  events(): Promise<EventStore>;
  /** True when events were ever ingested into this state directory. */
  hasEvents(): boolean;
  close(): Promise<void>;
}

export interface WorkspaceOptions {
  mapping: Mapping;
  mappingFile: string;
  connectors: Connectors;
  /** `--state DIR`. */
  stateDir?: string;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

const OWNER_KEY = 'workspace.mapping';

export async function openWorkspace(options: WorkspaceOptions): Promise<Workspace> {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const mappingFile = resolve(options.mappingFile);
  const name = mappingName(options.mapping, mappingFile);
  const stateDir = resolveStateDir(mappingFile, name, options.stateDir, env);
  const notes: string[] = [];
  const moved = options.stateDir === undefined && !env.SEGFLOW_STATE ? adoptLegacyStateDir(mappingFile, stateDir) : undefined;
  if (moved) notes.push(moved);
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  restrictToOwner(stateDir);
  const location = stateLocation(options.mapping, env, stateDir, name);
  // PII columns sealed when SEGFLOW_PII_ENCRYPTION_KEYS is set; a malformed key list stops here, before any state is read.
  const state = await openStateStore(location, now, fieldCipherFromEnvironment(env));
  if (location.driver === 'sqlite') restrictToOwner(location.path);
  try {
    const owner = await state.meta.get(OWNER_KEY);
    const problem = ownershipProblem({ name, owner, ranMappings: owner === undefined ? await state.runs.mappings() : [], mappingFile });
    if (problem) throw refusal(state.location, problem, name);
    if (owner === undefined) await state.meta.set(OWNER_KEY, name);
  } catch (error) {
    await state.close();
    throw error;
  }
  let events: Promise<EventStore> | undefined;
  const eventsPath = join(stateDir, 'events.duckdb');
  return {
    mapping: options.mapping, mappingFile, name, baseDir: resolve(mappingFile, '..'), stateDir, state, connectors: options.connectors, env, now, notes,
    events: () => (events ??= openEventStore(eventsPath).then((store) => {
      restrictToOwner(eventsPath);
      return store;
    })),
    hasEvents: () => existsSync(eventsPath),
    async close() {
      const opened = events;
      events = undefined;
      try {
        if (opened) (await opened).close();
      } finally {
        await state.close();
      }
    },
  };
}

/** SEGFLOW_STATE_URL, then the mapping's `state.url`, else SQLite in the state directory. */
function stateLocation(mapping: Mapping, env: NodeJS.ProcessEnv, stateDir: string, name: string): StateLocation {
  const url = env.SEGFLOW_STATE_URL ?? (mapping.state?.url ? resolveSecret(mapping.state.url, env, 'state.url') : undefined);
  if (url === undefined || url === '') return { driver: 'sqlite', path: join(stateDir, 'state.sqlite') };
  if (!/^postgres(ql)?:\/\//.test(url)) throw new UserError(`the state URL must be postgres://… (from ${env.SEGFLOW_STATE_URL ? 'SEGFLOW_STATE_URL' : 'state.url'}); leave it unset for SQLite in the state directory`);
  // One schema per mapping: several mappings can share a database without sharing state.
  return { driver: 'postgres', url, schema: `segflow_${name.replace(/-/g, '_')}` };
}

/**
 * The state directory holds behavioral data about people: owner-only
 * (0700, its files 0600), whatever the umask. Files the databases create
 * later (WAL, temp) are covered by the directory. A directory the user
 * does not own (a shared volume) is left as it is.
 */
function restrictToOwner(path: string): void {
  try {
    const stats = statSync(path);
    if (typeof process.getuid === 'function' && stats.uid !== process.getuid()) return;
    chmodSync(path, stats.isDirectory() ? 0o700 : 0o600);
  } catch {
    // Gone or not ours to change: nothing to restrict.
  }
}
