export * from './csv-orders-config.js';
export { createCsvOrdersSource } from './csv-orders-source.js';
export { planResume, type FileProgress, type FilesCursor, type ResumePlan } from '../shared/file-cursor.js';
