/**
 * Who moved where between two runs of a segmentation: counts of profiles per
 * (previous segment, current segment). Segment ids are stable across runs
 * (segment-matching.ts), so the diagonal is "stayed" and everything off it is
 * a real move, which is what a marketer asks after a re-clustering ("did half
 * my Champions list just change?").
 *
 * The result is plain data: JSON.stringify(matrix) is its JSON form, and
 * renderMigrationMatrix is the CLI table.
 */

/** Row of profiles the previous run did not have. */
export const NEW_PROFILES = '(new)';
/** Column of profiles this run does not have. */
export const GONE_PROFILES = '(gone)';

export interface SegmentRetention {
  segment: string;
  /** Members in the previous run. */
  previousMembers: number;
  /** Of those, the ones this run still has (in any segment). */
  stillPresent: number;
  /** Of those, the ones still in this segment. */
  stayed: number;
  /** stayed / stillPresent; null when none is present (null, not NaN, survives JSON). Profiles that left the data are not moves. */
  retention: number | null;
}

export interface MigrationMatrix {
  /** Row keys: previous segment ids, then NEW_PROFILES. */
  from: string[];
  /** Column keys: current segment ids, then GONE_PROFILES. */
  to: string[];
  /** counts[row][column]; the (new, gone) corner is always 0. */
  counts: number[][];
  /** Profiles in a segment in both runs. */
  inBoth: number;
  /** Of those, the ones whose segment id changed. */
  moved: number;
  /** moved / inBoth (0 when inBoth is 0). */
  movedShare: number;
  newProfiles: number;
  goneProfiles: number;
  /** One per previous segment, in `from` order. */
  retention: SegmentRetention[];
}

export interface MigrationOptions {
  /** Previous segment ids in display order (retired ones too, to show them as empty rows); others follow, sorted. */
  previousSegments?: readonly string[];
  /** Current segment ids in display order (new ones too); others follow, sorted. */
  currentSegments?: readonly string[];
}

/**
 * Builds the matrix from one pair per profile: its previous segment id and its
 * current one, null when the profile is absent from that run. Taking pairs
 * (not two maps) lets the caller stream a join from the store for millions of
 * profiles.
 */
export function migrationMatrix(
  pairs: Iterable<readonly [previous: string | null, current: string | null]>,
  options: MigrationOptions = {},
): MigrationMatrix {
  const cells = new Map<string, Map<string, number>>();
  const previousSeen = new Set<string>();
  const currentSeen = new Set<string>();
  for (const [before, after] of pairs) {
    if (before === null && after === null) continue;
    const row = before ?? NEW_PROFILES;
    const column = after ?? GONE_PROFILES;
    if (before !== null) previousSeen.add(before);
    if (after !== null) currentSeen.add(after);
    let line = cells.get(row);
    if (!line) cells.set(row, (line = new Map()));
    line.set(column, (line.get(column) ?? 0) + 1);
  }

  const from = [...displayOrder(options.previousSegments, previousSeen), NEW_PROFILES];
  const to = [...displayOrder(options.currentSegments, currentSeen), GONE_PROFILES];
  const counts = from.map((row) => to.map((column) => cells.get(row)?.get(column) ?? 0));

  let inBoth = 0;
  let stayedTotal = 0;
  const retention: SegmentRetention[] = [];
  from.forEach((segment, row) => {
    if (segment === NEW_PROFILES) return;
    const line = counts[row]!;
    const previousMembers = line.reduce((sum, count) => sum + count, 0);
    const stillPresent = previousMembers - line[to.length - 1]!;
    const sameColumn = to.indexOf(segment);
    const stayed = sameColumn >= 0 && sameColumn < to.length - 1 ? line[sameColumn]! : 0;
    inBoth += stillPresent;
    stayedTotal += stayed;
    retention.push({ segment, previousMembers, stillPresent, stayed, retention: stillPresent === 0 ? null : stayed / stillPresent });
  });
  const newProfiles = counts[from.length - 1]!.reduce((sum, count) => sum + count, 0);
  const goneProfiles = counts.reduce((sum, line) => sum + line[to.length - 1]!, 0);
  const moved = inBoth - stayedTotal;
  return { from, to, counts, inBoth, moved, movedShare: inBoth === 0 ? 0 : moved / inBoth, newProfiles, goneProfiles, retention };
}

/** Convenience for in-memory runs: profile id → segment id, per run. */
export function migrationFromAssignments(
  previous: ReadonlyMap<string, string>,
  current: ReadonlyMap<string, string>,
  options: MigrationOptions = {},
): MigrationMatrix {
  function* pairs(): Generator<[string | null, string | null]> {
    for (const [profile, segment] of previous) yield [segment, current.get(profile) ?? null];
    for (const [profile, segment] of current) if (!previous.has(profile)) yield [null, segment];
  }
  return migrationMatrix(pairs(), options);
}

/**
 * The CLI table: rows are the previous run ("id name"), columns this run (ids,
 * to stay narrow), then the moved share and per-segment retention.
 */
export function renderMigrationMatrix(matrix: MigrationMatrix, names: Readonly<Record<string, string>> = {}): string {
  const rowLabels = matrix.from.map((id) => (names[id] ? `${id} ${names[id]}` : id));
  const cornerCell = (row: number, column: number) => matrix.from[row] === NEW_PROFILES && matrix.to[column] === GONE_PROFILES;
  const cellText = matrix.counts.map((line, row) => line.map((count, column) => (cornerCell(row, column) ? '' : formatCount(count))));
  const labelWidth = Math.max(0, ...rowLabels.map((label) => label.length));
  const widths = matrix.to.map((header, column) => Math.max(header.length, ...cellText.map((line) => line[column]!.length)));
  const line = (label: string, values: readonly string[]) =>
    [label.padEnd(labelWidth), ...values.map((value, column) => value.padStart(widths[column]!))].join('  ').trimEnd();

  const lines = ['Segment migration (rows: previous run, columns: this run)', line('', matrix.to)];
  cellText.forEach((values, row) => lines.push(line(rowLabels[row]!, values)));
  lines.push(
    `Moved: ${formatShare(matrix.movedShare)} of ${formatCount(matrix.inBoth)} profiles in both runs · new: ${formatCount(matrix.newProfiles)} · gone: ${formatCount(matrix.goneProfiles)}`,
  );
  const retained = matrix.retention.map((entry) => `${entry.segment} ${entry.retention === null ? 'n/a' : formatShare(entry.retention)}`);
  if (retained.length > 0) lines.push(`Retention: ${retained.join(' · ')}`);
  return lines.join('\n');
}

function displayOrder(preferred: readonly string[] | undefined, seen: ReadonlySet<string>): string[] {
  const order = [...new Set(preferred ?? [])];
  const listed = new Set(order);
  const rest = [...seen].filter((id) => !listed.has(id)).sort(naturalCompare);
  return [...order, ...rest];
}

/** `kmeans-2` before `kmeans-10`. */
function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
