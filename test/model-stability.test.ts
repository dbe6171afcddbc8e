import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runMapping, temporaryDirectory, writeMapping } from './support/run-mapping.js';

/**
 * A weekly re-clustering must not rename "Champions" to "Cluster 3" or
 * reshuffle everyone: the retail example's k-means segmentation, run again
 * on the same state after 5% more customers arrived, keeps every segment's
 * id and name and moves fewer than 5% of the returning customers.
 */
describe('model segments are stable across runs', () => {
  it('5% new customers: same ids, same names, < 5% of returning customers moved', async () => {
    const directory = temporaryDirectory('stability');
    const state = join(directory, 'state');
    const example = readFileSync(join(REPO_ROOT, 'mappings', 'examples', 'retail.yaml'), 'utf8');
    const withoutSinks = example.slice(0, example.indexOf('\nsinks:'));
    const first = await runMapping(writeMapping(directory, withoutSinks.replace(/users: \d+/, 'users: 2000')), state);
    const second = await runMapping(writeMapping(directory, withoutSinks.replace(/users: \d+/, 'users: 2100')), state);
    expect(second.events.stored).toBeGreaterThan(0);

    const before = first.models.find((model) => model.id === 'behavior')!;
    const after = second.models.find((model) => model.id === 'behavior')!;
    expect(before.segments.length).toBeGreaterThan(2);
    const named = (model: typeof before) => model.segments.map((segment) => `${segment.id} ${segment.name}`).sort();
    expect(named(after)).toEqual(named(before));
    expect(after.segments.every((segment) => segment.status === 'kept')).toBe(true);
    expect(after.retired).toEqual([]);
    expect(after.movedShare).not.toBeNull();
    expect(after.movedShare!).toBeLessThan(0.05);
    expect(after.migrationTable).toMatch(/Moved: /);
  });
});

describe('model segmentations when the setup changes or the audience is too small', () => {
  it('a changed scaling starts afresh with a warning; a where that selects nobody skips the model, not the run', async () => {
    const directory = temporaryDirectory('model-change');
    const state = join(directory, 'state');
    const example = readFileSync(join(REPO_ROOT, 'mappings', 'examples', 'retail.yaml'), 'utf8');
    const base = example.slice(0, example.indexOf('\nsinks:')).replace(/users: \d+/, 'users: 1200');
    await runMapping(writeMapping(directory, base), state);
    const rescaled = await runMapping(writeMapping(directory, base.replace('    where: frequency >= 1         # buyers only\n', '    where: frequency >= 1\n    scaling: minmax\n')), state);
    const behavior = rescaled.models.find((model) => model.id === 'behavior')!;
    expect(behavior.warnings.join(' ')).toMatch(/changed since the last run: segments start afresh/);
    expect(behavior.segments.every((segment) => segment.status === 'new')).toBe(true);
    expect(behavior.movedShare).toBeNull();

    const nobody = await runMapping(writeMapping(directory, base.replace('where: frequency >= 1', 'where: frequency >= 100000')), state);
    const skipped = nobody.models.find((model) => model.id === 'behavior')!;
    expect(skipped.warnings.join(' ')).toMatch(/skipped this run: .*needs at least 2 profiles/);
    expect(nobody.segments.some((segment) => segment.segmentation === 'rfm')).toBe(true);
  });
});
