export * from './segment-files-config.js';
export * from './segment-files-source.js';
