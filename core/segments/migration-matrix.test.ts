import { describe, expect, it } from 'vitest';
import { GONE_PROFILES, NEW_PROFILES, migrationFromAssignments, migrationMatrix, renderMigrationMatrix } from './migration-matrix.js';

/**
 * Hand example, 12 profiles:
 *   p1–p4  kmeans-1 → kmeans-1        p5  kmeans-1 → kmeans-2
 *   p6–p7  kmeans-2 → kmeans-2        p8  kmeans-2 → gone
 *   p9     kmeans-3 (retired) → kmeans-2
 *   p10    kmeans-3 → kmeans-10 (new segment)
 *   p11–p12 new profiles → kmeans-10, kmeans-1
 * In both runs: 9 profiles (p1–p7, p9, p10); moved: p5, p9, p10 → 3/9.
 */
const PREVIOUS = new Map([
  ['p1', 'kmeans-1'], ['p2', 'kmeans-1'], ['p3', 'kmeans-1'], ['p4', 'kmeans-1'], ['p5', 'kmeans-1'],
  ['p6', 'kmeans-2'], ['p7', 'kmeans-2'], ['p8', 'kmeans-2'],
  ['p9', 'kmeans-3'], ['p10', 'kmeans-3'],
]);
const CURRENT = new Map([
  ['p1', 'kmeans-1'], ['p2', 'kmeans-1'], ['p3', 'kmeans-1'], ['p4', 'kmeans-1'], ['p5', 'kmeans-2'],
  ['p6', 'kmeans-2'], ['p7', 'kmeans-2'],
  ['p9', 'kmeans-2'], ['p10', 'kmeans-10'],
  ['p11', 'kmeans-10'], ['p12', 'kmeans-1'],
]);

describe('migrationMatrix', () => {
  const matrix = migrationFromAssignments(PREVIOUS, CURRENT);

  it('counts who moved where, with rows for new profiles and columns for gone ones', () => {
    expect(matrix.from).toEqual(['kmeans-1', 'kmeans-2', 'kmeans-3', NEW_PROFILES]);
    expect(matrix.to).toEqual(['kmeans-1', 'kmeans-2', 'kmeans-10', GONE_PROFILES]);
    expect(matrix.counts).toEqual([
      [4, 1, 0, 0],
      [0, 2, 0, 1],
      [0, 1, 1, 0],
      [1, 0, 1, 0],
    ]);
  });

  it('reports the share that moved among profiles present in both runs', () => {
    expect(matrix).toMatchObject({ inBoth: 9, moved: 3, newProfiles: 2, goneProfiles: 1 });
    expect(matrix.movedShare).toBeCloseTo(3 / 9, 12);
  });

  it('reports per-segment retention, not counting profiles that left the data as moves', () => {
    expect(matrix.retention).toEqual([
      { segment: 'kmeans-1', previousMembers: 5, stillPresent: 5, stayed: 4, retention: 0.8 },
      { segment: 'kmeans-2', previousMembers: 3, stillPresent: 2, stayed: 2, retention: 1 },
      { segment: 'kmeans-3', previousMembers: 2, stillPresent: 2, stayed: 0, retention: 0 },
    ]);
  });

  it('shows segments in the order given, empty ones included', () => {
    const ordered = migrationMatrix([['kmeans-2', 'kmeans-2']], {
      previousSegments: ['kmeans-2', 'kmeans-1'],
      currentSegments: ['kmeans-2', 'kmeans-5'],
    });
    expect(ordered.from).toEqual(['kmeans-2', 'kmeans-1', NEW_PROFILES]);
    expect(ordered.to).toEqual(['kmeans-2', 'kmeans-5', GONE_PROFILES]);
    expect(ordered.retention[1]!.retention).toBeNull();
    expect(renderMigrationMatrix(ordered)).toContain('Retention: kmeans-2 100.0% · kmeans-1 n/a');
    expect(ordered.movedShare).toBe(0);
  });

  it('renders a table for the CLI', () => {
    const text = renderMigrationMatrix(matrix, { 'kmeans-1': 'Champions', 'kmeans-2': 'Lapsed' });
    expect(text).toBe(
      [
        'Segment migration (rows: previous run, columns: this run)',
        '                    kmeans-1  kmeans-2  kmeans-10  (gone)',
        'kmeans-1 Champions         4         1          0       0',
        'kmeans-2 Lapsed            0         2          0       1',
        'kmeans-3                   0         1          1       0',
        '(new)                      1         0          1',
        'Moved: 33.3% of 9 profiles in both runs · new: 2 · gone: 1',
        'Retention: kmeans-1 80.0% · kmeans-2 100.0% · kmeans-3 0.0%',
      ].join('\n'),
    );
  });

  it('is plain data: its JSON form round-trips', () => {
    expect(JSON.parse(JSON.stringify(matrix))).toEqual(matrix);
  });
});
