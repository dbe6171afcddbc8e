import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeVerdict, exportTrail, verifyTrail } from '../../core/audit/index.js';
import { UserError } from '../../core/errors/user-error.js';
import { EXIT_CODES } from '../exit-codes.js';
import { withWorkspace } from './with-workspace.js';

export interface AuditCommandOptions {
  action: 'verify' | 'export';
  file: string;
  state?: string;
  /** `export`: where to write the JSONL (default: stdout). */
  out?: string;
  /** `export`: only entries from this time on ("now" or ISO-8601, as the option parser accepts). */
  since?: string;
}

/**
 * `segflow audit verify FILE`: walks the mapping's audit trail and exits 0
 * when it is intact, else 1 with one line naming the first edited or
 * missing entry. `segflow audit export FILE [--out f.jsonl] [--since ISO]`:
 * the trail as JSONL for a DPO, ending with a line that carries the head
 * hash; a broken trail is still written (the head line says where it
 * breaks), and the command then fails as verify does.
 */
export async function auditCommand(options: AuditCommandOptions): Promise<number> {
  return withWorkspace(options.file, options.state, async (workspace) => {
    if (options.action === 'verify') {
      const verdict = await verifyTrail(workspace.state, workspace.env);
      if (!verdict.intact) throw new UserError(`${describeVerdict(verdict)} (${workspace.state.location})`);
      process.stdout.write(`${describeVerdict(verdict)}\n`);
      return EXIT_CODES.done;
    }
    const since = options.since === undefined ? undefined : new Date(options.since === 'now' ? workspace.now() : Date.parse(options.since)).toISOString();
    const exported = await exportTrail(workspace.state, workspace.env, { now: workspace.now, ...(since !== undefined ? { since } : {}) });
    if (options.out === undefined) process.stdout.write(exported.text);
    else {
      writeFileSync(resolve(options.out), exported.text, { mode: 0o600 });
      process.stderr.write(`wrote ${exported.listed} audit entries and the head line to ${options.out}\n`);
    }
    if (!exported.verdict.intact) throw new UserError(`${describeVerdict(exported.verdict)} (${workspace.state.location}); the export was written, its last line says where the trail breaks`);
    return EXIT_CODES.done;
  });
}
