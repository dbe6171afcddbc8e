import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { formatIssue } from '../../core/config/config-issue.js';
import { normalizeKey } from '../../core/sync/desired-state.js';
import { addSuppression } from '../../core/privacy/suppressions.js';
import { UserError } from '../../core/errors/user-error.js';
import { openStateDb } from '../../core/store/state-db.js';
import { openEventStore } from '../../core/store/event-store.js';
import { eraseProfilesByEmail } from '../../core/privacy/erase-profile.js';
import { resolveStateDir } from './run.js';
import { syncCommand } from './sync.js';
import { loadMapping } from './validate.js';
import type { StateDb } from '../../core/store/state-db.js';

function purgeDeadLetters(state: StateDb, key: string, profileIds: readonly string[]): void {
  const byKey = state.prepare("DELETE FROM sink_dlq WHERE json_extract(change, '$.record.key') = ?");
  const byProfile = state.prepare('DELETE FROM sink_dlq WHERE profile_id = ?');
  state.transaction(() => {
    byKey.run(key);
    for (const profileId of profileIds) byProfile.run(profileId);
  })();
}

/**
 * `segflow forget FILE --email E`: an erasure request. The key goes on the
 * suppression list (as a hash); every profile that carried the email loses
 * its events, identity links, features and memberships in the local stores;
 * then a sync deletes the record from every sink that holds it (or empties
 * it where the vendor has no delete), and no later run syncs it again.
 */
export async function forgetCommand(options: { file: string; state?: string; email?: string; key?: string }): Promise<number> {
  const raw = options.email ?? options.key;
  if (raw === undefined) throw new UserError('forget needs --email ADDRESS (or --key VALUE for sinks matched on another trait)');
  const key = normalizeKey(options.email !== undefined ? 'email' : 'key', raw);
  if (key === null) throw new UserError('forget: the identifier is empty');
  const loaded = loadMapping(options.file);
  if (!loaded.ok) {
    for (const issue of loaded.issues) process.stderr.write(`${formatIssue(issue)}\n`);
    return 1;
  }
  const stateDir = resolveStateDir(options.file, options.state, process.env);
  if (!existsSync(join(stateDir, 'state.sqlite'))) throw new UserError(`no state in ${stateDir}: nothing has been synced yet`);
  const state = openStateDb(join(stateDir, 'state.sqlite'));
  try {
    const added = addSuppression(state, key, 'erasure request (segflow forget)', Date.now);
    process.stderr.write(added ? 'erasure request recorded\n' : 'already on the suppression list\n');
    if (options.email !== undefined && existsSync(join(stateDir, 'events.duckdb'))) {
      const store = await openEventStore(join(stateDir, 'events.duckdb'));
      try {
        const erased = await eraseProfilesByEmail(store.connection, state, key);
        // Sinks keyed by userId or another trait are found through the profile; dead letters hold the raw record.
        for (const profileId of erased.profileIds) addSuppression(state, `profile:${profileId}`, 'erasure request (segflow forget)', Date.now);
        purgeDeadLetters(state, key, erased.profileIds);
        process.stderr.write(`erased ${erased.profiles} profile(s) and ${erased.events.toLocaleString('en-US')} event(s) from the local stores; deleting from every sink\n`);
      } finally {
        store.close();
      }
    }
  } finally {
    state.close();
  }
  return syncCommand({ file: options.file, ...(options.state ? { state: options.state } : {}), json: false, quiet: true, dryRun: false });
}
