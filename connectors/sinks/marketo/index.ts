export * from './marketo-sink-config.js';
export * from './marketo-sink.js';
export * from './simulator/marketo-simulator.js';
export * from './client/marketo-client.js';
export * from './client/error-map.js';
