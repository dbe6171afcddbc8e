import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { buildReport, readReportInput, renderReportHtml } from '../../core/report/index.js';
import type { Workspace } from '../../core/runtime/index.js';
import { EXIT_CODES } from '../exit-codes.js';
import { withWorkspace } from './with-workspace.js';

export interface ReportCommandOptions {
  file: string;
  state?: string;
  /** @default report.html in the current directory */
  out?: string;
}

/** Apache ECharts' minified build, inlined into every report so it opens with no network. */
export function chartLibrarySource(): string {
  return readFileSync(createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'), 'utf8');
}

/** `segflow report FILE`: the last run (and the one before, for migration) as one self-contained HTML file; runs nothing. */
export async function reportCommand(options: ReportCommandOptions): Promise<number> {
  return withWorkspace(options.file, options.state, async (workspace) => {
    process.stdout.write(`${await writeReport(workspace, resolve(options.out ?? 'report.html'))}\n`);
    return EXIT_CODES.done;
  });
}

/** Writes the latest run's report to `out`; returns the line that says where. */
export async function writeReport(workspace: Workspace, out: string): Promise<string> {
  const input = await readReportInput(workspace);
  const html = renderReportHtml(buildReport(input), { chartLibrary: chartLibrarySource() });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, html);
  return `report of run ${input.run.runId}: ${out} (${Math.ceil(Buffer.byteLength(html) / 1024).toLocaleString('en-US')} KB)`;
}
