import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors/user-error.js';
import { hasherFor, newHashScheme, type HashScheme, type IdentifierHasher } from './identifier-hash.js';

/**
 * The suppression list that outlives a state directory: a JSONL file next
 * to the mapping (commit it, or share it between machines), append-only and
 * fsync'd, holding only hashes of erased identifiers with when and under
 * which request they were erased. The first line says how they are hashed.
 * A run on a brand-new state reads it, so an erased person is not ingested
 * or synced again.
 */
export const SUPPRESSION_FILE_NAME = 'segflow-suppressions.jsonl';
/** Overrides where the file is (the default is beside the mapping). */
export const SUPPRESSION_FILE_VARIABLE = 'SEGFLOW_SUPPRESSION_FILE';

export interface SuppressionEntry {
  hash: string;
  erasedAt: string;
  requestId: string;
}

export interface SuppressionFile {
  readonly path: string;
  readonly hasher: IdentifierHasher;
  readonly hashes: ReadonlySet<string>;
  /**
   * Hashes of a state's own list (`{"stateHash": …}` lines, which an export
   * carries: suppressions.ts's scheme, the same in every state).
   */
  readonly stateHashes: ReadonlySet<string>;
}

export type SuppressionFileHeader = HashScheme & { format: 'segflow-suppressions'; version: 1 };
type Header = SuppressionFileHeader;

/** A state-list line of an export: the hash and when it was requested. */
export interface StateSuppressionEntry {
  stateHash: string;
  requestedAt?: string;
}

/** A file's lines as written, checked but not hashed with: no key is needed to read them (an import compares headers). */
export interface SuppressionFileContent {
  header: SuppressionFileHeader;
  entries: SuppressionEntry[];
  stateEntries: StateSuppressionEntry[];
}

export function suppressionFilePath(mappingDir: string, env: NodeJS.ProcessEnv): string {
  const configured = env[SUPPRESSION_FILE_VARIABLE];
  return configured !== undefined && configured !== '' ? resolve(configured) : join(mappingDir, SUPPRESSION_FILE_NAME);
}

/** Undefined when there is no file yet (nobody was erased). A damaged file stops the job: guessing could let an erased person back in. */
export function readSuppressionFile(path: string, env: NodeJS.ProcessEnv): SuppressionFile | undefined {
  const content = readSuppressionContent(path);
  if (content === undefined) return undefined;
  const hasher = hasherFor(content.header, env, path);
  return { path, hasher, hashes: new Set(content.entries.map((entry) => entry.hash)), stateHashes: new Set(content.stateEntries.map((entry) => entry.stateHash)) };
}

export function readSuppressionContent(path: string): SuppressionFileContent | undefined {
  if (!existsSync(path)) return undefined;
  const lines = readFileSync(path, 'utf8').split('\n');
  const header = parseLine(lines[0] ?? '', path, 1) as Partial<Header>;
  if (header.format !== 'segflow-suppressions' || (header.scheme !== 'hmac-sha256' && header.scheme !== 'sha256-salted')) {
    throw new UserError(`${path}:1: not a segflow suppression file (its first line must name the format and hash scheme)`);
  }
  const entries: SuppressionEntry[] = [];
  const stateEntries: StateSuppressionEntry[] = [];
  lines.slice(1).forEach((line, index) => {
    if (line.trim() === '') return;
    const entry = parseLine(line, path, index + 2) as Partial<SuppressionEntry & StateSuppressionEntry>;
    if (typeof entry.stateHash === 'string' && HASH.test(entry.stateHash)) {
      stateEntries.push({ stateHash: entry.stateHash, ...(typeof entry.requestedAt === 'string' ? { requestedAt: entry.requestedAt } : {}) });
      return;
    }
    if (typeof entry.hash !== 'string' || !HASH.test(entry.hash)) throw new UserError(`${path}:${index + 2}: an entry needs a "hash" of 64 hex digits`);
    entries.push({ hash: entry.hash, erasedAt: String(entry.erasedAt ?? ''), requestId: String(entry.requestId ?? '') });
  });
  return { header: header as Header, entries, stateEntries };
}

const HASH = /^[0-9a-f]{64}$/;

/**
 * Appends lines already hashed (an import), creating the file with `header`
 * when absent; durable before returning. The caller has checked the
 * header matches an existing file's.
 */
export function appendHashedLines(path: string, header: SuppressionFileHeader | undefined, lines: readonly string[]): void {
  const created = !existsSync(path);
  const all = created && header !== undefined ? [JSON.stringify(header), ...lines] : [...lines];
  if (all.length === 0) return;
  writeDurably(path, all);
  if (created) syncDirectory(dirname(path));
}

/**
 * Appends the identifiers not listed yet (hashed) and makes them durable
 * before returning; creates the file (with a new hash scheme) when absent.
 * Returns how many were new.
 */
export function appendSuppressions(path: string, env: NodeJS.ProcessEnv, identifiers: readonly string[], entry: Omit<SuppressionEntry, 'hash'>): number {
  const existing = readSuppressionFile(path, env);
  const created = existing === undefined;
  const hasher = existing?.hasher ?? hasherFor(newHashScheme(env), env, path);
  const known = new Set(existing?.hashes ?? []);
  const lines: string[] = [];
  if (created) lines.push(JSON.stringify({ format: 'segflow-suppressions', version: 1, ...hasher.header }));
  for (const identifier of identifiers) {
    const hash = hasher.hash(identifier);
    if (known.has(hash)) continue;
    known.add(hash);
    lines.push(JSON.stringify({ hash, erasedAt: entry.erasedAt, requestId: entry.requestId }));
  }
  const added = lines.length - (created ? 1 : 0);
  if (lines.length === 0) return 0;
  writeDurably(path, lines);
  if (created) syncDirectory(dirname(path));
  return added;
}

function writeDurably(path: string, lines: readonly string[]): void {
  const descriptor = openSync(path, 'a', 0o644);
  try {
    writeSync(descriptor, `${lines.join('\n')}\n`);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

function parseLine(line: string, path: string, number: number): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    throw new UserError(`${path}:${number}: not valid JSON; the suppression file is append-only, restore it from version control`);
  }
}

/** A new file's directory entry must be durable too, or a crash can lose the whole file. */
function syncDirectory(directory: string): void {
  try {
    const descriptor = openSync(directory, 'r');
    try {
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
  } catch {
    // Some filesystems refuse fsync on a directory; the file itself is synced.
  }
}
