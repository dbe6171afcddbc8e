/**
 * The state-store columns that may hold raw e-mails, phones or traits, and
 * so are sealed with the field cipher (core/privacy/field-cipher.ts) when a
 * key is configured. Each is written and read through its state module; this
 * list is what `segflow keys rotate` walks, and what a DPO reads to know what
 * is encrypted.
 *
 * - sink_acks: the vendor record key (an e-mail for most sinks) and the
 *   property values last sent (mapped traits: e-mail, phone, name);
 * - dead_letters: the record key and the whole refused change; the error
 *   message is masked before it is stored (mask-pii.ts), so stays readable;
 * - trigger_outbox: the action, whose payload carries profile traits;
 * - trigger_timers: a firing deferred by quiet hours, with its event fields;
 * - trigger_profiles: each profile's trigger state, which keeps snapshots of
 *   the event fields its payloads name (an inactivity trigger's last event).
 *
 * Not here (plaintext by design):
 * identity_nodes (`u:`/`a:` identifiers are join keys: a keyed hash, not a
 * cipher, is what fits them), the masked error texts, and ids of profiles,
 * runs, sinks and triggers.
 */
export interface EncryptedTable {
  table: string;
  /** Columns that identify a row, for the re-encrypting UPDATE. */
  keyColumns: readonly string[];
  columns: readonly string[];
}

export const ENCRYPTED_TABLES: readonly EncryptedTable[] = [
  { table: 'sink_acks', keyColumns: ['account', 'profile_id'], columns: ['record_key', 'properties', 'pending_properties'] },
  { table: 'dead_letters', keyColumns: ['id'], columns: ['record_key', 'change'] },
  { table: 'trigger_outbox', keyColumns: ['id'], columns: ['action'] },
  { table: 'trigger_timers', keyColumns: ['profile_id', 'trigger_id', 'timer_id'], columns: ['deferred'] },
  { table: 'trigger_profiles', keyColumns: ['profile_id'], columns: ['state'] },
];

/** The additional authenticated data of a column's values: a value copied to another column does not open. */
export function columnContext(table: string, column: string): string {
  return `${table}.${column}`;
}
