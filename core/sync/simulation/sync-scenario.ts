import { createRng } from '../../random/rng.js';
import type { DesiredRecord } from '../planner.js';
import type { SinkSchemaSpec } from '../sink.js';

/**
 * A seeded population for the sink suites and benchmark: `profiles` people, each in some of
 * three segments (each segment a list and a value of a multi-select
 * property), with a score. Later rounds churn it like a weekly
 * re-segmentation: 10% change segments and score, 3% leave the sink's scope
 * (lost email, withdrawn consent), 3% are new, 2% change their email.
 * Not test code: the sink suites, the crash test's child processes and
 * bench/sync all replay the same population.
 */
export const SEGMENT_NAMES = ['Champions', 'At risk', 'Cart abandoners'] as const;
export const LIST_KEYS = ['champions', 'at_risk', 'cart_abandoners'] as const;

export interface ScenarioFields {
  /** Vendor field names for the multi-value segment property and the numeric score. */
  segments: string;
  score: string;
}

export function scenarioSpec(fields: ScenarioFields): SinkSchemaSpec {
  return {
    properties: [
      { name: fields.segments, label: 'segflow segments', type: 'enumeration', multiple: true, options: [...SEGMENT_NAMES] },
      { name: fields.score, label: 'segflow score', type: 'number' },
    ],
    lists: LIST_KEYS.map((key, index) => ({ key, name: `segflow test: ${SEGMENT_NAMES[index]}` })),
  };
}

export function scenarioPopulation(profiles: number, round: number, fields: ScenarioFields, seed = 7): DesiredRecord[] {
  const records: DesiredRecord[] = [];
  const total = round === 0 ? profiles : Math.round(profiles * 1.03);
  for (let index = 0; index < total; index++) {
    const rng = createRng(seed * 1_000_003 + index);
    const churn = createRng(seed * 7_919 + index * 31 + round);
    if (round > 0 && index < profiles && churn.chance(0.03)) continue;
    const changed = round > 0 && churn.chance(0.1);
    // 2% change their email: the old vendor record must be emptied and leave the lists.
    const rekeyed = round > 0 && churn.chance(0.02);
    const source = changed ? churn : rng;
    const member = LIST_KEYS.map(() => source.chance(0.35));
    const segments = SEGMENT_NAMES.filter((_, position) => member[position]);
    records.push({
      profileId: `u:${index}`,
      key: rekeyed ? `user${index}.r${round}@example.com` : `user${index}@example.com`,
      properties: { [fields.segments]: segments.length > 0 ? [...segments].sort().join(';') : null, [fields.score]: source.int(1000) },
      lists: new Set(LIST_KEYS.filter((_, position) => member[position])),
    });
  }
  return records;
}

export function listName(key: (typeof LIST_KEYS)[number]): string {
  return `segflow test: ${SEGMENT_NAMES[LIST_KEYS.indexOf(key)]}`;
}
