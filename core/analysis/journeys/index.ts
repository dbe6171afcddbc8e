// The journey analyses; transition-matrix is an internal helper.
export * from './sequences.js';
export * from './wilson-interval.js';
export * from './markov-transitions.js';
export * from './absorbing-chain.js';
export * from './funnel.js';
export * from './top-paths.js';
export * from './sankey.js';
export * from './segment-migration.js';
