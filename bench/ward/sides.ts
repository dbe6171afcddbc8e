/** What run.ts asks each side (segflow-side.ts, sklearn_side.py) and what they print. */
export interface WardSideRequest {
  path: string;
  rows: number;
  columns: number;
  /** Cuts whose sorted cluster sizes are compared. */
  ks: number[];
}

export interface WardSideResult {
  /** The tree alone, without reading the file or starting the runtime. */
  seconds: number;
  /** CPU time of the process over the same span: on a shared machine, the steadier figure. */
  cpuSeconds: number;
  sizesByK: Record<string, number[]>;
}
