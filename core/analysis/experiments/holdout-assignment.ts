import { createHash } from 'node:crypto';

export type Arm = 'treatment' | 'holdout';

export interface HoldoutOptions {
  /** Per-campaign salt; a new salt reshuffles everyone, independently of other campaigns. */
  salt: string;
  /** Share of profiles held out from the campaign, in [0, 1]. */
  holdoutShare: number;
}

const TWO_POW_53 = 2 ** 53;

/**
 * A profile's position in [0, 1) for a campaign: the first 53 bits of
 * SHA-256(`${salt}:${profileId}`) (UTF-8) over 2^53.
 *
 * A hash, not a seeded RNG draw, because assignment must not depend on the
 * order or the set of profiles seen: a profile that appears in next week's
 * run gets the arm it would have had today, on any machine. 53 bits is all
 * a double holds exactly, so the uniform is the same bit for bit in Python
 * (test/oracles/stats_oracle.py pins a few ids).
 */
export function holdoutPosition(salt: string, profileId: string): number {
  const digest = createHash('sha256').update(`${salt}:${profileId}`, 'utf8').digest();
  // 48 high bits, then the top 5 bits of byte 6: 53 bits, each step exact in a double.
  const high48 = digest.readUIntBE(0, 6);
  const next5 = (digest[6] as number) >>> 3;
  return (high48 * 32 + next5) / TWO_POW_53;
}

/** Holdout when the position falls below the share, so growing the share only moves treatment into holdout. */
export function assignArm(profileId: string, options: HoldoutOptions): Arm {
  const { salt, holdoutShare } = options;
  if (!(holdoutShare >= 0 && holdoutShare <= 1)) {
    throw new RangeError(`assignArm: holdoutShare must be in [0, 1], got ${holdoutShare} (campaign salt "${salt}")`);
  }
  return holdoutPosition(salt, profileId) < holdoutShare ? 'holdout' : 'treatment';
}
