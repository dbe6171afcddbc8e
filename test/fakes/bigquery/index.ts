export * from './bigquery-fake.js';
export * from './fake-service-account.js';
export * from './ga4-export-schema.js';
export * from './ga4-rows.js';
