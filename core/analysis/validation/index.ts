export { checkCounts, wilsonInterval, type IntervalOptions, type ProportionInterval } from './wilson-interval.js';
export { meanInterval, type MeanInterval } from './mean-interval.js';
export { segmentKpis, type SegmentKpis, type SegmentMember } from './segment-kpis.js';
export { chiSquareIndependence, type ChiSquareIndependence } from './chi-square-independence.js';
export { kruskalWallis, type KruskalWallis } from './kruskal-wallis.js';
export { oneWayAnova, type OneWayAnova } from './one-way-anova.js';
export { pearsonCorrelation, spearmanCorrelation, type Correlation } from './correlation.js';
