/**
 * The benchmark's points: seeded gaussian blobs, written once as raw
 * little-endian float64 (row-major, rows × columns) to bench/.data/, which
 * both sides read: segflow straight into a SharedArrayBuffer, Python with
 * numpy.fromfile. A `.meta.json` beside it records how it was made; the file
 * is rebuilt whenever that differs.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../../core/random/rng.js';
import type { FeatureMatrix } from '../../core/models/feature-matrix.js';

export interface BlobSpec {
  rows: number;
  columns: number;
  /** True centres. */
  clusters: number;
  seed: number;
}

export interface BlobMeta extends BlobSpec {
  generator: string;
  /** Centres uniform in [-10, 10]^columns (scikit-learn's make_blobs default box). */
  centres: number[][];
  /** Per-cluster standard deviation, uniform in [1, 2]. */
  spreads: number[];
}

/** Bump when the generator changes, so stale files are rebuilt. */
const GENERATOR = 'blobs-v2';

export const DATA_DIRECTORY = join(dirname(fileURLToPath(import.meta.url)), '..', '.data');

export function dataPath(spec: BlobSpec): string {
  return join(DATA_DIRECTORY, `kmeans-blobs-${spec.rows}x${spec.columns}-k${spec.clusters}-seed${spec.seed}.f64`);
}

/** Writes the blobs unless an identical file is already there; returns its path and meta. */
export function ensureBlobs(spec: BlobSpec): { path: string; meta: BlobMeta } {
  const path = dataPath(spec);
  const metaPath = `${path}.meta.json`;
  const rng = createRng(spec.seed);
  const centres = Array.from({ length: spec.clusters }, () => Array.from({ length: spec.columns }, () => rng.next() * 20 - 10));
  const spreads = Array.from({ length: spec.clusters }, () => 1 + rng.next());
  const meta: BlobMeta = { ...spec, generator: GENERATOR, centres, spreads };
  if (existsSync(path) && existsSync(metaPath) && readFileSync(metaPath, 'utf8') === JSON.stringify(meta)) return { path, meta };

  mkdirSync(DATA_DIRECTORY, { recursive: true });
  const data = new Float64Array(spec.rows * spec.columns);
  for (let row = 0; row < spec.rows; row++) {
    const cluster = rng.int(spec.clusters);
    const centre = centres[cluster]!;
    const spread = spreads[cluster]!;
    for (let column = 0; column < spec.columns; column++) data[row * spec.columns + column] = centre[column]! + spread * rng.normal();
  }
  writeFileSync(path, new Uint8Array(data.buffer));
  writeFileSync(metaPath, JSON.stringify(meta));
  return { path, meta };
}

/** Reads the file straight into a SharedArrayBuffer: the worker pool uses it without a copy. */
export function readSharedMatrix(path: string, rows: number, columns: number): FeatureMatrix {
  const descriptor = openSync(path, 'r');
  try {
    const bytes = rows * columns * Float64Array.BYTES_PER_ELEMENT;
    const shared = new SharedArrayBuffer(bytes);
    const view = new Uint8Array(shared);
    let offset = 0;
    while (offset < bytes) {
      const read = readSync(descriptor, view, offset, bytes - offset, offset);
      if (read === 0) throw new Error(`${path}: ended after ${offset} of ${bytes} bytes; delete it to regenerate`);
      offset += read;
    }
    return { rows, columns, data: new Float64Array(shared) };
  } finally {
    closeSync(descriptor);
  }
}
