export * from './config-issue.js';
export * from './durations.js';
export * from './load-mapping.js';
export * from './located-problem.js';
export * from './mapping-schema.js';
export * from './secrets.js';
