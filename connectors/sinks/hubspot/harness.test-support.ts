import type { SinkHarness } from '../../../test/support/sink-harness.js';
import { createHubSpotSink } from './hubspot-sink.js';
import { startHubSpotSimulator } from './simulator/hubspot-simulator.js';

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
  startSimulator: ({ seed, limits }) => startHubSpotSimulator({ seed, ...(limits ? { limits } : {}) }),
  createSink: (config) => createHubSpotSink(config),
};
