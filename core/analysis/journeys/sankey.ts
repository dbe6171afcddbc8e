/**
 * Sankey data for a journey report: one node per (step, state), where step k
 * is the k-th state of a sequence (0-based, after optionally merging
 * repeats), and one link per observed move from step k to step k + 1. A
 * sequence that ends at step k flows into an `exit` node at step k + 1, so
 * every node's outflow (plus, at the last depth, what was cut off) equals its inflow.
 *
 * The shape is what d3-sankey and ECharts read: links point at node indices.
 * Nodes are ordered by step, then state index, with exit last; links by
 * source, then target, so the output is stable for snapshots and diffs.
 */
import { EXIT_STATE } from './markov-transitions.js';
import { assertValidSequences, collapseRepeats, type StateSequences } from './sequences.js';

export interface SankeyOptions {
  /** Steps shown (nodes at steps 0 … maxDepth - 1); longer sequences are cut there. @default 5 */
  maxDepth?: number;
  /** Merge immediate repeats first, so view, view does not spend a step. @default true */
  collapseRepeats?: boolean;
  /** Add exit nodes for sequences that end within the shown steps. @default true */
  includeExit?: boolean;
}

export interface SankeyNode {
  /** `${step}:${name}`, unique. */
  id: string;
  name: string;
  step: number;
}

export interface SankeyLink {
  /** Index into `nodes`. */
  source: number;
  target: number;
  /** Sequences making this move. */
  value: number;
}

export interface SankeyData {
  nodes: SankeyNode[];
  links: SankeyLink[];
}

export function sankey(sequences: StateSequences, options: SankeyOptions = {}): SankeyData {
  assertValidSequences(sequences, 'sankey');
  const maxDepth = options.maxDepth ?? 5;
  if (!(Number.isInteger(maxDepth) && maxDepth >= 1)) throw new RangeError(`sankey: maxDepth must be a positive integer, got ${maxDepth}`);
  const input = (options.collapseRepeats ?? true) ? collapseRepeats(sequences) : sequences;
  // Column `exit` (= stateCount) of the step-k block holds sequences that end after step k.
  const width = sequences.stateNames.length + 1;
  const exit = width - 1;
  const { occupancy, moves } = countSteps(input, maxDepth, width, options.includeExit ?? true);
  const nodeIndex = new Int32Array(occupancy.length).fill(-1);
  const names = [...sequences.stateNames, EXIT_STATE];
  const nodes: SankeyNode[] = [];
  for (let slot = 0; slot < occupancy.length; slot++) {
    if (occupancy[slot] === 0) continue;
    const step = Math.floor(slot / width);
    const name = names[slot % width] as string;
    nodeIndex[slot] = nodes.length;
    nodes.push({ id: `${step}:${name}`, name, step });
  }
  const links: SankeyLink[] = [];
  for (let step = 0; step < maxDepth; step++) {
    for (let from = 0; from < exit; from++) {
      for (let to = 0; to < width; to++) {
        const value = moves[(step * width + from) * width + to] as number;
        if (value === 0) continue;
        links.push({ source: nodeIndex[step * width + from] as number, target: nodeIndex[(step + 1) * width + to] as number, value });
      }
    }
  }
  return { nodes, links };
}

/**
 * occupancy[step × width + state]: sequences at that state at that step (steps 0 … maxDepth, the
 * last only for exits); moves[(step × width + from) × width + to]: moves from step to step + 1.
 */
function countSteps(sequences: StateSequences, maxDepth: number, width: number, includeExit: boolean): { occupancy: Float64Array; moves: Float64Array } {
  const { states, offsets } = sequences;
  const exit = width - 1;
  const occupancy = new Float64Array((maxDepth + 1) * width);
  const moves = new Float64Array(maxDepth * width * width);
  for (let sequence = 0; sequence + 1 < offsets.length; sequence++) {
    const first = offsets[sequence] as number;
    const length = (offsets[sequence + 1] as number) - first;
    const shown = Math.min(length, maxDepth);
    for (let step = 0; step < shown; step++) {
      const state = states[first + step] as number;
      occupancy[step * width + state] = (occupancy[step * width + state] as number) + 1;
      const isLast = step === length - 1;
      if (step + 1 < shown || (isLast && includeExit)) {
        const next = isLast ? exit : (states[first + step + 1] as number);
        const cell = (step * width + state) * width + next;
        moves[cell] = (moves[cell] as number) + 1;
        if (isLast) occupancy[(step + 1) * width + exit] = (occupancy[(step + 1) * width + exit] as number) + 1;
      }
    }
  }
  return { occupancy, moves };
}
