import { createFieldCipher, type FieldCipher } from '../../privacy/field-cipher.js';
import { openSqliteClient } from '../sql/sqlite-client.js';
import { createStateStore, type StateStore } from './state-store.js';

/**
 * Where operational state lives: an SQLite file (the default, embedded) or a
 * schema in a shared PostgreSQL database (several workers, one state).
 */
export type StateLocation = { driver: 'sqlite'; path: string } | { driver: 'postgres'; url: string; schema: string };

/** `cipher`: what seals PII columns (fieldCipherFromEnvironment); default none, values stored as given. */
export async function openStateStore(location: StateLocation, now: () => number = Date.now, cipher: FieldCipher = createFieldCipher([])): Promise<StateStore> {
  if (location.driver === 'sqlite') return createStateStore(openSqliteClient(location.path), now, cipher);
  // Loaded only when asked for: an embedded run never loads pg.
  const { openPostgresClient } = await import('../sql/postgres-client.js');
  return createStateStore(await openPostgresClient({ url: location.url, schema: location.schema }), now, cipher);
}

/** A state that starts empty and vanishes on close: plans against a sandbox, unit tests. */
export function openEphemeralStateStore(now: () => number = Date.now): StateStore {
  return createStateStore(openSqliteClient(':memory:'), now);
}
