/**
 * Marketo's daily API quota resets at midnight US Central time
 * (vendor-facts.md §3 "Quotas"). The simulator needs the Central calendar
 * day to count calls; the client needs the time left until the reset to
 * tell the engine how long a 607 lasts. DST is handled by the time zone
 * database (America/Chicago), not by a fixed offset.
 */
const CENTRAL = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Chicago',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

const DAY_MS = 86_400_000;

interface CentralParts {
  day: string;
  msSinceMidnight: number;
}

function centralParts(epochMs: number): CentralParts {
  const parts: Record<string, string> = {};
  for (const part of CENTRAL.formatToParts(new Date(epochMs))) parts[part.type] = part.value;
  const hours = Number(parts.hour);
  const minutes = Number(parts.minute);
  const seconds = Number(parts.second);
  const millis = ((epochMs % 1_000) + 1_000) % 1_000;
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    msSinceMidnight: ((hours * 60 + minutes) * 60 + seconds) * 1_000 + millis,
  };
}

/** The US Central calendar day of an instant, e.g. `2026-11-25`. */
export function centralDay(epochMs: number): string {
  return centralParts(epochMs).day;
}

/**
 * Milliseconds until the next midnight in US Central time. On the two DST
 * switch days the answer is off by up to an hour, which only shifts when a
 * stopped run may resume.
 */
export function msUntilCentralMidnight(epochMs: number): number {
  return DAY_MS - centralParts(epochMs).msSinceMidnight;
}
