import { readSuppressionContent, suppressionFilePath, SUPPRESSION_FILE_VARIABLE } from '../privacy/suppression-file.js';
import { suppressionOriginWarnings } from '../privacy/fresh-state-warning.js';
import { rewrittenSourceFiles } from '../privacy/rewritten-source-files.js';
import type { Workspace } from './workspace.js';

/**
 * The privacy lines `segflow run` prints before it starts (stderr, one
 * line each): a new, empty state hears where the suppression list made
 * elsewhere is and whether it is applied (fresh-state-warning.ts); a state
 * with people on the list hears of source files rewritten since they were
 * ingested (rewritten-source-files.ts). Reading them costs a count, the
 * suppression file's lines and a stat per ingested file.
 */
export async function privacyStartupWarnings(workspace: Workspace): Promise<string[]> {
  const { state } = workspace;
  const path = suppressionFilePath(workspace.baseDir, workspace.env);
  const configured = (workspace.env[SUPPRESSION_FILE_VARIABLE] ?? '') !== '';
  let content: ReturnType<typeof readSuppressionContent>;
  try {
    content = readSuppressionContent(path);
  } catch {
    // A damaged file stops the run itself, with its line number: no second message here.
    return [];
  }
  const fileHashes = content === undefined ? 0 : content.entries.length + content.stateEntries.length;
  const stateHashes = (await state.suppressions.hashes()).size;
  const newState = !workspace.hasEvents() && (state.driver !== 'sqlite' || (await state.runs.recent(1)).length === 0);
  const warnings = suppressionOriginWarnings({
    newState, stateHashes, stateDriver: state.driver, stateLocation: state.location,
    file: { path, configured, present: content !== undefined, hashes: fileHashes, variable: SUPPRESSION_FILE_VARIABLE },
  });
  if (fileHashes + stateHashes === 0 || !workspace.hasEvents()) return warnings;
  const events = await workspace.events();
  for (const source of workspace.mapping.sources) {
    const progress = await events.progress(source.id);
    for (const file of rewrittenSourceFiles(progress?.cursor)) {
      warnings.push(`source "${source.id}": ${file} was rewritten since it was ingested, so it is read again from the start; the suppression list is applied to it (${fileHashes} hash(es) in ${path}, ${stateHashes} in the state), so erased people's events in it are dropped`);
    }
  }
  return warnings;
}
