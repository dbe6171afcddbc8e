import { PII_ENCRYPTION_KEYS_VARIABLE } from '../../core/privacy/field-cipher.js';
import { rotateKeysJob, type KeyRotationResult } from '../../core/runtime/rotate-keys-job.js';
import { EXIT_CODES } from '../exit-codes.js';
import { withWorkspace } from './with-workspace.js';

export interface KeysCommandOptions {
  action: 'rotate';
  file: string;
  state?: string;
}

/**
 * `segflow keys rotate FILE`: after a new key was put first in
 * SEGFLOW_PII_ENCRYPTION_KEYS (the old one kept after it), re-seals every
 * encrypted value of the state store under it and prints what it did per
 * table. Safe to run again: a second run finds nothing to do.
 */
export async function keysCommand(options: KeysCommandOptions): Promise<number> {
  return withWorkspace(options.file, options.state, async (workspace) => {
    process.stdout.write(formatKeyRotation(await rotateKeysJob(workspace)));
    return EXIT_CODES.done;
  });
}

export function formatKeyRotation(result: KeyRotationResult): string {
  const width = Math.max(...result.rotations.map((rotation) => rotation.table.length));
  const lines = result.rotations.map((rotation) =>
    `  ${rotation.table.padEnd(width)}  ${rotation.rows} row(s): ${rotation.reencrypted} value(s) re-encrypted, ${rotation.encrypted} encrypted from plaintext`);
  const removable = result.olderKeyIds.length === 0 ? '' : `; ${result.olderKeyIds.join(', ')} can now leave ${PII_ENCRYPTION_KEYS_VARIABLE} (restart running segflow processes with the shorter list)`;
  return `${lines.join('\n')}\nevery encrypted value is under key "${result.currentKeyId}" (audit entry #${result.auditSeq})${removable}\n`;
}
