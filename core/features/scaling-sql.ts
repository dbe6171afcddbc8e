import { sqlIdentifier } from './sql-quote.js';
import type { ScalingMethod } from './scaling.js';

/**
 * Scaled copies of feature columns (`<name>_scaled`), in SQL so they are
 * computed where the features live, with scikit-learn's semantics (the same
 * as scaling.ts: population standard deviation, linear-interpolation
 * quantiles, a zero scale replaced by 1, NULLs ignored and kept).
 */
export function scalingSql(method: ScalingMethod, columns: readonly string[]): string[] {
  return columns.flatMap((name) => {
    const column = sqlIdentifier(name);
    const target = sqlIdentifier(`${name}_scaled`);
    let center: string;
    let scale: string;
    switch (method) {
      case 'zscore':
        center = `avg(${column})`;
        scale = `stddev_pop(${column})`;
        break;
      case 'minmax':
        center = `min(${column})`;
        scale = `max(${column}) - min(${column})`;
        break;
      case 'robust':
        center = `quantile_cont(${column}, 0.5)`;
        scale = `quantile_cont(${column}, 0.75) - quantile_cont(${column}, 0.25)`;
        break;
    }
    return [
      `ALTER TABLE features ADD COLUMN IF NOT EXISTS ${target} DOUBLE`,
      `UPDATE features SET ${target} = (${column} - s.center) / s.scale
       FROM (SELECT ${center} AS center, CASE WHEN coalesce(${scale}, 0) = 0 THEN 1 ELSE ${scale} END AS scale FROM features) s`,
    ];
  });
}
