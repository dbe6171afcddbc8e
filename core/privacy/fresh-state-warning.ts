/**
 * What a run on a new, empty state must say about suppression lists kept
 * elsewhere. A DPO asks two things: where is the list of erased people this
 * run honours, and is it honoured at all. So the line names the place and
 * says "applied" or "NO suppression list is applied". A state is new when
 * it holds no suppressions and no run history; with PostgreSQL state the
 * list is shared between machines, so a machine whose event store is new
 * hears of the shared list it applies. Pure.
 */
export interface SuppressionOrigins {
  /** The state has no run history and no event store yet. */
  newState: boolean;
  /** Suppressions in the state store (for PostgreSQL: the list shared by every machine on that schema). */
  stateHashes: number;
  /** `sqlite` (the state directory's own) or `postgres` (shared). */
  stateDriver: string;
  /** Where the state is (a path or a redacted postgres:// URL). */
  stateLocation: string;
  file: { path: string; configured: boolean; present: boolean; hashes: number; variable: string };
}

export function suppressionOriginWarnings(origins: SuppressionOrigins): string[] {
  if (!origins.newState) return [];
  const shared = origins.stateDriver !== 'sqlite' && origins.stateHashes > 0;
  // A SQLite state with its own suppressions is not empty: the list came with it.
  if (origins.stateDriver === 'sqlite' && origins.stateHashes > 0) return [];
  const warnings: string[] = [];
  const { file } = origins;
  if (file.present && file.hashes > 0) {
    warnings.push(`this state is new and empty, and a suppression list exists elsewhere: ${file.path} (${file.hashes} erased identifier hash(es)); it is applied: their events are dropped at ingest and never synced`);
  } else if (file.configured && !file.present) {
    warnings.push(`this state is new and empty, and ${file.variable} names ${file.path}, which does not exist: ${shared ? 'only the shared state\'s list is applied, not that file' : 'NO suppression list is applied'}; if people were erased elsewhere, import their list first (segflow privacy import-suppressions)`);
  }
  if (shared) {
    warnings.push(`this machine's event store is new, and the shared state ${origins.stateLocation} holds a suppression list (${origins.stateHashes} hash(es)); it is applied: those people's events are dropped at ingest and never synced`);
  }
  return warnings;
}
