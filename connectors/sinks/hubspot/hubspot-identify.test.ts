import { Client } from '@hubspot/api-client';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingContext } from '../../../core/sync/recording-context.test-support.js';
import { createHubSpotSink } from './hubspot-sink.js';
import { type HubSpotSimulator, startHubSpotSimulator } from './simulator/hubspot-simulator.js';

/** `identify`: the portal behind the token, read from the simulator's Account API with the real SDK. */
const running: HubSpotSimulator[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.stop()));
});

async function start(seed: number): Promise<HubSpotSimulator> {
  const sim = await startHubSpotSimulator({ seed, limits: { requests: 10_000 } });
  running.push(sim);
  return sim;
}

const privateApp = (sim: HubSpotSimulator, token = sim.control.credentials.privateAppToken) => ({
  ...sim.sinkConfig,
  access_token: token,
  refresh_token: undefined,
  client_id: undefined,
  client_secret: undefined,
});

describe('HubSpot sink identify', () => {
  it('names the portal, the same on every call and for every token of that portal, in one queued call', async () => {
    const sim = await start(21);
    const context = recordingContext();
    const oauth = createHubSpotSink(sim.sinkConfig);
    const first = await oauth.identify?.(context);
    expect(first).toMatch(new RegExp(`^hubspot:${new URL(sim.url).host.replace(/\./g, '\\.')}:portal-\\d+$`));
    expect(await oauth.identify?.(context)).toBe(first);
    expect(await createHubSpotSink(privateApp(sim)).identify?.(context)).toBe(first);
    expect(context.labels).toEqual(['account-info.details', 'account-info.details', 'account-info.details']);
    const secrets = Object.values(sim.control.credentials);
    expect(secrets.filter((secret) => first?.includes(secret))).toEqual([]);
  });

  it('tells two portals apart', async () => {
    const [one, two] = await Promise.all([start(1), start(2)]);
    const portal = async (sim: HubSpotSimulator) => /portal-\d+$/.exec((await createHubSpotSink(sim.sinkConfig).identify?.(recordingContext())) ?? '')?.[0];
    const [first, second] = await Promise.all([portal(one), portal(two)]);
    expect(first).toBeDefined();
    expect(first).not.toBe(second);
  });

  it('needs no CRM scope, and refreshes an expired OAuth token first', async () => {
    const sim = await start(22);
    const sink = createHubSpotSink(sim.sinkConfig);
    const before = await sink.identify?.(recordingContext());
    sim.control.grantScopes([]);
    sim.view.expireTokens();
    expect(await sink.identify?.(recordingContext())).toBe(before);
    expect(sim.control.refreshCount()).toBe(1);
  });

  it('reports a bad token as a config error', async () => {
    const sim = await start(23);
    const sink = createHubSpotSink(privateApp(sim, 'pat-na1-not-a-token'));
    await expect(sink.identify?.(recordingContext())).rejects.toMatchObject({ name: 'ConnectorError', kind: 'config', code: 'hubspot.unauthorized' });
  });

  it('reports throttling and outages as retryable', async () => {
    const sim = await start(24);
    const sink = createHubSpotSink(sim.sinkConfig);
    sim.view.setFaults({ throttleUntil: Date.now() + 60_000 });
    await expect(sink.identify?.(recordingContext())).rejects.toMatchObject({ kind: 'retryable', code: 'hubspot.rate_limited', details: { throttled: true, retryAfterMs: 10_000 } });
    sim.view.setFaults({ serverErrorRate: 1 });
    await expect(sink.identify?.(recordingContext())).rejects.toMatchObject({ kind: 'retryable', code: 'hubspot.server_error' });
  });

  // Wrapped, the call would wait forever: fail fast instead of at the suite's two-minute timeout.
  it('is not paced by the SDK, even after another client in the process turned its limiter on', { timeout: 5_000 }, async () => {
    const sim = await start(25);
    const sink = createHubSpotSink(sim.sinkConfig);
    // The SDK keeps limiter settings in a process-global singleton that apiRequest reads on every call; this one never lets a call go.
    new Client({ basePath: sim.url, limiterOptions: { reservoir: 0 } });
    expect(await sink.identify?.(recordingContext())).toMatch(/:portal-\d+$/);
  });
});
