export * from './webhook-sink-config.js';
export * from './webhook-sink.js';
export * from './webhook-signature.js';
export * from './simulator/webhook-receiver.js';
