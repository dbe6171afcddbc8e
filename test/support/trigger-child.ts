/**
 * A trigger engine in its own process, for the trigger crash test: it opens
 * the state, moves the engine clock to the wall-clock time it is given and
 * fires every timer that lets fire, 100 profiles per commit. Around each
 * commit it prints `committing <n>` and `committed <n> <duplicate action
 * ids>`, so the parent can SIGKILL it at a place in its work (not at a
 * moment a busy machine stretches).
 *
 * With a kill point `<commit>:<statement>` it SIGKILLs itself inside that
 * commit's transaction, just before its statement-th SQL statement (or, for
 * `<commit>:end`, after the last one and before COMMIT): a crash at an exact
 * place in the transaction, which a kill sent from outside lands on only by
 * chance. Statements are counted per commit, across transactions, so a
 * commit split in two would be caught between them.
 *
 * Arguments: state location (JSON), wall-clock time (ms), kill point or `none`.
 * Prints the engine's result as JSON when it finishes.
 */
import type { SqlClient, SqlExecutor } from '../../core/store/sql/sql-client.js';
import { openSqliteClient } from '../../core/store/sql/sqlite-client.js';
import type { StateLocation } from '../../core/store/state/open-state-store.js';
import { createStateStore } from '../../core/store/state/state-store.js';
import { TriggerEngine } from '../../core/triggers/trigger-engine.js';
import type { TriggerStateRepository } from '../../core/triggers/trigger-state-repository.js';
import { profileLookup } from '../../core/triggers/trigger-fixtures.test-support.js';
import { CRASH_TRIGGERS } from './trigger-crash-fixtures.js';

const [locationJson, wallClock, killPoint = 'none'] = process.argv.slice(2);
if (locationJson === undefined || wallClock === undefined) throw new Error('usage: trigger-child <state location JSON> <wall clock ms> [<commit>:<statement>|<commit>:end|none]');
const [killCommit, killStatement] = killPoint === 'none' ? [0, ''] : [Number(killPoint.split(':')[0]), killPoint.split(':')[1] ?? ''];

const location = JSON.parse(locationJson) as StateLocation;
const client: SqlClient =
  location.driver === 'sqlite' ? openSqliteClient(location.path) : await (await import('../../core/store/sql/postgres-client.js')).openPostgresClient({ url: location.url, schema: location.schema });

let commit = 0;
let statements = 0;
const die = (): void => {
  process.kill(process.pid, 'SIGKILL');
};
const beforeStatement = (): void => {
  if (commit === killCommit && String(++statements) === killStatement) die();
};
const counted = (tx: SqlExecutor): SqlExecutor => ({
  dialect: tx.dialect,
  all: (sql, parameters) => (beforeStatement(), tx.all(sql, parameters)),
  get: (sql, parameters) => (beforeStatement(), tx.get(sql, parameters)),
  run: (sql, parameters) => (beforeStatement(), tx.run(sql, parameters)),
  runBatch: (sql, rows) => (beforeStatement(), tx.runBatch(sql, rows)),
  exec: (sql) => (beforeStatement(), tx.exec(sql)),
});
const crashing: SqlClient = {
  ...client,
  transaction: (work) =>
    client.transaction(async (tx) => {
      const result = await work(counted(tx));
      if (commit === killCommit && killStatement === 'end') die();
      return result;
    }),
};
const state = createStateStore(crashing);

const repository: TriggerStateRepository = {
  loadClock: () => state.triggers.loadClock(),
  loadProfiles: (profileIds) => state.triggers.loadProfiles(profileIds),
  dueProfiles: (clock, limit) => state.triggers.dueProfiles(clock, limit),
  commit: async (batch) => {
    const current = ++commit;
    statements = 0;
    process.stdout.write(`committing ${current}\n`);
    const result = await state.triggers.commit(batch);
    process.stdout.write(`committed ${current} ${result.duplicateActionIds.length}\n`);
    return result;
  },
};
const now = Number(wallClock);
const engine = new TriggerEngine({ triggers: CRASH_TRIGGERS, repository, profiles: profileLookup(), now: () => now, dueBatchSize: 100 });
const result = await engine.advanceTo(now);
await state.close();
process.stdout.write(`${JSON.stringify({ actions: result.actions.length, timersFired: result.timersFired, duplicateActions: result.duplicateActions, commits: commit })}\n`);
