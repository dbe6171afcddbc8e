/**
 * Wall-clock time in an IANA zone, through Intl only (no tz database of our
 * own). Offsets are looked up for the instant in question, never "the offset
 * now": taking the offset at the current moment is how quiet hours misfire
 * across a DST change (the Dittofeed fault in field-lessons.md).
 */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let cached = FORMATTERS.get(timeZone);
  if (cached === undefined) {
    cached = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    FORMATTERS.set(timeZone, cached);
  }
  return cached;
}

/** Is this a time zone Intl knows? Profiles carry whatever a source sent. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * Offsets only change on quarter hours in every zone in use, so one Intl
 * call per zone and quarter hour serves every instant in it (formatToParts
 * costs microseconds; the guards ask for every action).
 */
const QUARTER_HOUR = 900_000;
const OFFSETS = new Map<string, number>();

export function wallTimeAt(instant: number, timeZone: string): WallTime & { second: number } {
  const quarter = Math.floor(instant / QUARTER_HOUR);
  const cacheKey = `${timeZone}|${quarter}`;
  let offset = OFFSETS.get(cacheKey);
  if (offset === undefined) {
    const start = quarter * QUARTER_HOUR;
    const wall = wallTimeFromIntl(start, timeZone);
    offset = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - start;
    if (OFFSETS.size > 100_000) OFFSETS.clear();
    OFFSETS.set(cacheKey, offset);
  }
  const shifted = new Date(instant + offset);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
  };
}

function wallTimeFromIntl(instant: number, timeZone: string): WallTime & { second: number } {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year as number, month: parts.month as number, day: parts.day as number, hour: parts.hour as number, minute: parts.minute as number, second: parts.second as number };
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
export function offsetAt(instant: number, timeZone: string): number {
  const wall = wallTimeAt(instant, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall time happens in a zone. A wall time that happens twice
 * (the hour repeated when clocks go back) resolves to the first; one that
 * does not happen (skipped when clocks go forward) to the instant the skipped
 * hour ends at the same distance past it, as Temporal's "compatible" does.
 */
export function instantOfWallTime(wall: WallTime, timeZone: string): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const before = asUtc - offsetAt(asUtc - 86_400_000, timeZone);
  const after = asUtc - offsetAt(asUtc + 86_400_000, timeZone);
  const candidates = [before, after].filter((instant) => sameWall(wallTimeAt(instant, timeZone), wall)).sort((left, right) => left - right);
  if (candidates.length > 0) return candidates[0] as number;
  // Skipped: the offset before the change applied to the wall time lands past the gap.
  return Math.max(before, after);
}

function sameWall(left: WallTime, right: WallTime): boolean {
  return left.year === right.year && left.month === right.month && left.day === right.day && left.hour === right.hour && left.minute === right.minute;
}

/** The calendar day after (y, m, d), by the proleptic Gregorian calendar. */
export function nextDay(wall: Pick<WallTime, 'year' | 'month' | 'day'>): Pick<WallTime, 'year' | 'month' | 'day'> {
  const next = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}
