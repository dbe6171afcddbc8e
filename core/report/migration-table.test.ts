import { describe, expect, it } from 'vitest';
import { migrationMatrix, renderMigrationMatrix } from '../segments/migration-matrix.js';
import { parseMigrationTable } from './migration-table.js';

describe('parseMigrationTable', () => {
  it('reads back the counts of the table `segflow run` prints, names with spaces and thousands included', () => {
    const pairs: Array<[string | null, string | null]> = [
      ...Array.from({ length: 1_500 }, () => ['kmeans-1', 'kmeans-1'] as [string, string]),
      ...Array.from({ length: 7 }, () => ['kmeans-1', 'kmeans-2'] as [string, string]),
      ...Array.from({ length: 3 }, () => [null, 'kmeans-2'] as [null, string]),
      ['kmeans-2', null],
    ];
    const matrix = migrationMatrix(pairs);
    const rendered = renderMigrationMatrix(matrix, { 'kmeans-1': 'Big spenders · loyal', 'kmeans-2': 'Low spend' });
    expect(parseMigrationTable('behavior', rendered)).toEqual({ segmentation: 'behavior', from: matrix.from, to: matrix.to, counts: matrix.counts });
  });

  it('gives up on a table it does not recognise rather than guess', () => {
    expect(parseMigrationTable('behavior', 'Segment migration\n a b\nx y z')).toBeUndefined();
  });
});
