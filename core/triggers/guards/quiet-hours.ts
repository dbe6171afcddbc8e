import type { GuardSettings } from '../trigger-types.js';
import { instantOfWallTime, isTimeZone, nextDay, wallTimeAt } from './zoned-time.js';

type QuietHours = NonNullable<GuardSettings['quietHours']>;

/**
 * Quiet hours defer, they never drop: an action due at 23:10 local goes out
 * at the end of quiet hours (08:00 local), which is 23 or 25 hours of UTC
 * away on the night clocks change. Returns undefined when `at` is outside
 * quiet hours, else the instant they end.
 */
export function quietHoursEnd(quiet: QuietHours, at: number, profileTimeZone: string | undefined): number | undefined {
  const timeZone = profileTimeZone !== undefined && isTimeZone(profileTimeZone) ? profileTimeZone : quiet.defaultTimeZone;
  const { startMinute, endMinute } = quiet;
  if (startMinute === endMinute) return undefined;
  const wall = wallTimeAt(at, timeZone);
  const minute = wall.hour * 60 + wall.minute;
  const overnight = startMinute > endMinute;
  const inside = overnight ? minute >= startMinute || minute < endMinute : minute >= startMinute && minute < endMinute;
  if (!inside) return undefined;
  // Overnight and already past midnight (or a same-day window): the end is today; otherwise tomorrow.
  const day = overnight && minute >= startMinute ? nextDay(wall) : wall;
  const end = instantOfWallTime({ ...day, hour: Math.floor(endMinute / 60), minute: endMinute % 60 }, timeZone);
  return end > at ? end : undefined;
}
