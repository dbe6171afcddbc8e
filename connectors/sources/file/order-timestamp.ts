/**
 * Order-export timestamps. Exports write local wall-clock times in one of a
 * few fixed layouts; the offset comes from the mapping unless the value
 * carries its own (full ISO-8601). Hand-written patterns rather than
 * `Date.parse`, whose handling of "2011-02-30" or "1/2/2011" depends on the
 * engine, and which would silently read a US date as a European one.
 */
export type TimestampFormat = 'iso' | 'us' | 'eu';

/** Human description of each layout, for reject reasons. */
export const TIMESTAMP_LAYOUTS: Record<TimestampFormat, string> = {
  iso: 'YYYY-MM-DD HH:MM[:SS] or ISO-8601',
  us: 'M/D/YYYY H:MM[:SS] [AM|PM]',
  eu: 'D/M/YYYY H:MM[:SS]',
};

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])[Mm])?)?$/;
const EU = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/**
 * Returns a parser from text to epoch milliseconds (UTC), or null when the
 * text is not a valid date in the layout. It remembers the last value because
 * the order lines of one order repeat the same timestamp.
 */
export function createTimestampParser(format: TimestampFormat, offsetMinutes: number): (text: string) => number | null {
  let lastText: string | undefined;
  let lastValue: number | null = null;
  return (text) => {
    if (text === lastText) return lastValue;
    lastText = text;
    lastValue = parseTimestamp(text.trim(), format, offsetMinutes);
    return lastValue;
  };
}

export function parseTimestamp(text: string, format: TimestampFormat, offsetMinutes: number): number | null {
  if (format === 'iso') return parseIso(text, offsetMinutes);
  const match = (format === 'us' ? US : EU).exec(text);
  if (match === null) return null;
  const [first, second] = format === 'us' ? [match[2], match[1]] : [match[1], match[2]];
  let hour = Number(match[4] ?? 0);
  const meridiem = format === 'us' ? match[7] : undefined;
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem.toLowerCase() === 'p' ? 12 : 0);
  }
  return toEpoch(
    {
      year: Number(match[3]),
      month: Number(second),
      day: Number(first),
      hour,
      minute: Number(match[5] ?? 0),
      second: Number(match[6] ?? 0),
      millisecond: 0,
    },
    offsetMinutes,
  );
}

function parseIso(text: string, offsetMinutes: number): number | null {
  const match = ISO.exec(text);
  if (match === null) return null;
  const zone = match[8];
  const offset = zone === undefined ? offsetMinutes : zoneOffset(zone);
  if (offset === null) return null;
  return toEpoch(
    {
      year: Number(match[1]),
      month: Number(match[2]),
      day: Number(match[3]),
      hour: Number(match[4] ?? 0),
      minute: Number(match[5] ?? 0),
      second: Number(match[6] ?? 0),
      millisecond: match[7] === undefined ? 0 : Number(match[7].slice(0, 3).padEnd(3, '0')),
    },
    offset,
  );
}

/** "Z" → 0, "+0100" / "+01:00" / "+01" → 60; null when out of range. */
function zoneOffset(zone: string): number | null {
  if (zone === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return null;
  const total = hours * 60 + minutes;
  return zone.startsWith('-') ? -total : total;
}

function toEpoch(clock: WallClock, offsetMinutes: number): number | null {
  const { year, month, day, hour, minute, second, millisecond } = clock;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - offsetMinutes * 60_000;
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
