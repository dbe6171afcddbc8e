const DAY_MS = 86_400_000;
let cachedDay = Number.NaN;
let cachedPrefix = '';

/**
 * `new Date(time).toISOString()` for integer epoch ms in years 0000-9999,
 * about 4× faster: each message carries three or four of these, and a user's
 * events come day after day, so the `YYYY-MM-DDT` prefix is nearly always
 * the cached one. A test compares it with toISOString over random times.
 */
export function isoTime(time: number): string {
  const day = Math.floor(time / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  let rest = time - day * DAY_MS;
  const ms = rest % 1000;
  rest = (rest - ms) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  return `${cachedPrefix}${two(hours)}:${two(minutes)}:${two(seconds)}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
}

function two(value: number): string {
  return value < 10 ? `0${value}` : `${value}`;
}
