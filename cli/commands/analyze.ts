import { analyzeJob } from '../../core/runtime/index.js';
import { EXIT_CODES } from '../exit-codes.js';
import { formatAnalysis } from '../output/analysis-table.js';
import { withWorkspace } from './with-workspace.js';

/** `segflow analyze FILE`: journeys, drift since the last run, segment validation, trends and A/B holdout uplift; changes nothing. */
export async function analyzeCommand(options: { file: string; state?: string; json: boolean }): Promise<number> {
  return withWorkspace(options.file, options.state, async (workspace) => {
    const analysis = await analyzeJob(workspace);
    process.stdout.write(options.json ? `${JSON.stringify(analysis, null, 2)}\n` : formatAnalysis(analysis));
    return EXIT_CODES.done;
  });
}
