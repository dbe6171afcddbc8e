/**
 * Identity stitching: a union-find over identifiers (`u:<userId>`,
 * `a:<anonymousId>`, `d:<deviceId>`). Typed arrays, because a run can carry
 * millions of identifiers and a Map of objects would cost ~10x the memory.
 *
 * Merge policy. `alias_only` (the default) keeps a component to one userId
 * unless an explicit alias joins two: a shared family laptop or a kiosk
 * (one anonymousId, many logins) must not fuse customers into one profile.
 * `always` merges on any shared identifier.
 */
export type MergePolicy = 'alias_only' | 'always';

export interface IdentityLink {
  /** Identifiers seen together on one event, e.g. ['u:42', 'a:abc', 'd:ios-1']. */
  identifiers: readonly string[];
  /** Allowed to join two userIds (only seeded assignments use this). */
  alias: boolean;
}

export interface StitchResult {
  /** Profile id per identifier (the component's canonical identifier). */
  profileOf: Map<string, string>;
  /** Profiles that disappeared into another this run. */
  merges: Array<{ from: string; into: string }>;
  /** Links refused because they would have joined two userIds. */
  refusedLinks: number;
}

export function createIdentityGraph(policy: MergePolicy) {
  const index = new Map<string, number>();
  const names: string[] = [];
  let parent = new Int32Array(1024);
  // Per root: index of the component's userId identifier, or -1.
  let userOf = new Int32Array(1024);
  // Per root: the canonical identifier index (profile id).
  let canonical = new Int32Array(1024);
  let refusedLinks = 0;

  function grow(size: number) {
    if (size <= parent.length) return;
    const capacity = Math.max(size, parent.length * 2);
    const next = (array: Int32Array) => {
      const bigger = new Int32Array(capacity);
      bigger.set(array);
      return bigger;
    };
    parent = next(parent);
    userOf = next(userOf);
    canonical = next(canonical);
  }

  function node(identifier: string): number {
    let id = index.get(identifier);
    if (id === undefined) {
      id = names.length;
      grow(id + 1);
      names.push(identifier);
      index.set(identifier, id);
      parent[id] = id;
      userOf[id] = identifier.startsWith('u:') ? id : -1;
      canonical[id] = id;
    }
    return id;
  }

  function find(id: number): number {
    let root = id;
    while (parent[root] !== root) root = parent[root]!;
    while (parent[id] !== root) {
      const next = parent[id]!;
      parent[id] = root;
      id = next;
    }
    return root;
  }

  /** Joins a into b's profile when b carries the surviving identity. */
  function union(a: number, b: number, alias: boolean): void {
    const rootA = find(a);
    const rootB = find(b);
    if (rootA === rootB) return;
    const userA = userOf[rootA]!;
    const userB = userOf[rootB]!;
    if (userA !== -1 && userB !== -1 && policy === 'alias_only' && !alias) {
      refusedLinks++;
      return;
    }
    // The survivor: a component with a userId beats an anonymous one; for an
    // alias, the new userId (b) wins; between two anonymous components the
    // older one (smaller canonical index: seen first) keeps its profile id,
    // so a new cookie never renames a profile already synced somewhere.
    let winner = rootB;
    let loser = rootA;
    if ((userB === -1 && userA !== -1) || (userA === -1 && userB === -1 && canonical[rootA]! < canonical[rootB]!)) {
      winner = rootA;
      loser = rootB;
    }
    parent[loser] = winner;
    if (userOf[winner] === -1) userOf[winner] = userOf[loser]!;
    const keep = userOf[winner] !== -1 ? userOf[winner]! : canonical[winner]!;
    canonical[winner] = keep;
  }

  return {
    /** Seeds an identifier already assigned to a profile in an earlier run. */
    assign(identifier: string, profileId: string): void {
      const a = node(identifier);
      const b = node(profileId);
      if (a === b) return;
      union(a, b, true);
      canonical[find(b)] = b;
    },
    link(link: IdentityLink): void {
      const [first, ...rest] = link.identifiers;
      if (first === undefined) return;
      const target = node(first);
      for (const identifier of rest) union(node(identifier), target, link.alias);
    },
    /**
     * An alias event: its own identifiers link as an ordinary event; only the
     * (userId, previousId) edge may join two userIds. Otherwise a shared
     * tablet's device id on an alias call would fuse two customers.
     */
    alias(userId: string, previousId: string, others: readonly string[]): void {
      const target = node(userId);
      for (const identifier of others) union(node(identifier), target, false);
      union(node(previousId), target, true);
    },
    profileOf(identifier: string): string | undefined {
      const id = index.get(identifier);
      return id === undefined ? undefined : names[canonical[find(id)]!];
    },
    result(previous: ReadonlyMap<string, string>): StitchResult {
      const profileOf = new Map<string, string>();
      const mergeSet = new Map<string, string>();
      for (let id = 0; id < names.length; id++) {
        const name = names[id]!;
        const profile = names[canonical[find(id)]!]!;
        profileOf.set(name, profile);
        const before = previous.get(name);
        if (before !== undefined && before !== profile) mergeSet.set(before, profile);
      }
      return { profileOf, merges: [...mergeSet].map(([from, into]) => ({ from, into })), refusedLinks };
    },
  };
}
