import { describe, expect, it } from 'vitest';
import type { SinkChange } from '../../../core/sync/sink.js';
import { estimatedEventBytes, groupBySize, identifyFor, MAX_EVENT_BYTES } from './identify-messages.js';

const record = { profileId: 'u:1', key: 'user-1' };
const options = { listNames: new Map([['vip', 'segflow: VIP']]), scope: 'run-1' };
const upsert = (properties: Record<string, string | number | null>): SinkChange => ({ op: 'upsert', record, properties });

describe('identify messages', () => {
  it('maps upsert to traits and membership to an Engage-style boolean trait named after the list key', () => {
    expect(identifyFor(upsert({ tier: 'gold', score: null }), options)).toMatchObject({ userId: 'user-1', traits: { tier: 'gold', score: null } });
    expect(identifyFor({ op: 'list-add', record, list: 'vip' }, options)).toMatchObject({ userId: 'user-1', traits: { vip: true }, context: { segflow: { audience_key: 'vip', audience_name: 'segflow: VIP' } } });
    expect(identifyFor({ op: 'list-remove', record, list: 'vip' }, options)).toMatchObject({ traits: { vip: false } });
    expect(identifyFor({ op: 'delete', record }, options)).toBeUndefined();
    expect(identifyFor({ op: 'update', record, properties: { tier: null } }, options)).toMatchObject({ traits: { tier: null } });
  });

  it('gives a replay the same messageId, and a different one to other content, profile or run', () => {
    const id = (change: SinkChange, scope = options.scope) => identifyFor(change, { ...options, scope })?.messageId;
    const first = id(upsert({ tier: 'gold', score: 3 }));
    expect(first).toMatch(/^segflow-[0-9a-f]{40}$/);
    // Key order does not matter; a retry within the run keeps the id.
    expect(id(upsert({ score: 3, tier: 'gold' }))).toBe(first);
    expect(id(upsert({ tier: 'gold', score: 4 }))).not.toBe(first);
    expect(id({ op: 'upsert', record: { profileId: 'u:2', key: 'user-2' }, properties: { tier: 'gold', score: 3 } })).not.toBe(first);
    expect(id({ op: 'list-add', record, list: 'vip' })).not.toBe(id({ op: 'list-remove', record, list: 'vip' }));
    expect(id({ op: 'update', record, properties: { tier: 'gold', score: 3 } })).not.toBe(first);
    // A → B → A a sync later: the second A must reach Segment, so it cannot reuse the first A's id.
    expect(id(upsert({ tier: 'gold', score: 3 }), 'run-2')).not.toBe(first);
  });

  it('estimates event size from UTF-8 bytes, SDK fields included', () => {
    const ascii = identifyFor(upsert({ note: 'a'.repeat(MAX_EVENT_BYTES) }), options);
    const multibyte = identifyFor(upsert({ note: 'é'.repeat(MAX_EVENT_BYTES / 2) }), options);
    expect(estimatedEventBytes(ascii!)).toBeGreaterThan(MAX_EVENT_BYTES);
    expect(estimatedEventBytes(multibyte!)).toBeGreaterThan(MAX_EVENT_BYTES);
    expect(estimatedEventBytes(identifyFor(upsert({ tier: 'gold' }), options)!)).toBeLessThan(1_024);
  });

  it('splits a batch so each request stays under the cap, keeping order', () => {
    // 512 bytes of request envelope, plus one comma per event.
    const sizes = [200, 200, 200, 50];
    expect(groupBySize(sizes, (size) => size, 800)).toEqual([[200], [200], [200, 50]]);
    expect(groupBySize(sizes, (size) => size, 1_000)).toEqual([[200, 200], [200, 50]]);
    expect(groupBySize([5_000], (size) => size, 1_000)).toEqual([[5_000]]);
    expect(groupBySize([], (size: number) => size)).toEqual([]);
  });
});
