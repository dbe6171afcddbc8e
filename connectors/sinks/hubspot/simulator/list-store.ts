/**
 * Lists v3 of the fake account. Names are unique across the portal
 * (compared case-insensitively here); only MANUAL and SNAPSHOT lists accept
 * membership writes (vendor-facts.md 1.3).
 */
export type ProcessingType = 'MANUAL' | 'SNAPSHOT' | 'DYNAMIC';

export interface StoredList {
  listId: string;
  name: string;
  objectTypeId: string;
  processingType: ProcessingType;
  listVersion: number;
  createdAt: string;
  updatedAt: string;
  /** Record id → epoch ms it joined. */
  members: Map<string, number>;
}

export class ListStore {
  private readonly lists = new Map<string, StoredList>();
  private nextId = 11;

  constructor(private readonly now: () => number) {}

  create(name: string, objectTypeId: string, processingType: ProcessingType): StoredList {
    const at = new Date(this.now()).toISOString();
    const list: StoredList = { listId: String(this.nextId), name, objectTypeId, processingType, listVersion: 1, createdAt: at, updatedAt: at, members: new Map() };
    this.nextId += 1;
    this.lists.set(list.listId, list);
    return list;
  }

  get(listId: string): StoredList | undefined {
    return this.lists.get(listId);
  }

  findByName(name: string, objectTypeId?: string): StoredList | undefined {
    const wanted = name.toLowerCase();
    for (const list of this.lists.values()) {
      if (list.name.toLowerCase() === wanted && (objectTypeId === undefined || list.objectTypeId === objectTypeId)) return list;
    }
    return undefined;
  }

  remove(listId: string): boolean {
    return this.lists.delete(listId);
  }

  /** A deleted record leaves every list. */
  forgetRecord(recordId: string): void {
    for (const list of this.lists.values()) list.members.delete(recordId);
  }

  touch(list: StoredList): void {
    list.listVersion += 1;
    list.updatedAt = new Date(this.now()).toISOString();
  }
}

/** The `list` object HubSpot returns from create / get. */
export function publicList(list: StoredList): Record<string, unknown> {
  return {
    listId: list.listId,
    listVersion: list.listVersion,
    name: list.name,
    objectTypeId: list.objectTypeId,
    processingType: list.processingType,
    processingStatus: 'COMPLETE',
    size: list.members.size,
    createdAt: list.createdAt,
    updatedAt: list.updatedAt,
    filtersUpdatedAt: list.updatedAt,
    createdById: '1',
    updatedById: '1',
  };
}
