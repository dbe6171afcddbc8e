export * from './hubspot-sink-config.js';
export * from './hubspot-sink.js';
export * from './simulator/hubspot-simulator.js';
