import { triggersTestJob } from '../../core/runtime/triggers/triggers-test-job.js';
import { EXIT_CODES } from '../exit-codes.js';
import { formatTriggersTest } from '../output/triggers-table.js';
import { withWorkspace } from './with-workspace.js';

/** `segflow triggers test FILE`: replay stored events through the mapping's triggers; report what would fire and what would be held, send nothing. */
export async function triggersTestCommand(options: { file: string; state?: string; json: boolean; until?: string }): Promise<number> {
  return withWorkspace(options.file, options.state, async (workspace) => {
    const until = options.until === undefined ? undefined : options.until === 'now' ? workspace.now() : Date.parse(options.until);
    const result = await triggersTestJob(workspace, until === undefined ? {} : { until });
    process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatTriggersTest(result));
    return EXIT_CODES.done;
  });
}
