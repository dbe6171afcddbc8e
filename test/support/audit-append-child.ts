/**
 * A worker appending to the audit trail in its own process, for the
 * concurrency test: opens the state, prints `ready`, waits for a line on
 * stdin (so every worker starts appending together, not as each finishes
 * loading), appends `count` entries one transaction each, prints
 * `appended <count>` and exits.
 *
 * Arguments: state location (JSON), count, worker name.
 */
import { once } from 'node:events';
import { openStateStore, type StateLocation } from '../../core/store/state/open-state-store.js';

const [locationJson, countText, worker] = process.argv.slice(2);
if (locationJson === undefined || countText === undefined || worker === undefined) throw new Error('usage: audit-append-child <state location JSON> <count> <worker>');
const state = await openStateStore(JSON.parse(locationJson) as StateLocation);
try {
  process.stdout.write('ready\n');
  await once(process.stdin, 'data');
  for (let index = 0; index < Number(countText); index++) await state.audit.append({ kind: 'triggers_fired', actor: worker, detail: { index } });
  process.stdout.write(`appended ${countText}\n`);
} finally {
  await state.close();
}
