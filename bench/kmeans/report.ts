import type { FitRecord, KSelectionRecord } from './segflow-side.js';

export interface FitSide {
  label: string;
  fits: FitRecord[];
  wallMs: number;
  peakRssBytes: number;
}

export interface FitSummary {
  label: string;
  medianMs: number;
  /** The first fit of the process: cold code, workers starting (segflow) or BLAS warming up (sklearn). */
  firstMs: number;
  medianInertia: number;
  bestInertia: number;
  medianIterations: number;
  /** Fits that reached the best inertia seen on either side (within 0.01%). */
  optimumHits: number;
  fits: number;
  threads: number;
  peakRssMb: number;
  wallMs: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function summarize(side: FitSide, bestOverall: number): FitSummary {
  const inertias = side.fits.map((fit) => fit.inertia);
  return {
    label: side.label,
    medianMs: median(side.fits.map((fit) => fit.ms)),
    firstMs: side.fits[0]?.ms ?? Number.NaN,
    medianInertia: median(inertias),
    bestInertia: Math.min(...inertias),
    medianIterations: median(side.fits.map((fit) => fit.iterations)),
    optimumHits: inertias.filter((inertia) => inertia <= bestOverall * 1.0001).length,
    fits: side.fits.length,
    threads: side.fits[0]?.threads ?? 0,
    peakRssMb: side.peakRssBytes / 2 ** 20,
    wallMs: side.wallMs,
  };
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export function fitTable(summaries: readonly FitSummary[]): string {
  return table(
    ['side', 'median fit s', 'first fit s', 'median inertia', 'best inertia', 'optimum hits', 'median iters', 'threads', 'peak RSS MB', 'process wall s'],
    summaries.map((summary) => [
      summary.label,
      (summary.medianMs / 1000).toFixed(3),
      (summary.firstMs / 1000).toFixed(3),
      summary.medianInertia.toFixed(1),
      summary.bestInertia.toFixed(1),
      `${summary.optimumHits}/${summary.fits}`,
      String(summary.medianIterations),
      String(summary.threads),
      summary.peakRssMb.toFixed(0),
      (summary.wallMs / 1000).toFixed(2),
    ]),
  );
}

export function kSelectionTable(segflow: KSelectionRecord, sklearn: Omit<KSelectionRecord, 'elbowK' | 'chosenK' | 'reason'>): string {
  return table(
    ['k', 'inertia ratio', 'silhouette segflow', 'silhouette sklearn', 'CH ratio', 'DB ratio'],
    segflow.rows.map((row) => {
      const other = sklearn.rows.find((candidate) => candidate.k === row.k);
      const ratio = (a: number, b: number | undefined): string => (b === undefined ? '-' : (a / b).toFixed(4));
      return [
        String(row.k),
        ratio(row.inertia, other?.inertia),
        row.silhouette.toFixed(4),
        other ? other.silhouette.toFixed(4) : '-',
        ratio(row.calinskiHarabasz, other?.calinskiHarabasz),
        ratio(row.daviesBouldin, other?.daviesBouldin),
      ];
    }),
  );
}
