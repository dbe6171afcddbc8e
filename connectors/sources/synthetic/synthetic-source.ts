import { z } from 'zod';
import { streamWorldEvents, type WorldEventItem, type WorldLineStreamOptions } from '../../../core/generate/index.js';
import type { Source, SourceMessage } from '../../../core/ingest/source.js';
import { bulkLoadWorld } from './bulk-load-world.js';

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

/**
 * A first read loads the whole world through the engine's bulk path
 * (bulk-load-world.ts). Otherwise (resuming, or no bulk path) worker threads
 * generate and normalize the world (streamWorldEvents) and this thread only
 * numbers and stages the events. Generating, normalizing and stringifying
 * them here one by one was most of the demo's first run; staging
 * 'segment-json' text measured slower still (DuckDB normalizing staged lines).
 */
export interface SyntheticSourceOptions extends WorldLineStreamOptions {
  /** Load a first read through the engine's bulk path when it offers one. @default true */
  bulk?: boolean;
}

export function createSyntheticSource(sourceOptions: SyntheticSourceOptions = {}): Source<SyntheticSourceConfig> {
  const { bulk = true, ...lineOptions } = sourceOptions;
  return {
    kind: 'source:synthetic',
    async check() {},
    async *read(config, from, context) {
      const fingerprint = `${config.seed}/${config.users}/${config.start}/${config.days}/${config.duplicate_rate}`;
      const previous = from as { fingerprint?: string; emitted?: number } | undefined;
      let skip = previous?.fingerprint === fingerprint ? (previous.emitted ?? 0) : 0;
      const options = {
        seed: config.seed, users: config.users, start: Date.parse(`${config.start}T00:00:00Z`), days: config.days, duplicateRate: config.duplicate_rate,
      };
      // A first read goes through the bulk path; a resume, or what the engine declined, as messages.
      if (skip === 0 && bulk) {
        const bulkLoad = await bulkLoadWorld({ world: options, sourceId: config.id, partMessages: CHECKPOINT_EVERY, cursorOf: (emitted) => ({ fingerprint, emitted }), lineOptions }, context);
        if (bulkLoad.complete || context.signal.aborted) return;
        skip = bulkLoad.stored;
      }
      const world = streamWorldEvents(options, context.now(), lineOptions);
      const file = `synthetic:${config.id}`;
      let emitted = 0;
      let sinceCheckpoint = 0;
      let batch: SourceMessage[] = [];
      for await (const { firstUser, items, perUser } of world) {
        if (emitted + items.length <= skip) {
          emitted += items.length; // committed by an earlier run
          continue;
        }
        // The user of the message at hand, for progress: perUser splits `items`.
        let user = 0;
        let userEnd = perUser[0] ?? 0;
        for (let index = 0; index < items.length; index++) {
          while (index >= userEnd && user < perUser.length - 1) userEnd += perUser[++user] as number;
          emitted++;
          if (emitted <= skip) continue;
          const item = items[index] as WorldEventItem;
          const origin = { file, line: emitted };
          batch.push(item.ok ? { type: 'event', event: item.event, origin } : { type: 'reject', origin, reason: item.reason, sample: item.sample });
          if (++sinceCheckpoint >= CHECKPOINT_EVERY) {
            batch.push({ type: 'checkpoint', cursor: { fingerprint, emitted }, progress: (firstUser + user) / config.users });
            sinceCheckpoint = 0;
          }
          if (batch.length >= BATCH) {
            yield batch;
            batch = [];
            if (context.signal.aborted) return;
          }
        }
      }
      batch.push({ type: 'checkpoint', cursor: { fingerprint, emitted }, progress: 1 });
      yield batch;
    },
  };
}
