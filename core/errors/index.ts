export * from './connector-error.js';
export * from './user-error.js';
