/** n rows × d columns, row-major, in one Float64Array (why: 1M×8 = 64 MB flat vs ~740 MB as arrays of arrays). */
export interface FeatureMatrix { rows: number; columns: number; data: Float64Array; }
