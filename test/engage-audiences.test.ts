import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpotSimulator } from '../connectors/sinks/hubspot/index.js';
import { hubspotConnectionYaml, hubspotSecrets } from './support/hubspot-account.js';
import { INGEST_ENV, INGEST_MAPPING, basicAuth, startIngestServer, WRITE_KEY } from './support/ingest-server.js';
import { runMapping, writeMapping } from './support/run-mapping.js';
import { temporaryDirectory } from './support/temporary-directory.js';

/**
 * Engage audiences pushed to `segflow serve` (identify traits and
 * Audience Entered / Exited tracks, as Engage sends them) become segments a
 * sink list follows: entered → added to the HubSpot list, exited → removed.
 */
type Simulator = Awaited<ReturnType<typeof startHubSpotSimulator>>;
let simulator: Simulator;
const NOW = Date.parse('2026-11-30T12:00:00Z');

beforeAll(async () => {
  simulator = await startHubSpotSimulator({ seed: 17 });
});
afterAll(async () => {
  await simulator?.stop();
});

const personas = (key: string) => ({ personas: { computation_class: 'audience', computation_key: key, computation_id: `aud_${key}`, space_id: 'spa_1' } });

function audienceEvent(userId: string, key: string, entered: boolean, at: string, messageId: string) {
  return { type: 'track', userId, messageId, timestamp: at, event: entered ? 'Audience Entered' : 'Audience Exited', properties: { audience_key: key, [key]: entered }, context: personas(key) };
}

function mapping(): string {
  return `${INGEST_MAPPING}  - id: engage
    model: audiences
    audiences: [vip_shoppers, churn_risk]
    names: { vip_shoppers: VIP shoppers }
sinks:
  - id: crm
    type: hubspot
${hubspotConnectionYaml(simulator)}
    lists:
      - segment: engage/vip_shoppers
        name: "Engage: VIP shoppers"
`;
}

async function push(directory: string, batch: unknown[]): Promise<void> {
  const live = await startIngestServer(directory, {}, mapping());
  try {
    const response = await fetch(`${live.server.url}/v1/batch`, { method: 'POST', headers: { authorization: basicAuth(WRITE_KEY), 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
    expect(response.status).toBe(200);
  } finally {
    await live.close();
  }
}

describe('Engage audiences as segments', () => {
  it('adds entered members to the sink list and removes those who exited', async () => {
    const directory = temporaryDirectory('engage');
    const people = ['ada', 'bob', 'cy', 'dee'];
    await push(directory, [
      ...people.map((name, index) => ({ type: 'identify', userId: name, messageId: `id-${name}`, timestamp: '2026-11-01T09:00:00Z', traits: { email: `${name}@example.com`, churn_risk: index === 3 } })),
      audienceEvent('ada', 'vip_shoppers', true, '2026-11-02T10:00:00Z', 'e1'),
      audienceEvent('bob', 'vip_shoppers', true, '2026-11-02T10:00:00Z', 'e2'),
      audienceEvent('cy', 'vip_shoppers', true, '2026-11-02T10:00:00Z', 'e3'),
      // An exit older than the entry that follows it does not win.
      audienceEvent('cy', 'vip_shoppers', false, '2026-11-01T10:00:00Z', 'e4'),
    ]);
    const file = join(directory, 'mapping.yaml');
    writeMapping(directory, mapping());
    const env = { ...INGEST_ENV, ...hubspotSecrets(simulator) };
    const first = await runMapping(file, join(directory, 'state'), () => NOW, env);
    const vip = first.segments.find((segment) => segment.id === 'engage/vip_shoppers');
    expect(vip).toMatchObject({ name: 'VIP shoppers', size: 3 });
    // From the identify trait: dee is in churn_risk.
    expect(first.segments.find((segment) => segment.id === 'engage/churn_risk')?.size).toBe(1);
    expect([...simulator.view.listMembers('Engage: VIP shoppers')].sort()).toEqual(['ada@example.com', 'bob@example.com', 'cy@example.com']);

    await push(directory, [audienceEvent('bob', 'vip_shoppers', false, '2026-11-20T10:00:00Z', 'e5')]);
    const second = await runMapping(file, join(directory, 'state'), () => NOW, env);
    expect(second.segments.find((segment) => segment.id === 'engage/vip_shoppers')?.size).toBe(2);
    expect([...simulator.view.listMembers('Engage: VIP shoppers')].sort()).toEqual(['ada@example.com', 'cy@example.com']);
  });
});
