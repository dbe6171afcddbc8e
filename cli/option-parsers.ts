import { InvalidArgumentError } from 'commander';

/*
 * Commander argument parsers. A bad value becomes a usage error (exit 2,
 * one line naming the option) before any command starts, rather than a
 * plain Error thrown from inside the command, which would read as a bug.
 * Most return the text unchanged: the commands take the flags as strings
 * and do their own conversion.
 */

/** A number ≥ 0; `_` separators allowed (`--events 1_000_000`), as `segflow generate` reads them. */
export function nonNegativeNumber(value: string): string {
  const parsed = Number(value.replaceAll('_', ''));
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0) throw new InvalidArgumentError('expected a non-negative number');
  return value;
}

/** A calendar date, YYYY-MM-DD. */
export function isoDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new InvalidArgumentError('expected a date as YYYY-MM-DD');
  }
  return value;
}

/** A TCP port for the first simulator; the others take the ports after it, hence the margin below 65535. */
export function portNumber(value: string): string {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0 || parsed > 65_000) throw new InvalidArgumentError('expected a port number from 1 to 65000');
  return value;
}

/** A dead-letter id as `segflow dlq list` prints it (`#12` or `12`). */
export function deadLetterId(value: string): number {
  const parsed = Number(value.replace(/^#/, ''));
  if (!Number.isSafeInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('expected a dead-letter id as segflow dlq list prints it, e.g. 12');
  return parsed;
}

/** A port to listen on; 0 lets the system pick a free one (the chosen URL is logged). */
export function listenPort(value: string): string {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535) throw new InvalidArgumentError('expected a port number from 0 to 65535 (0: any free port)');
  return value;
}

/** A point in time: `now`, or an ISO-8601 date-time (2026-12-03T10:00:00Z). */
export function instant(value: string): string {
  if (value !== 'now' && (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) || Number.isNaN(Date.parse(value)))) {
    throw new InvalidArgumentError('expected "now" or an ISO-8601 time such as 2026-12-03T10:00:00Z');
  }
  return value;
}
