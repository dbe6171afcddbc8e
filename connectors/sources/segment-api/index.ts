export { SegmentApiSourceSchema, type SegmentApiSourceConfig } from './segment-api-config.js';
export { createSegmentApiSource, spoolDirectory } from './segment-api-source.js';
export { registerSegmentApiRoutes, type SegmentApiRoutesOptions } from './tracking-api-routes.js';
