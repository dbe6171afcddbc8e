import { join } from 'node:path';
import { openStateStore, type StateLocation } from '../../core/store/state/open-state-store.js';
import type { StateStore } from '../../core/store/state/state-store.js';
import { freshSchema, postgresUrl } from './postgres-state.js';
import { temporaryDirectory } from './temporary-directory.js';

/**
 * The state drivers every state-touching suite runs against (unstorage's
 * testDriver pattern): SQLite in a temporary file, and a fresh schema in the
 * throwaway PostgreSQL cluster the test run started (postgres-global-setup.ts).
 */
export interface StateDriverCase {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty location for one test. */
  location(label: string): StateLocation;
}

export const STATE_DRIVERS: StateDriverCase[] = [
  { name: 'sqlite', location: (label) => ({ driver: 'sqlite', path: join(temporaryDirectory(`state-${label}`), 'state.sqlite') }) },
  { name: 'postgres', location: (label) => ({ driver: 'postgres', url: postgresUrl(), schema: freshSchema(label) }) },
];

export function openFresh(driver: StateDriverCase, label: string): Promise<StateStore> {
  return openStateStore(driver.location(label));
}
