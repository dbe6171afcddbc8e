import { describe, expect, it } from 'vitest';
import { createIdentityGraph } from './identity-graph.js';

describe('identity graph', () => {
  it('stitches anonymous activity to the user who later logs in, across devices', () => {
    const graph = createIdentityGraph('alias_only');
    graph.link({ identifiers: ['a:laptop'], alias: false });
    graph.link({ identifiers: ['a:phone', 'd:ios-1'], alias: false });
    graph.link({ identifiers: ['u:42', 'a:laptop'], alias: false });
    graph.link({ identifiers: ['u:42', 'a:phone'], alias: false });
    for (const identifier of ['a:laptop', 'a:phone', 'd:ios-1', 'u:42']) expect(graph.profileOf(identifier)).toBe('u:42');
  });

  it('never fuses two customers through a shared anonymous id unless an alias says so', () => {
    const graph = createIdentityGraph('alias_only');
    graph.link({ identifiers: ['u:alice', 'a:kiosk'], alias: false });
    graph.link({ identifiers: ['u:bob', 'a:kiosk'], alias: false });
    expect(graph.profileOf('u:bob')).toBe('u:bob');
    expect(graph.profileOf('a:kiosk')).toBe('u:alice');
    const result = graph.result(new Map());
    expect(result.refusedLinks).toBe(1);

    const permissive = createIdentityGraph('always');
    permissive.link({ identifiers: ['u:alice', 'a:kiosk'], alias: false });
    permissive.link({ identifiers: ['u:bob', 'a:kiosk'], alias: false });
    expect(permissive.profileOf('u:bob')).toBe(permissive.profileOf('u:alice'));
  });

  it('an alias merges two user ids into the new one and reports the merge', () => {
    const graph = createIdentityGraph('alias_only');
    graph.assign('u:old', 'u:old');
    graph.assign('a:x', 'u:old');
    graph.alias('u:new', 'u:old', []);
    const result = graph.result(new Map([['u:old', 'u:old'], ['a:x', 'u:old']]));
    expect(result.profileOf.get('a:x')).toBe('u:new');
    expect(result.merges).toEqual([{ from: 'u:old', into: 'u:new' }]);
  });

  it('an alias call from a shared device does not fuse the device\'s other customer', () => {
    const graph = createIdentityGraph('alias_only');
    graph.link({ identifiers: ['u:1', 'a:kiosk'], alias: false });
    graph.alias('u:2', 'a:old', ['a:kiosk']);
    expect(graph.profileOf('u:1')).toBe('u:1');
    expect(graph.profileOf('u:2')).toBe('u:2');
    expect(graph.profileOf('a:old')).toBe('u:2');
  });

  it('a new anonymous id joining an anonymous profile does not rename it', () => {
    const graph = createIdentityGraph('alias_only');
    graph.assign('a:x', 'a:x');
    graph.assign('d:1', 'a:x');
    graph.link({ identifiers: ['a:y', 'd:1'], alias: false });
    expect(graph.profileOf('a:y')).toBe('a:x');
    expect(graph.result(new Map([['a:x', 'a:x'], ['d:1', 'a:x']])).merges).toEqual([]);
  });

  it('keeps earlier assignments stable when nothing new links them', () => {
    const graph = createIdentityGraph('alias_only');
    graph.assign('a:1', 'a:1');
    graph.assign('a:2', 'a:1');
    graph.link({ identifiers: ['a:3'], alias: false });
    expect(graph.profileOf('a:2')).toBe('a:1');
    expect(graph.profileOf('a:3')).toBe('a:3');
  });
});
