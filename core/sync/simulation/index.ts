export * from './fault-plan.js';
export * from './json-server.js';
export * from './rolling-window.js';
export * from './sink-harness.js';
export * from './stats.js';
export * from './simulator-types.js';
export * from './sync-scenario.js';
