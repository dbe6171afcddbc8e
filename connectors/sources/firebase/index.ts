export * from './ga4-bigquery-config.js';
export * from './ga4-bigquery-source.js';
export * from './ga4-files-config.js';
export * from './ga4-files-source.js';
export { ga4RecordToEvent, mapGa4Row, type Ga4EventResult, type Ga4MappingOptions } from './ga4-event.js';
