import { afterEach, describe, expect, it } from 'vitest';
import { recordingContext } from '../../../core/sync/recording-context.test-support.js';
import { createSalesforceSink } from './salesforce-sink.js';
import { startSalesforceSimulator, type SalesforceSimulator } from './simulator/index.js';

/** `identify`: the org id from the token answer's identity URL, with jsforce against the simulated org. */
const running: SalesforceSimulator[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.stop()));
});

async function start(seed: number): Promise<SalesforceSimulator> {
  const sim = await startSalesforceSimulator({ seed, limits: { latencyMs: 1 } });
  running.push(sim);
  return sim;
}

const configFor = (sim: SalesforceSimulator, overrides: Record<string, unknown> = {}) => ({
  type: 'salesforce',
  login_url: sim.url,
  client_id: sim.clientId,
  client_secret: sim.clientSecret,
  bulk_threshold: null,
  ...overrides,
});

describe('Salesforce sink identify', () => {
  it('names the org from the token it mints (one queued call), the same on every call', async () => {
    const sim = await start(31);
    const context = recordingContext();
    const sink = createSalesforceSink(configFor(sim));
    const identity = await sink.identify?.(context);
    expect(identity).toMatch(new RegExp(`^salesforce:${new URL(sim.url).host.replace(/\./g, '\\.')}:org-00D[A-Za-z0-9]{15}$`));
    expect(await sink.identify?.(context)).toBe(identity);
    expect(await createSalesforceSink(configFor(sim)).identify?.(recordingContext())).toBe(identity);
    expect(context.labels).toEqual(['salesforce.oauth.token']);
    // Session ids start with the org id and a `!`; the secret never appears.
    expect(identity).not.toContain('!');
    expect(identity).not.toContain(sim.clientSecret);
  });

  it('tells two orgs apart', async () => {
    const [one, two] = await Promise.all([start(1), start(2)]);
    const org = async (sim: SalesforceSimulator) => /org-\w+$/.exec((await createSalesforceSink(configFor(sim)).identify?.(recordingContext())) ?? '')?.[0];
    const [first, second] = await Promise.all([org(one), org(two)]);
    expect(first).toBeDefined();
    expect(first).not.toBe(second);
  });

  it('reports refused credentials as a config error', async () => {
    const sim = await start(32);
    const sink = createSalesforceSink(configFor(sim, { client_secret: 'not-the-secret' }));
    await expect(sink.identify?.(recordingContext())).rejects.toMatchObject({ name: 'ConnectorError', kind: 'config', code: 'salesforce.auth_failed' });
  });
});
