/**
 * The baseline, run as its own process so its wall time and peak RSS are
 * measured exactly like segflow's:
 *   node --import tsx bench/ingest-features/baseline-pipeline.ts INPUT.jsonl DB.duckdb
 * Prints one JSON line: { events, profiles, asOf, timingsMs }.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { DUCKDB_SETTINGS } from './bench-settings.js';
import { DEDUP_SQL, IDENTITY_SQL, MISSING_SQL, asOfFromLastEvent, featuresSql, loadSql } from './baseline-sql.js';

export interface BaselineReport {
  events: number;
  profiles: number;
  asOf: string;
  timingsMs: { load: number; dedup: number; identity: number; features: number };
}

async function main(input: string, database: string): Promise<BaselineReport> {
  const instance = await DuckDBInstance.create(database, { ...DUCKDB_SETTINGS });
  const connection = await instance.connect();
  const scalar = async (sql: string) => Number((await connection.runAndReadAll(sql)).getRows()[0]?.[0] ?? 0);
  const timed = async (work: () => Promise<void>) => {
    const started = performance.now();
    await work();
    return Math.round(performance.now() - started);
  };
  try {
    const load = await timed(() => connection.run(loadSql(input)).then(() => undefined));
    const dedup = await timed(() => connection.run(DEDUP_SQL).then(() => undefined));
    const identity = await timed(() => connection.run(IDENTITY_SQL).then(() => undefined));
    let asOf = 0;
    const features = await timed(async () => {
      asOf = asOfFromLastEvent(await scalar('SELECT epoch_ms(max(ts)) FROM events'));
      await connection.run(featuresSql(asOf));
      await connection.run(MISSING_SQL);
    });
    return {
      events: await scalar('SELECT count(*) FROM events'),
      profiles: await scalar('SELECT count(*) FROM features'),
      asOf: new Date(asOf).toISOString(),
      timingsMs: { load, dedup, identity, features },
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const [input, database] = process.argv.slice(2);
if (input === undefined || database === undefined) {
  process.stderr.write('usage: baseline-pipeline.ts INPUT.jsonl DB.duckdb\n');
  process.exitCode = 2;
} else {
  main(input, database).then(
    (report) => process.stdout.write(`${JSON.stringify(report)}\n`),
    (error: unknown) => {
      process.stderr.write(`baseline: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
