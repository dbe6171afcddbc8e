import type { SinkRegistration } from './sink-registry.js';

/** Every sink connector segflow ships. Adding one touches this file and its own folder. */
export const SINKS: Record<string, SinkRegistration> = {};
