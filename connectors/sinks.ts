import type { SinkRegistration } from './sink-registry.js';
import { createMarketoSink, MarketoSinkSchema, startMarketoSimulator } from './sinks/marketo/index.js';

/** Every sink connector segflow ships. Adding one touches this file and its own folder. */
export const SINKS: Record<string, SinkRegistration> = {
  marketo: {
    schema: MarketoSinkSchema,
    create: (config) => createMarketoSink(config),
    startSandbox: (options) => startMarketoSimulator(options),
  },
};
