import { z } from 'zod';
import { normalizeSegmentMessage } from '../../../core/events/index.js';
import { generateRetailWorld } from '../../../core/generate/index.js';
import type { Source, SourceMessage } from '../../../core/ingest/source.js';

/**
 * The demo source: segflow's seeded synthetic retail world (see `segflow
 * generate`), produced on the fly, so the example mapping runs on a fresh
 * clone with no data to download. Deterministic: the cursor is just the count
 * of messages already committed.
 */
export const SyntheticSourceSchema = z
  .strictObject({
    type: z.literal('synthetic'),
    id: z.string().regex(/^[a-z][a-z0-9_-]*$/, { message: 'expected a lowercase id' }),
    seed: z.number().int().describe('Same seed, same world.'),
    users: z.number().int().positive().max(10_000_000).describe('People in the world (~180 events each).'),
    start: z.iso.date().describe('First day of the simulated window (YYYY-MM-DD).'),
    days: z.number().int().min(150).default(365).describe('Length of the window in days. @default 365'),
    duplicate_rate: z.number().min(0).max(0.5).default(0).describe('Share of messages re-sent with the same messageId, like Segment retries. @default 0'),
  })
  .describe('A seeded synthetic retail world with known personas (demo and tests).');

export type SyntheticSourceConfig = z.infer<typeof SyntheticSourceSchema>;

const BATCH = 2_000;
const CHECKPOINT_EVERY = 100_000;

export function createSyntheticSource(): Source<SyntheticSourceConfig> {
  return {
    kind: 'source:synthetic',
    async check() {},
    async *read(config, from, context) {
      const fingerprint = `${config.seed}/${config.users}/${config.start}/${config.days}/${config.duplicate_rate}`;
      const previous = from as { fingerprint?: string; emitted?: number } | undefined;
      const skip = previous?.fingerprint === fingerprint ? (previous.emitted ?? 0) : 0;
      const world = generateRetailWorld({
        seed: config.seed, users: config.users, start: Date.parse(`${config.start}T00:00:00Z`), days: config.days, duplicateRate: config.duplicate_rate,
      });
      const file = `synthetic:${config.id}`;
      let emitted = 0;
      let sinceCheckpoint = 0;
      let batch: SourceMessage[] = [];
      for (const { message, userIndex } of world) {
        emitted++;
        if (emitted <= skip) continue;
        const raw = JSON.stringify(message);
        const result = normalizeSegmentMessage(message, { now: context.now() }, raw);
        const origin = { file, line: emitted };
        batch.push(result.ok ? { type: 'event', event: result.event, origin } : { type: 'reject', origin, reason: result.reason, sample: raw.slice(0, 200) });
        if (++sinceCheckpoint >= CHECKPOINT_EVERY) {
          batch.push({ type: 'checkpoint', cursor: { fingerprint, emitted }, progress: userIndex / config.users });
          sinceCheckpoint = 0;
        }
        if (batch.length >= BATCH) {
          yield batch;
          batch = [];
          if (context.signal.aborted) return;
        }
      }
      batch.push({ type: 'checkpoint', cursor: { fingerprint, emitted }, progress: 1 });
      yield batch;
    },
  };
}
