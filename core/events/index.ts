export * from './canonical-event.js';
export * from './normalize-segment.js';
export * from './segment-timestamp.js';
