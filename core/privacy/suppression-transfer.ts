import { basename } from 'node:path';
import { UserError } from '../errors/user-error.js';
import type { StateStore } from '../store/state/state-store.js';
import { hasherFor, newHashScheme } from './identifier-hash.js';
import { appendHashedLines, readSuppressionContent, type SuppressionFileContent, type SuppressionFileHeader } from './suppression-file.js';

/**
 * The suppression list carried between machines as a file of hashes:
 * the shared file's entries under its scheme header, then the state's own
 * list as `stateHash` lines (one scheme in every state, suppressions.ts).
 * An export is itself a valid suppression file. Importing merges both
 * parts into another mapping's shared file and state; only a file hashed
 * the same way can be merged into an existing shared file, since hashes
 * are one-way and cannot be re-keyed.
 */
export interface SuppressionExport {
  text: string;
  scheme: SuppressionFileHeader['scheme'];
  fileHashes: number;
  stateHashes: number;
}

export async function exportSuppressions(state: StateStore, sharedFile: string, env: NodeJS.ProcessEnv): Promise<SuppressionExport> {
  const shared = readSuppressionContent(sharedFile);
  // Nobody erased through this mapping's file yet: the export still names a scheme, so it can be imported.
  const header: SuppressionFileHeader = shared?.header ?? { format: 'segflow-suppressions', version: 1, ...newHashScheme(env) };
  const stateEntries = await state.suppressions.entries();
  const lines = [
    JSON.stringify(header),
    ...(shared?.entries ?? []).map((entry) => JSON.stringify(entry)),
    ...stateEntries.map((entry) => JSON.stringify({ stateHash: entry.keyHash, requestedAt: entry.requestedAt })),
  ];
  return { text: `${lines.join('\n')}\n`, scheme: header.scheme, fileHashes: shared?.entries.length ?? 0, stateHashes: stateEntries.length };
}

export interface SuppressionImport {
  scheme: SuppressionFileHeader['scheme'];
  /** Hashes the import file holds (both parts). */
  read: number;
  /** Of the shared-file hashes, new to this mapping's shared file; of the state-list hashes, new to this state's list. */
  addedToFile: number;
  addedToState: number;
  /** State-list hashes copied into the shared file too, so a later fresh state gets them. */
  stateLinesToFile: number;
}

export async function importSuppressions(state: StateStore, sharedFile: string, from: string, env: NodeJS.ProcessEnv): Promise<SuppressionImport> {
  const incoming = readSuppressionContent(from);
  if (incoming === undefined) throw new UserError(`${from}: no such file (give the path of a file written by \`segflow privacy export-suppressions\`)`);
  const existing = readSuppressionContent(sharedFile);
  // Before anything is written: a refused import changes nothing.
  if (existing !== undefined) refuseOtherScheme(incoming, existing, from, sharedFile);
  // Keyed hashes need the key at every run: an import this environment could not use is refused now, not at the next run.
  if (incoming.header.scheme === 'hmac-sha256') hasherFor(incoming.header, env, from);
  const known = new Set([...(existing?.entries ?? []).map((entry) => entry.hash), ...(existing?.stateEntries ?? []).map((entry) => entry.stateHash)]);
  const lines: string[] = [];
  let addedToFile = 0;
  let stateLinesToFile = 0;
  for (const entry of incoming.entries) {
    if (known.has(entry.hash)) continue;
    known.add(entry.hash);
    lines.push(JSON.stringify(entry));
    addedToFile++;
  }
  for (const entry of incoming.stateEntries) {
    if (known.has(entry.stateHash)) continue;
    known.add(entry.stateHash);
    lines.push(JSON.stringify(entry));
    stateLinesToFile++;
  }
  // The shared file first (it outlives the state), then the state's list.
  appendHashedLines(sharedFile, incoming.header, lines);
  let addedToState = 0;
  for (const entry of incoming.stateEntries) {
    if (await state.suppressions.add(entry.stateHash, `imported from ${basename(from)}`)) addedToState++;
  }
  return { scheme: incoming.header.scheme, read: incoming.entries.length + incoming.stateEntries.length, addedToFile, addedToState, stateLinesToFile };
}

function refuseOtherScheme(incoming: SuppressionFileContent, existing: SuppressionFileContent, from: string, sharedFile: string): void {
  const a = incoming.header;
  const b = existing.header;
  const why = 'hashes are one-way, so they cannot be re-keyed; nothing was imported. Import it on a machine whose suppression file has the same scheme, or, for a new mapping, point SEGFLOW_SUPPRESSION_FILE at the exported file itself (it is a complete suppression file)';
  const describe = (header: SuppressionFileHeader) => (header.scheme === 'hmac-sha256' ? 'with a key (hmac-sha256)' : 'with a salt (sha256-salted)');
  if (a.scheme !== b.scheme) throw new UserError(`${from} is hashed ${describe(a)} and ${sharedFile} ${describe(b)}: ${why}`);
  if (a.scheme === 'sha256-salted' && b.scheme === 'sha256-salted' && a.salt !== b.salt) throw new UserError(`${from} is hashed under another salt than ${sharedFile}: ${why}`);
  if (a.scheme === 'hmac-sha256' && b.scheme === 'hmac-sha256' && a.keyCheck !== b.keyCheck) throw new UserError(`${from} is hashed under another SEGFLOW_PII_KEY than ${sharedFile}: ${why}`);
}
