import { scenarioSpec, type ScenarioFields, type SinkHarness } from '../../../core/sync/simulation/index.js';
import { createHubSpotSink } from './hubspot-sink.js';
import { encodeValue, encodingFor, type PropertyEncoding } from './property-encoding.js';
import { startHubSpotSimulator } from './simulator/hubspot-simulator.js';

const FIELDS: ScenarioFields = { segments: 'segflow_segments', score: 'segflow_score' };
// The encodings the sink derives from the scenario's spec in `prepare`, so values are compared the way HubSpot stores them.
const ENCODINGS: ReadonlyMap<string, PropertyEncoding> = new Map(scenarioSpec(FIELDS).properties.map((property) => [property.name, encodingFor(property)]));

/**
 * The HubSpot entry of the shared sink suites. The simulator's sinkConfig
 * carries OAuth app credentials (access token, refresh token, client id and
 * secret), so `expireTokens()` is survived by a refresh. Notes for the
 * suites: view records are keyed by the lowercased email (HubSpot lowercases
 * emails); enumeration values are stored as option internal values (a slug
 * of each option name, `;`-joined); a property set to null is absent.
 */
export const harness: SinkHarness = {
  name: 'hubspot',
  fields: FIELDS,
  // HubSpot stores text: the sink's own encoding is what the vendor holds.
  writtenAs: (field, value) => encodeValue(value, ENCODINGS.get(field)),
  supports: {},
  startSimulator: ({ seed, limits }) => startHubSpotSimulator({ seed, ...(limits ? { limits } : {}) }),
  createSink: (config) => createHubSpotSink(config),
};
