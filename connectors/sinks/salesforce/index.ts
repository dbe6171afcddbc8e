export * from './salesforce-sink-config.js';
export * from './salesforce-sink.js';
export * from './simulator/index.js';
