import { z } from 'zod';

/** `30m`, `24h`, `90d`, `2w`: the only duration syntax a mapping accepts. */
export const DURATION_PATTERN = /^(\d+)(s|m|h|d|w)$/;

export const Duration = z
  .string()
  .regex(DURATION_PATTERN, { message: 'expected a duration like "30m", "24h", "90d" or "2w"' })
  .describe('A duration: a whole number followed by s, m, h, d or w (e.g. 30m, 90d).');

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function durationMs(text: string): number {
  const match = DURATION_PATTERN.exec(text);
  if (!match) throw new Error(`not a duration: "${text}"`);
  return Number(match[1]) * (UNIT_MS[match[2] as string] as number);
}
