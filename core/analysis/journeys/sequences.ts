/**
 * The input every journey computation shares: many event sequences stored
 * back to back in flat typed arrays (CSR style), so ten million events cost
 * 40 MB of Int32 plus 80 MB of optional Float64 timestamps instead of ten
 * million objects. Sequence i is `states[offsets[i]] … states[offsets[i + 1] - 1]`.
 *
 * Raw events arrive as codes into an event-name table; `mapEventsToStates`
 * turns them into journey states through a name mapping (`Product Viewed →
 * view`). Unmapped events are dropped rather than kept as "other", because a
 * page ping between two views would otherwise break every view → cart pair.
 */

export interface StateSequences {
  /** State index (into `stateNames`) of every event, all sequences back to back. */
  readonly states: Int32Array;
  /** `sequenceCount + 1` entries; `offsets[0] = 0`, the last equals `states.length`. */
  readonly offsets: Int32Array;
  /** Names of the states 0 … n-1. */
  readonly stateNames: readonly string[];
  /** Epoch milliseconds aligned with `states`, ascending within a sequence; needed only for time-to-convert. */
  readonly timestamps?: Float64Array;
}

export interface EventSequences {
  /** Event-name code (into `eventNames`) of every event, sequences back to back. */
  readonly events: Int32Array;
  readonly offsets: Int32Array;
  readonly eventNames: readonly string[];
  readonly timestamps?: Float64Array;
}

/** Event name → state name, e.g. `{ 'Product Viewed': 'view', 'Order Completed': 'purchase' }`. */
export type StateMapping = Readonly<Record<string, string>>;

export interface MapEventsOptions {
  /**
   * Merge immediate repeats (view, view → view), keeping the first event's timestamp.
   * @default false
   */
  collapseRepeats?: boolean;
}

export function sequenceCount(sequences: Pick<StateSequences, 'offsets'>): number {
  return Math.max(0, sequences.offsets.length - 1);
}

/** Throws a RangeError naming the caller and the first broken invariant, so a bad loader fails before any count is wrong. */
export function assertValidSequences(sequences: StateSequences, caller: string): void {
  const { states, offsets, stateNames, timestamps } = sequences;
  if (offsets.length === 0 || offsets[0] !== 0) {
    throw new RangeError(`${caller}: offsets must start with 0 (got length ${offsets.length}, first ${offsets[0]})`);
  }
  if (offsets[offsets.length - 1] !== states.length) {
    throw new RangeError(`${caller}: the last offset (${offsets[offsets.length - 1]}) must equal states.length (${states.length})`);
  }
  for (let index = 1; index < offsets.length; index++) {
    if ((offsets[index] as number) < (offsets[index - 1] as number)) {
      throw new RangeError(`${caller}: offsets must not decrease (offsets[${index}] = ${offsets[index]} < ${offsets[index - 1]})`);
    }
  }
  for (let index = 0; index < states.length; index++) {
    const state = states[index] as number;
    if (state < 0 || state >= stateNames.length) {
      throw new RangeError(`${caller}: states[${index}] = ${state} is outside the ${stateNames.length} state names`);
    }
  }
  if (timestamps !== undefined && timestamps.length !== states.length) {
    throw new RangeError(`${caller}: timestamps has ${timestamps.length} entries, states has ${states.length}; they must be aligned`);
  }
}

/** Resolves state names to indices; throws listing every unknown name and the known ones. */
export function stateIndices(stateNames: readonly string[], wanted: readonly string[], caller: string): number[] {
  const missing = wanted.filter((name) => !stateNames.includes(name));
  if (missing.length > 0) {
    throw new RangeError(`${caller}: unknown state(s) ${missing.join(', ')}; known states are ${stateNames.join(', ')}`);
  }
  return wanted.map((name) => stateNames.indexOf(name));
}

/**
 * Event codes → state indices through `mapping`. State indices follow the
 * order of first appearance among the mapping's values, so the same mapping
 * always gives the same indices whatever the data.
 */
export function mapEventsToStates(input: EventSequences, mapping: StateMapping, options: MapEventsOptions = {}): StateSequences {
  const stateNames = [...new Set(Object.values(mapping))];
  const stateOfEvent = new Int32Array(input.eventNames.length).fill(-1);
  input.eventNames.forEach((name, code) => {
    const stateName = Object.hasOwn(mapping, name) ? mapping[name] : undefined;
    if (stateName !== undefined) stateOfEvent[code] = stateNames.indexOf(stateName);
  });
  const codeToState = (code: number): number => {
    if (code < 0 || code >= stateOfEvent.length) {
      throw new RangeError(`mapEventsToStates: event code ${code} is outside the ${stateOfEvent.length} event names`);
    }
    return stateOfEvent[code] as number;
  };
  return compact(input.events.map(codeToState), input.offsets, stateNames, input.timestamps, options.collapseRepeats ?? false);
}

/** Merges immediate repeats (view, view, cart → view, cart), keeping the first timestamp of each run. */
export function collapseRepeats(sequences: StateSequences): StateSequences {
  return compact(sequences.states, sequences.offsets, sequences.stateNames, sequences.timestamps, true);
}

/** Drops entries marked -1 and, optionally, immediate repeats; one pass, arrays trimmed to fit. */
function compact(
  states: Int32Array,
  offsets: Int32Array,
  stateNames: readonly string[],
  timestamps: Float64Array | undefined,
  dropRepeats: boolean,
): StateSequences {
  const outStates = new Int32Array(states.length);
  const outTimes = timestamps === undefined ? undefined : new Float64Array(states.length);
  const outOffsets = new Int32Array(offsets.length);
  let written = 0;
  for (let sequence = 0; sequence + 1 < offsets.length; sequence++) {
    let previous = -1;
    for (let index = offsets[sequence] as number; index < (offsets[sequence + 1] as number); index++) {
      const state = states[index] as number;
      if (state < 0 || (dropRepeats && state === previous)) continue;
      outStates[written] = state;
      if (outTimes !== undefined && timestamps !== undefined) outTimes[written] = timestamps[index] as number;
      written++;
      previous = state;
    }
    outOffsets[sequence + 1] = written;
  }
  const result: StateSequences = { states: outStates.slice(0, written), offsets: outOffsets, stateNames };
  return outTimes === undefined ? result : { ...result, timestamps: outTimes.slice(0, written) };
}
