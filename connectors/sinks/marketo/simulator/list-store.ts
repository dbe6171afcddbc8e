/**
 * Static lists (vendor-facts.md §3 "Static lists"): created in a folder by
 * the Asset API, unique by name, holding lead ids. Membership is a set, so
 * adding a member twice changes nothing.
 */
export interface StaticList {
  id: number;
  name: string;
  description: string;
  folderId: number;
  createdAt: number;
  updatedAt: number;
  members: Set<number>;
}

export interface ListStore {
  create(name: string, folderId: number, description: string): StaticList | 'duplicate-name';
  get(id: number): StaticList | undefined;
  byName(name: string): StaticList | undefined;
  all(): StaticList[];
  /** A deleted lead leaves every list. */
  forgetLead(leadId: number): void;
}

export function createListStore(now: () => number): ListStore {
  const lists = new Map<number, StaticList>();
  let nextId = 2001;
  const byName = (name: string) => [...lists.values()].find((list) => list.name.toLowerCase() === name.toLowerCase());

  return {
    create(name, folderId, description) {
      if (byName(name)) return 'duplicate-name';
      const at = now();
      const list: StaticList = { id: nextId++, name, description, folderId, createdAt: at, updatedAt: at, members: new Set() };
      lists.set(list.id, list);
      return list;
    },
    get: (id) => lists.get(id),
    byName,
    all: () => [...lists.values()],
    forgetLead(leadId) {
      for (const list of lists.values()) list.members.delete(leadId);
    },
  };
}
