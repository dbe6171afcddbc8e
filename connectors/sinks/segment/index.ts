export * from './segment-sink-config.js';
export * from './segment-sink.js';
export * from './simulator/segment-simulator.js';
export * from './segment-errors.js';
