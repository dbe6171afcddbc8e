import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { applyScaler, fitScaler } from '../features/scaling.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { cutDendrogram, wardClustering } from './hierarchical.js';
import { wardLinkage } from './hierarchical-ward.js';
import { sortedSizes } from './models-oracle.test-support.js';

/**
 * Exact Ward past the old 10,000-row cap, against scikit-learn's
 * AgglomerativeClustering(linkage='ward') (test/oracles/ward_exact.py).
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RETAIL = `${ROOT}../shared/datasets/online-retail/online_retail.csv.gz`;

const Case = z.object({ rows: z.number(), first_row: z.array(z.number()), sizes_sorted_by_k: z.record(z.string(), z.array(z.number())) });
const oracle = z
  .object({ blobs: Case.extend({ columns: z.number(), centres: z.number(), seed: z.number() }), invoices: Case })
  .parse(JSON.parse(readFileSync(`${ROOT}test/fixtures/ward/ward-exact-oracle.json`, 'utf8')));

/** The oracle's LCG blobs, bit for bit (only + − × on doubles made from 32-bit integers). */
function lcgBlobs(rows: number, columns: number, centres: number, seed: number): FeatureMatrix {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (Math.imul(1664525, state) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const data = new Float64Array(rows * columns);
  for (let row = 0; row < rows; row++) {
    const centre = Math.floor(uniform() * centres);
    for (let column = 0; column < columns; column++) {
      const noise = uniform() + uniform() + uniform() + uniform() - 2;
      data[row * columns + column] = 3 * ((centre * 7 + column * 3) % 5) + noise;
    }
  }
  return { rows, columns, data };
}

/** Splits one CSV line, honouring double quotes (descriptions hold commas). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!;
    if (quoted) {
      if (char === '"' && line[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    }
    else field += char;
  }
  fields.push(field);
  return fields;
}

/** The oracle's invoice matrix: per purchase invoice log1p(lines, items, revenue), standardised, in InvoiceNo order. */
function invoiceMatrix(): FeatureMatrix {
  const totals = new Map<string, [number, number, number]>();
  const lines = gunzipSync(readFileSync(RETAIL)).toString('utf8').split('\n');
  for (let index = 1; index < lines.length; index++) {
    if (lines[index]!.length === 0) continue;
    const [invoice, , , quantityText, , priceText] = csvFields(lines[index]!);
    const quantity = Number(quantityText);
    const price = Number(priceText);
    if (invoice!.startsWith('C') || !(quantity > 0) || !(price > 0)) continue;
    const total = totals.get(invoice!) ?? [0, 0, 0];
    total[0] += 1;
    total[1] += quantity;
    total[2] += quantity * price;
    totals.set(invoice!, total);
  }
  const invoices = [...totals.keys()].sort();
  const columns = [0, 1, 2].map((feature) => {
    const values = Float64Array.from(invoices, (invoice) => Math.log1p(totals.get(invoice)![feature]!));
    return applyScaler(values, fitScaler(values, 'zscore'));
  });
  const data = new Float64Array(invoices.length * 3);
  invoices.forEach((_, row) => columns.forEach((values, column) => (data[row * 3 + column] = values[row]!)));
  return { rows: invoices.length, columns: 3, data };
}

function sizesAt(labels: Int32Array, k: number): number[] {
  const sizes = new Array<number>(k).fill(0);
  for (const label of labels) sizes[label]!++;
  return sortedSizes(sizes);
}

function expectSklearnSizes(matrix: FeatureMatrix, expected: Record<string, number[]>): void {
  const dendrogram = wardLinkage(matrix);
  for (const [k, sizes] of Object.entries(expected)) expect(sizesAt(cutDendrogram(dendrogram, Number(k)), Number(k))).toEqual(sizes);
}

describe('exact Ward beyond 10,000 rows (NN-chain over centroids)', () => {
  it('12,000 × 8 blobs: the cluster sizes of sklearn\'s exact Ward for k = 2..8', () => {
    const { rows, columns, centres, seed } = oracle.blobs;
    const matrix = lcgBlobs(rows, columns, centres, seed);
    expect(Array.from(matrix.data.subarray(0, columns))).toEqual(oracle.blobs.first_row); // the same points as the oracle's
    expectSklearnSizes(matrix, oracle.blobs.sizes_sorted_by_k);
  });

  it.skipIf(!existsSync(RETAIL))(`Online Retail purchase invoices: sklearn's exact sizes for k = 2..8, where a sample differs`, () => {
    const matrix = invoiceMatrix();
    expect(matrix.rows).toBe(oracle.invoices.rows);
    Array.from(matrix.data.subarray(0, 3)).forEach((value, column) => expect(value).toBeCloseTo(oracle.invoices.first_row[column]!, 12));
    expectSklearnSizes(matrix, oracle.invoices.sizes_sorted_by_k);
    // Why exact matters: a 10,000-row sample (the old cap) moves customers between segments.
    const sampled = wardClustering(matrix, { clusters: 4, sampleSize: 10_000, seed: 0 });
    expect(sortedSizes(sampled.sizes)).not.toEqual(oracle.invoices.sizes_sorted_by_k['4']);
  });
});
