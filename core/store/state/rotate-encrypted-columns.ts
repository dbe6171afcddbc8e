import { UserError } from '../../errors/user-error.js';
import { PII_ENCRYPTION_KEYS_VARIABLE, type FieldCipher } from '../../privacy/field-cipher.js';
import type { SqlClient, SqlValue } from '../sql/sql-client.js';
import { columnContext, ENCRYPTED_TABLES, type EncryptedTable } from './encrypted-columns.js';

export interface TableRotation {
  table: string;
  /** Rows rewritten. */
  rows: number;
  /** Values that were sealed under an older key and are now under the current one. */
  reencrypted: number;
  /** Values that were plaintext (written before a key was configured) and are now sealed. */
  encrypted: number;
}

/**
 * Re-seals every value of the encrypted columns that is not under the
 * current key: older keys' values are opened and sealed again, plaintext
 * left from before encryption is sealed for the first time.
 *
 * One transaction per table, so a crash leaves each table either wholly
 * before or wholly after; running again picks up where it stopped and, once
 * everything is under the current key, changes nothing (it selects only
 * rows with a value still to do). Each table's rows to do are held in memory
 * while its transaction runs.
 */
export async function rotateEncryptedColumns(sql: SqlClient, cipher: FieldCipher, tables: readonly EncryptedTable[] = ENCRYPTED_TABLES): Promise<TableRotation[]> {
  const current = cipher.currentKeyId;
  if (current === undefined) throw new UserError(`no encryption key is configured: set ${PII_ENCRYPTION_KEYS_VARIABLE}=<new id>:<base64 key>,<old id>:<old key> (the first seals, the others open), then rotate`);
  const prefix = `enc:v1:${current}:`;
  const results: TableRotation[] = [];
  for (const table of tables) results.push(await rotateTable(sql, cipher, table, prefix));
  return results;
}

async function rotateTable(sql: SqlClient, cipher: FieldCipher, table: EncryptedTable, prefix: string): Promise<TableRotation> {
  const result: TableRotation = { table: table.table, rows: 0, reencrypted: 0, encrypted: 0 };
  const stale = table.columns.map((column) => `(${column} IS NOT NULL AND substr(${column}, 1, ${prefix.length}) <> ?)`).join(' OR ');
  const select = `SELECT ${[...table.keyColumns, ...table.columns].join(', ')} FROM ${table.table} WHERE ${stale}`;
  const update = `UPDATE ${table.table} SET ${table.columns.map((column) => `${column} = ?`).join(', ')} WHERE ${table.keyColumns.map((column) => `${column} = ?`).join(' AND ')}`;
  return sql.transaction(async (tx) => {
    const rows = await tx.all<Record<string, SqlValue>>(select, table.columns.map(() => prefix));
    const updates: SqlValue[][] = [];
    for (const row of rows) {
      const where = `${table.table} row ${table.keyColumns.map((column) => String(row[column])).join('/')}`;
      const values = table.columns.map((column) => {
        const stored = row[column];
        if (typeof stored !== 'string' || stored.startsWith(prefix)) return stored ?? null;
        if (cipher.keyIdOf(stored) === undefined) result.encrypted++;
        else result.reencrypted++;
        const context = columnContext(table.table, column);
        return cipher.seal(cipher.open(stored, context, `${where}, column ${column}`), context);
      });
      updates.push([...values, ...table.keyColumns.map((column) => row[column] ?? null)]);
    }
    await tx.runBatch(update, updates);
    result.rows = updates.length;
    return result;
  });
}
