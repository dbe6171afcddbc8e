import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpotSimulator } from '../connectors/sinks/hubspot/index.js';
import { startMixpanelExportFake, type MixpanelExportFake } from './fakes/mixpanel/export-fake.js';
import { hubspotConnectionYaml, hubspotSecrets } from './support/hubspot-account.js';
import { INGEST_ENV, startIngestServer } from './support/ingest-server.js';
import { runMapping } from './support/run-mapping.js';
import { temporaryDirectory } from './support/temporary-directory.js';

/**
 * Mixpanel cohort syncs pushed to `segflow serve`: a full `members` export,
 * then `add_members` / `remove_members` diffs, become a segment whose
 * HubSpot list follows the cohort; wrong credentials are refused.
 */
type Simulator = Awaited<ReturnType<typeof startHubSpotSimulator>>;
let simulator: Simulator;
let exportFake: MixpanelExportFake;
const NOW = Date.parse('2026-11-30T12:00:00Z');
const ENV = { ...INGEST_ENV, MP_USER: 'sa', MP_SECRET: 'secret', MP_HOOK_PASSWORD: 'hook-pass-1' };
const COHORT = 'mixpanel:4242:77';

beforeAll(async () => {
  simulator = await startHubSpotSimulator({ seed: 23 });
  // The fake's rate windows run on the wall clock, as Mixpanel's do (the runs' clock is pinned).
  exportFake = await startMixpanelExportFake({ projectId: '4242', username: ENV.MP_USER, secret: ENV.MP_SECRET });
});
afterAll(async () => {
  await simulator?.stop();
  await exportFake?.close();
});

function mapping(): string {
  return `version: 1
name: cohorts
sources:
  - id: mp
    type: mixpanel
    project_id: 4242
    service_account: { username: '\${env:MP_USER}', secret: '\${env:MP_SECRET}' }
    from_date: "2026-11-28"
    base_url: ${exportFake.url}
    cohort_webhook: { username: segflow, password: '\${env:MP_HOOK_PASSWORD}' }
features:
  include: [frequency]
segments:
  - id: cohorts
    model: audiences
    names: { "${COHORT}": Power users }
sinks:
  - id: crm
    type: hubspot
${hubspotConnectionYaml(simulator)}
    lists:
      - segment: cohorts/${COHORT}
        name: "Mixpanel: power users"
`;
}

const member = (name: string) => ({ mixpanel_distinct_id: name, email: `${name}@example.com`, first_name: name });
const body = (action: string, members: unknown[]) => ({ action, parameters: { mixpanel_project_id: '4242', mixpanel_cohort_id: '77', mixpanel_cohort_name: 'Power users', members } });

async function deliver(directory: string, messages: Array<{ body: unknown; password?: string; expect: number }>): Promise<void> {
  const live = await startIngestServer(directory, {}, mapping(), ENV);
  try {
    for (const message of messages) {
      const response = await fetch(`${live.server.url}/webhooks/mixpanel/mp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`segflow:${message.password ?? ENV.MP_HOOK_PASSWORD}`).toString('base64')}` },
        body: JSON.stringify(message.body),
      });
      expect(response.status).toBe(message.expect);
    }
  } finally {
    await live.close();
  }
}

describe('Mixpanel cohort webhook', () => {
  it('keeps a sink list in step with the cohort: full export, then added and removed members', async () => {
    const directory = temporaryDirectory('mp-cohorts');
    const env = { ...ENV, ...hubspotSecrets(simulator) };
    const file = join(directory, 'mapping.yaml');
    await deliver(directory, [
      { body: body('members', [member('ann'), member('ben'), member('cat')]), expect: 200 },
      // Retried delivery of the same body: stored once.
      { body: body('members', [member('ann'), member('ben'), member('cat')]), expect: 200 },
      { body: body('add_members', [member('eve')]), password: 'wrong', expect: 401 },
      { body: { action: 'members', parameters: {} }, expect: 400 },
    ]);
    const first = await runMapping(file, join(directory, 'state'), () => NOW, env);
    expect(first.segments.find((segment) => segment.id === `cohorts/${COHORT}`)).toMatchObject({ name: 'Power users', size: 3 });
    expect([...simulator.view.listMembers('Mixpanel: power users')].sort()).toEqual(['ann@example.com', 'ben@example.com', 'cat@example.com']);

    await deliver(directory, [
      { body: body('add_members', [member('dan')]), expect: 200 },
      { body: body('remove_members', [member('ben')]), expect: 200 },
    ]);
    const second = await runMapping(file, join(directory, 'state'), () => NOW, env);
    expect(second.segments.find((segment) => segment.id === `cohorts/${COHORT}`)?.size).toBe(3);
    expect([...simulator.view.listMembers('Mixpanel: power users')].sort()).toEqual(['ann@example.com', 'cat@example.com', 'dan@example.com']);

    // A later full export replaces: whoever is not in it leaves.
    await deliver(directory, [{ body: body('members', [member('cat')]), expect: 200 }]);
    await runMapping(file, join(directory, 'state'), () => NOW, env);
    expect([...simulator.view.listMembers('Mixpanel: power users')]).toEqual(['cat@example.com']);
  });
});
