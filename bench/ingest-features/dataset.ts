import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { usersForEvents, writeWorld } from '../../core/generate/index.js';

export interface Dataset {
  path: string;
  /** Lines in the file: the input records both sides read. */
  lines: number;
  bytes: number;
  /** Seconds spent generating it this run; null when reused. */
  generatedSeconds: number | null;
}

/** Segment retries at retail.yaml's rate, so both sides' dedup has work to do. */
const DUPLICATE_RATE = 0.002;
const SEED = 7;
const START = Date.UTC(2025, 5, 1);
const GENERATOR_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'core', 'generate');

interface DatasetMeta {
  seed: number;
  users: number;
  start: number;
  duplicateRate: number;
  generator: string;
  lines: number;
  bytes: number;
}

/**
 * The synthetic retail world for ~`events` messages, as plain JSONL (not gz:
 * segflow and DuckDB must read the same bytes, and DuckDB would decompress
 * with its own, different, gzip code). Reused when a file written with the
 * same options and the same generator sources is present and still has the
 * size recorded next to it.
 */
export async function ensureDataset(directory: string, events: number): Promise<Dataset> {
  const path = datasetPath(directory, events);
  const metaPath = `${path}.meta.json`;
  const wanted = { seed: SEED, users: usersForEvents(events, { duplicateRate: DUPLICATE_RATE }), start: START, duplicateRate: DUPLICATE_RATE };
  const generator = generatorFingerprint();
  const previous = readMeta(metaPath);
  if (previous && existsSync(path) && statSync(path).size === previous.bytes && sameOptions(previous, wanted) && previous.generator === generator) {
    return { path, lines: previous.lines, bytes: previous.bytes, generatedSeconds: null };
  }
  const started = performance.now();
  const written = await writeWorld(path, wanted);
  const meta: DatasetMeta = { ...wanted, generator, lines: written.events, bytes: written.uncompressedBytes };
  writeFileSync(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  return { path, lines: meta.lines, bytes: meta.bytes, generatedSeconds: (performance.now() - started) / 1000 };
}

export function datasetPath(directory: string, events: number): string {
  return join(directory, `segment-seed${SEED}-${events}.jsonl`);
}

/**
 * Reads the file once so neither side pays for cold disk reads: the machine
 * has the memory to cache it, and whichever side ran first would otherwise
 * be handicapped.
 */
export async function warmPageCache(path: string): Promise<void> {
  for await (const _chunk of createReadStream(path, { highWaterMark: 8 << 20 })) {
    // reading is the point
  }
}

/**
 * A hash of the generator's sources: any change to them (new ids, new
 * fields) makes a stored file stale. Over-cautious (a comment edit
 * regenerates too), but regenerating costs seconds, benchmarking stale data
 * a wrong conclusion.
 */
function generatorFingerprint(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(GENERATOR_DIR).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts')).sort()) {
    hash.update(name).update(readFileSync(join(GENERATOR_DIR, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

function readMeta(path: string): DatasetMeta | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as DatasetMeta;
  } catch {
    return null;
  }
}

function sameOptions(meta: DatasetMeta, wanted: Omit<DatasetMeta, 'generator' | 'lines' | 'bytes'>): boolean {
  return meta.seed === wanted.seed && meta.users === wanted.users && meta.start === wanted.start && meta.duplicateRate === wanted.duplicateRate;
}
