/**
 * The inputs a profile has already applied (messageId, or `segment␟changeId`),
 * with their event time, oldest first: what makes a replay a no-op. Stored as
 * an array of pairs, not an object keyed by id: a profile's batch copies it
 * once, and copying an array is far cheaper than copying an object with
 * arbitrary keys (which V8 keeps as a dictionary).
 */
export type SeenInputs = Array<[id: string, at: number]>;

/** Look-ups for one profile's batch; the stored list is never mutated. */
export class SeenSet {
  private readonly added: SeenInputs = [];
  /** Built only when many ids are checked: a profile's batch usually brings one or two. */
  private addedIds: Set<string> | undefined;
  private index: Set<string> | undefined;

  constructor(private readonly stored: SeenInputs) {}

  has(id: string): boolean {
    if (this.addedIds !== undefined) {
      if (this.addedIds.has(id)) return true;
    } else if (contains(this.added, id)) return true;
    // Most profiles bring a handful of ids: scanning beats building a set.
    if (this.stored.length <= 16) return contains(this.stored, id);
    this.index ??= new Set(this.stored.map((entry) => entry[0]));
    return this.index.has(id);
  }

  add(id: string, at: number): void {
    this.added.push([id, at]);
    if (this.addedIds !== undefined) this.addedIds.add(id);
    else if (this.added.length > 16) this.addedIds = new Set(this.added.map((entry) => entry[0]));
  }

  /** The list to store: what was there and what was added, without ids older than `horizon`. */
  result(horizon: number): SeenInputs {
    const stale = this.stored.length > 0 && (this.stored[0] as [string, number])[1] < horizon;
    if (this.added.length === 0 && !stale) return this.stored;
    const kept = stale ? this.stored.filter((entry) => entry[1] >= horizon) : this.stored.slice();
    let ordered = true;
    for (const entry of this.added) {
      if (entry[1] < horizon) continue;
      const last = kept[kept.length - 1];
      if (last !== undefined && last[1] > entry[1]) ordered = false;
      kept.push(entry);
    }
    // Late events arrive out of time order; the prune above needs the oldest first.
    if (!ordered) kept.sort((left, right) => left[1] - right[1]);
    return kept;
  }
}

function contains(list: SeenInputs, id: string): boolean {
  for (let index = 0; index < list.length; index++) if ((list[index] as [string, number])[0] === id) return true;
  return false;
}
