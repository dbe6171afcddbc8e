import type { FeaturesConfig } from '../config/mapping-schema.js';
import { sqlIdentifier } from './sql-quote.js';

/**
 * The missing-value policy, as SQL run after the feature table is built.
 * Population statistics (mean, median) are taken over profiles that have a
 * value, before any filling, so the order of policies does not matter.
 */
export function missingValueSql(missing: FeaturesConfig['missing']): string[] {
  const statements: string[] = [];
  for (const [feature, policy] of Object.entries(missing)) {
    const column = sqlIdentifier(feature);
    let fill: string;
    if (policy === 'null') continue;
    else if (policy === 'zero') fill = '0';
    else if (policy === 'mean') fill = `(SELECT avg(${column}) FROM features)`;
    else if (policy === 'median') fill = `(SELECT median(${column}) FROM features)`;
    else fill = String(policy.constant);
    statements.push(`UPDATE features SET ${column} = ${fill} WHERE ${column} IS NULL`);
  }
  // Stats must come from the unfilled table: compute them all first.
  return statements.length > 1 ? hoistStatistics(statements) : statements;
}

function hoistStatistics(statements: string[]): string[] {
  const snapshot = 'CREATE OR REPLACE TEMP TABLE features_before_fill AS SELECT * FROM features';
  return [snapshot, ...statements.map((statement) => statement.replace(/FROM features\)/g, 'FROM features_before_fill)')), 'DROP TABLE features_before_fill'];
}
