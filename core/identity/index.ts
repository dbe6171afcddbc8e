export * from './identity-graph.js';
export * from './stitch-profiles.js';
