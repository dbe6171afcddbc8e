export * from './synthetic-source.js';
