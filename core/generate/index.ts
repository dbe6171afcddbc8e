export { createCatalog, DEALS_CATEGORY, type Catalog, type Product } from './catalog.js';
export { CHURN_QUIET_DAYS, NEW_CUSTOMER_DAYS, PERSONA_NAMES, PERSONAS, personaForUser, type Lifecycle, type Persona, type PersonaName, type PriceTier } from './personas.js';
export {
  DEFAULT_WORLD_DAYS, DEFAULT_WORLD_START, MEAN_EVENTS_PER_USER, generateRetailUsers, generateRetailWorld, resolveWorld, usersForEvents, windowStartEndingToday,
  type RetailWorldOptions, type WorldMessage,
} from './retail-world.js';
export { RETAIL_EVENTS, type AliasMessage, type IdentifyMessage, type PageMessage, type SegmentMessage, type TrackMessage } from './segment-message.js';
export { simulateUser, type SimulatedUser, type UserTruth, type WorldSettings } from './user-simulation.js';
export { truthPathFor, writeWorld, type WriteWorldResult } from './write-world.js';
export { worldJsonlChunk, worldLineChunk, type WorldJsonlChunk, type WorldLineChunk } from './world-line-chunk.js';
export { streamWorldEvents, streamWorldJsonl, streamWorldLines, type WorldLineStreamOptions } from './world-line-stream.js';
export { worldEventChunk, type WorldEventChunk, type WorldEventItem } from './world-event-chunk.js';
