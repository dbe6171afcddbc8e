import type { Migration } from './report-input.js';

/**
 * Reads the migration matrix back from the table `segflow run` prints (the
 * run summary's `migrationTable`): the summary carries no structured matrix
 * yet. Rows start with the previous segment's id (names may hold spaces), and
 * end with one count per column; the (new) row leaves its (gone) cell blank.
 */
export function parseMigrationTable(segmentation: string, rendered: string): Migration | undefined {
  const lines = rendered.split('\n');
  const header = lines[1]?.trim().split(/\s+/);
  if (header === undefined || header.length === 0) return undefined;
  const from: string[] = [];
  const counts: number[][] = [];
  for (const line of lines.slice(2)) {
    if (line.startsWith('Moved:') || line.startsWith('Retention:') || line.trim() === '') break;
    const tokens = line.trim().split(/\s+/);
    const id = tokens[0] as string;
    const cells = id === '(new)' ? header.length - 1 : header.length;
    const numbers = tokens.slice(-cells).map((token) => Number(token.replace(/,/g, '')));
    if (numbers.some((value) => !Number.isFinite(value))) return undefined;
    from.push(id);
    counts.push(cells < header.length ? [...numbers, 0] : numbers);
  }
  return from.length === 0 ? undefined : { segmentation, from, to: header, counts };
}
