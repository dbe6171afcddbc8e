import { recordKeyRotation } from '../audit/record-events.js';
import { fieldKeysFromEnvironment } from '../privacy/field-cipher-env.js';
import { PII_ENCRYPTION_KEYS_VARIABLE, type FieldKey } from '../privacy/field-cipher.js';
import { rotateEncryptedColumns, type TableRotation } from '../store/state/rotate-encrypted-columns.js';
import { holdJobLock } from './job-lock.js';
import type { Workspace } from './workspace.js';

export interface KeyRotationResult {
  rotations: TableRotation[];
  currentKeyId: string;
  /** Keys still listed after the current one: removable once this has run. */
  olderKeyIds: string[];
  /** Sequence number of the audit entry that records it. */
  auditSeq: number;
}

/**
 * `segflow keys rotate`: re-seals the state store's encrypted columns under
 * the first key of SEGFLOW_PII_ENCRYPTION_KEYS, then records the rotation
 * (fingerprints of the current and previous key, values re-sealed) in the
 * audit trail. Holds the sync lock while it rewrites, so no sync writes sink
 * state meanwhile; a crash before the audit entry leaves tables rotated and
 * a second run (nothing left to do) records the entry.
 */
export async function rotateKeysJob(workspace: Workspace): Promise<KeyRotationResult> {
  const keys = fieldKeysFromEnvironment(workspace.env);
  const lock = await holdJobLock(workspace.state.locks, 'sync', workspace.now);
  let rotations: TableRotation[];
  try {
    rotations = await rotateEncryptedColumns(workspace.state.sql, workspace.state.cipher);
  } finally {
    await lock.release();
  }
  // rotateEncryptedColumns refused an empty key list, so the current key exists.
  const [current, previous] = keys as [FieldKey, ...FieldKey[]];
  const entry = await recordKeyRotation(workspace, {
    name: PII_ENCRYPTION_KEYS_VARIABLE,
    newKey: fingerprintInput(current),
    ...(previous !== undefined ? { previousKey: fingerprintInput(previous) } : {}),
    reencrypted: rotations.reduce((sum, rotation) => sum + rotation.reencrypted + rotation.encrypted, 0),
  });
  return { rotations, currentKeyId: current.id, olderKeyIds: keys.slice(1).map((key) => key.id), auditSeq: entry.seq };
}

/** What the trail fingerprints: id and key bytes together, so the same bytes under a new id read as a new key. */
function fingerprintInput(key: FieldKey): string {
  return `${key.id}:${key.key.toString('base64')}`;
}
