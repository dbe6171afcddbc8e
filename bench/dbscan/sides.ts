/** What run.ts asks each side (segflow-side.ts, sklearn_side.py) and what they print. */
export interface DbscanSideRequest {
  /** eps: segflow's suggestion (the knee of the k-distance curve); single / parallel / sklearn: cluster. */
  mode: 'eps' | 'single' | 'parallel' | 'sklearn';
  path: string;
  rows: number;
  columns: number;
  minSamples: number;
  eps?: number;
}

export interface DbscanSideResult {
  /** The clustering alone (or the suggestion), without reading the file or starting the runtime. */
  seconds: number;
  /** CPU time of the process (all threads) over the same span. */
  cpuSeconds: number;
  eps?: number;
  clusters?: number;
  noise?: number;
  /** sha256 of the labels as little-endian int32: equal hashes, equal labels row for row. */
  labelsSha256?: string;
}
