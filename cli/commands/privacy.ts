import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { recordSuppressionTransfer } from '../../core/audit/record-suppressions.js';
import { exportSuppressions, importSuppressions } from '../../core/privacy/suppression-transfer.js';
import { suppressionFilePath } from '../../core/privacy/suppression-file.js';
import { EXIT_CODES } from '../exit-codes.js';
import { withWorkspace } from './with-workspace.js';

/**
 * `segflow privacy export-suppressions FILE [--out f.jsonl]`: the mapping's
 * suppression list (its shared file and its state's list) as hashes only.
 * `segflow privacy import-suppressions FILE --from f.jsonl`: merges such a
 * file into this mapping's shared file and state, idempotently; refuses one
 * hashed another way (core/privacy/suppression-transfer.ts). Both are
 * recorded in the audit trail.
 */
export type PrivacyCommandOptions =
  | { action: 'export-suppressions'; file: string; state?: string; out?: string }
  | { action: 'import-suppressions'; file: string; state?: string; from: string };

export async function privacyCommand(options: PrivacyCommandOptions): Promise<number> {
  return withWorkspace(options.file, options.state, async (workspace) => {
    const sharedFile = suppressionFilePath(workspace.baseDir, workspace.env);
    if (options.action === 'export-suppressions') {
      const exported = await exportSuppressions(workspace.state, sharedFile, workspace.env);
      const where = options.out === undefined ? 'stdout' : resolve(options.out);
      if (options.out === undefined) process.stdout.write(exported.text);
      else writeFileSync(where, exported.text, { mode: 0o600 });
      await recordSuppressionTransfer(workspace, 'export', { file: where, scheme: exported.scheme, hashes: exported.fileHashes + exported.stateHashes });
      process.stderr.write(`exported ${exported.fileHashes} suppression hash(es) of the shared file (${exported.scheme}) and ${exported.stateHashes} of the state's list to ${where} (hashes only; import it with \`segflow privacy import-suppressions MAPPING --from FILE\`)\n`);
      return EXIT_CODES.done;
    }
    const from = resolve(options.from);
    const imported = await importSuppressions(workspace.state, sharedFile, from, workspace.env);
    await recordSuppressionTransfer(workspace, 'import', { file: from, scheme: imported.scheme, hashes: imported.read, added: imported.addedToFile + imported.addedToState + imported.stateLinesToFile });
    const nothing = imported.addedToFile === 0 && imported.addedToState === 0 && imported.stateLinesToFile === 0;
    process.stderr.write(`imported ${imported.addedToFile} new hash(es) into ${sharedFile} and ${imported.addedToState} new into the state's list${nothing ? ': already there' : ''} (${imported.read} read from ${from}); the next run drops these people's events at ingest and deletes them from the sinks\n`);
    return EXIT_CODES.done;
  });
}
