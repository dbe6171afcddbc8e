import { ConfigError } from '../../core/config/config-issue.js';
import { openWorkspace, type Workspace } from '../../core/runtime/index.js';
import { SANDBOXES } from '../../connectors/sandbox.js';
import { createConnectors } from '../../connectors/wiring.js';
import { loadMapping } from './validate.js';

/**
 * Loads the mapping (every problem printed at file:line:col), opens its
 * workspace, runs one job, closes the workspace whatever happens. The CLI
 * wires the sandboxes (a user feature: `sandbox: true`) into the connectors.
 */
export async function withWorkspace(file: string, stateDir: string | undefined, work: (workspace: Workspace) => Promise<number>): Promise<number> {
  const loaded = loadMapping(file);
  // Every located problem, printed by the CLI's error reporter (as a JSON error object with --json); nothing is run.
  if (!loaded.ok) throw new ConfigError(loaded.issues);
  const workspace = await openWorkspace({
    mapping: loaded.mapping, mappingFile: file, connectors: createConnectors({ sandboxes: SANDBOXES }), ...(stateDir ? { stateDir } : {}),
  });
  try {
    for (const note of workspace.notes) process.stderr.write(`segflow: ${note}\n`);
    return await work(workspace);
  } finally {
    await workspace.close();
  }
}

/** First Ctrl-C stops at the next checkpoint or batch boundary; committed work stays. */
export function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  return controller.signal;
}
