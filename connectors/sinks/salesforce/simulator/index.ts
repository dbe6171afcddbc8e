export type { BulkFaults } from './bulk-ingest.js';
export * from './salesforce-simulator.js';
export type { CustomFieldSpec, FieldType, PersonObject } from './sobject-schema.js';
export type { PlatformEventFieldSpec, PublishedEvent } from './event-bus.js';
