import type { SqlClient } from '../sql/sql-client.js';

/** One row per run, plan or sync: when, for which mapping, how it ended, and its summary (JSON). */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'aborted';

export interface RunRecord {
  runId: string;
  mapping: string;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  summary: unknown;
}

export interface RunHistory {
  start(run: { runId: string; mapping: string; startedAt: string }): Promise<void>;
  finish(runId: string, outcome: { status: Exclude<RunStatus, 'running'>; finishedAt: string; summary: unknown }): Promise<void>;
  /** Newest first. */
  recent(limit: number): Promise<RunRecord[]>;
  /** Every mapping file that ran against this state (older segflows recorded no owner). */
  mappings(): Promise<string[]>;
  /**
   * Erasure: every occurrence of these identifiers (any letter case) in stored
   * summaries (failure samples, example changes) becomes `replacement`.
   * Returns how many runs were rewritten.
   */
  scrub(identifiers: readonly string[], replacement: string): Promise<number>;
}

export function createRunHistory(sql: SqlClient): RunHistory {
  return {
    async start(run) {
      await sql.run('INSERT INTO runs (run_id, mapping, started_at, status) VALUES (?, ?, ?, ?)', [run.runId, run.mapping, run.startedAt, 'running']);
    },
    async finish(runId, outcome) {
      await sql.run('UPDATE runs SET finished_at = ?, status = ?, summary = ? WHERE run_id = ?', [outcome.finishedAt, outcome.status, JSON.stringify(outcome.summary), runId]);
    },
    async mappings() {
      const rows = await sql.all<{ mapping: string }>('SELECT DISTINCT mapping FROM runs ORDER BY mapping');
      return rows.map((row) => row.mapping);
    },
    async scrub(identifiers, replacement) {
      const forms = identifiers.filter((identifier) => identifier !== '').map((identifier) => JSON.stringify(identifier).slice(1, -1));
      if (forms.length === 0) return 0;
      const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      // An email anywhere (vendor messages quote it); another identifier as a whole string value or inside a profile id (`u:<id>`),
      // so a short userId cannot garble the numbers around it.
      const pattern = new RegExp(forms.map((form) => (form.includes('@') ? escape(form) : `(?<="|\\b[ua]:)${escape(form)}(?![\\w.@-])`)).join('|'), 'gi');
      return sql.transaction(async (tx) => {
        const runs = new Map<string, string>();
        for (const form of forms) {
          const rows = await tx.all<{ run_id: string; summary: string }>("SELECT run_id, summary FROM runs WHERE summary IS NOT NULL AND lower(summary) LIKE '%' || lower(?) || '%'", [form]);
          for (const row of rows) runs.set(row.run_id, row.summary);
        }
        let rewritten = 0;
        for (const [runId, summary] of runs) {
          const scrubbed = summary.replace(pattern, replacement);
          if (scrubbed !== summary) rewritten += (await tx.run('UPDATE runs SET summary = ? WHERE run_id = ?', [scrubbed, runId])).changes;
        }
        return rewritten;
      });
    },
    async recent(limit) {
      const rows = await sql.all<{ run_id: string; mapping: string; started_at: string; finished_at: string | null; status: RunStatus; summary: string | null }>(
        'SELECT run_id, mapping, started_at, finished_at, status, summary FROM runs ORDER BY started_at DESC, run_id DESC LIMIT ?', [limit]);
      return rows.map((row) => ({
        runId: row.run_id, mapping: row.mapping, startedAt: row.started_at, finishedAt: row.finished_at, status: row.status,
        summary: row.summary === null ? null : (JSON.parse(row.summary) as unknown),
      }));
    },
  };
}
