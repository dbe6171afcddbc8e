import type { startHubSpotSimulator } from '../../connectors/sinks/hubspot/index.js';

/**
 * A HubSpot simulator used as a real account would be: the mapping names its
 * URL and the secrets by `${env:…}`, the environment holds them (a literal
 * token in a mapping is a config error).
 */
type Simulator = Awaited<ReturnType<typeof startHubSpotSimulator>>;

/** The connection lines of a `type: hubspot` sink section (indented for a list item). */
export function hubspotConnectionYaml(simulator: Simulator): string {
  const config = simulator.sinkConfig as Record<string, string>;
  return [
    `    base_url: ${simulator.url}`,
    '    access_token: ${env:TEST_HUBSPOT_TOKEN}',
    '    refresh_token: ${env:TEST_HUBSPOT_REFRESH}',
    `    client_id: ${config.client_id ?? ''}`,
    '    client_secret: ${env:TEST_HUBSPOT_SECRET}',
  ].join('\n');
}

/** The environment those lines refer to. */
export function hubspotSecrets(simulator: Simulator): Record<string, string> {
  const config = simulator.sinkConfig as Record<string, string>;
  return { TEST_HUBSPOT_TOKEN: config.access_token ?? '', TEST_HUBSPOT_REFRESH: config.refresh_token ?? '', TEST_HUBSPOT_SECRET: config.client_secret ?? '' };
}
