import { DEFAULT_WORLD_DAYS, usersForEvents, windowStartEndingToday, writeWorld } from '../../core/generate/index.js';

export interface GenerateOptions {
  out: string;
  users?: string;
  events?: string;
  seed?: string;
  days?: string;
  start?: string;
  duplicates?: string;
  /** The clock that places the default window (ending today). @default Date.now */
  now?: () => number;
}

function integer(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value.replaceAll('_', ''));
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`--${name} expects a non-negative number, got "${value}"`);
  return parsed;
}

/** `segflow generate`: a seeded synthetic retail world as Segment-spec JSONL plus its ground truth. */
export async function generateCommand(options: GenerateOptions): Promise<number> {
  const duplicateRate = integer(options.duplicates, 'duplicates', 0);
  const users = options.users !== undefined
    ? integer(options.users, 'users', 0)
    : usersForEvents(integer(options.events, 'events', 180_000), { duplicateRate });
  const days = options.days ? integer(options.days, 'days', DEFAULT_WORLD_DAYS) : DEFAULT_WORLD_DAYS;
  // Without --start the window ends today: a world generated in December must not lie partly in the future.
  const start = options.start ? Date.parse(`${options.start}T00:00:00Z`) : windowStartEndingToday((options.now ?? Date.now)(), days);
  if (Number.isNaN(start)) throw new Error(`--start expects YYYY-MM-DD, got "${options.start}"`);
  const started = performance.now();
  const result = await writeWorld(options.out, { seed: integer(options.seed, 'seed', 42), users: Math.round(users), start, days, duplicateRate });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `wrote ${result.events.toLocaleString('en-US')} events (${result.duplicates.toLocaleString('en-US')} retries) for ${result.users.toLocaleString('en-US')} users to ${result.path} ` +
    `(${(result.bytes / 1e6).toFixed(1)} MB) in ${seconds.toFixed(1)}s, days ${isoDay(start)} to ${isoDay(start + (days - 1) * 86_400_000)}; ground truth: ${result.truthPath}\n`,
  );
  return 0;
}

function isoDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}
