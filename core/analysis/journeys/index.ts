// The journey analyses; transition-matrix, lu-decomposition and quantile are internal helpers.
export * from './sequences.js';
export * from './wilson-interval.js';
export * from './markov-transitions.js';
export * from './absorbing-chain.js';
export * from './funnel.js';
export * from './top-paths.js';
export * from './sankey.js';
export * from './segment-migration.js';
