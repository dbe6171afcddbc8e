import type { TriggerTimer } from './engine-records.js';

/**
 * A min-heap of (fireAt, timer) for the in-memory repository's "due before t".
 * Removal is lazy: the repository keeps the set of live timer objects and
 * skips heap entries whose timer is no longer in it, so moving a timer costs
 * one push and no key strings are built or split.
 */
export interface HeapEntry {
  fireAt: number;
  /** The profile the timer was committed under. */
  profileId: string;
  timer: TriggerTimer;
}

export class TimerHeap {
  private readonly entries: HeapEntry[] = [];

  get size(): number {
    return this.entries.length;
  }

  push(entry: HeapEntry): void {
    const entries = this.entries;
    entries.push(entry);
    let index = entries.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if ((entries[parent] as HeapEntry).fireAt <= entry.fireAt) break;
      entries[index] = entries[parent] as HeapEntry;
      index = parent;
    }
    entries[index] = entry;
  }

  peek(): HeapEntry | undefined {
    return this.entries[0];
  }

  pop(): HeapEntry | undefined {
    const entries = this.entries;
    const top = entries[0];
    const last = entries.pop();
    if (top === undefined || last === undefined || entries.length === 0) return top;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      let smallestAt = last.fireAt;
      if (left < entries.length && (entries[left] as HeapEntry).fireAt < smallestAt) {
        smallest = left;
        smallestAt = (entries[left] as HeapEntry).fireAt;
      }
      if (right < entries.length && (entries[right] as HeapEntry).fireAt < smallestAt) smallest = right;
      if (smallest === index) break;
      entries[index] = entries[smallest] as HeapEntry;
      index = smallest;
    }
    entries[index] = last;
    return top;
  }
}
