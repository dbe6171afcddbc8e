import type { DuckDBConnection } from '@duckdb/node-api';

/** A run that read rows and stored none of them: almost always a mapping mistake (a wrong timestamp_format, a wrong delimiter). */
export interface AllQuarantinedAlarm {
  read: number;
  quarantineFile: string | null;
  /** The commonest reasons, most frequent first, each with one full example. */
  topReasons: Array<{ count: number; example: string }>;
}

const TOP_REASONS = 3;

/** Pure: whether this run's counts call for the alarm. */
export function everyRowQuarantined(events: { read: number; quarantined: number }): boolean {
  return events.read > 0 && events.quarantined === events.read;
}

/**
 * The run's commonest quarantine reasons. Reasons quote the offending value
 * ("timestamp \"13/01/2024\" …"), so they are grouped with quoted text and
 * numbers blanked out, and one full reason stands for each group.
 */
export async function topQuarantineReasons(connection: DuckDBConnection, runId: string, limit = TOP_REASONS): Promise<AllQuarantinedAlarm['topReasons']> {
  const reader = await connection.runAndReadAll(`
    SELECT count(*) AS n, min(reason) AS example
    FROM quarantine WHERE run_id = $1
    GROUP BY regexp_replace(regexp_replace(reason, '"[^"]*"', '""', 'g'), '[0-9]+', '0', 'g')
    ORDER BY n DESC, example LIMIT ${Math.max(1, Math.round(limit))}`, [runId]);
  return reader.getRows().map(([count, example]) => ({ count: Number(count), example: String(example) }));
}

/** The lines `segflow run` prints on stderr for the alarm. */
export function describeAllQuarantined(alarm: AllQuarantinedAlarm): string {
  const reasons = alarm.topReasons.map((reason) => `  ${reason.count.toLocaleString('en-US')} × ${reason.example}`);
  return [
    `segflow: every one of the ${alarm.read.toLocaleString('en-US')} rows read this run was quarantined; nothing new was stored. Top reasons:`,
    ...reasons,
    `Fix the mapping (a wrong timestamp_format, delimiter or column?) or the input, then run again${alarm.quarantineFile ? `; every row and reason: ${alarm.quarantineFile}` : ''}.`,
  ].join('\n');
}
