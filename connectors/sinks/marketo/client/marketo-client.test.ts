import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../../core/errors/connector-error.js';
import { startJsonServer, type RunningServer, type SimHandler } from '../../../../core/sync/simulation/index.js';
import { startMarketoSimulator, type MarketoSimulatorOptions, type RunningMarketoSimulator } from '../simulator/marketo-simulator.js';
import { createMarketoClient, type MarketoClient } from './marketo-client.js';

const stoppers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(stoppers.splice(0).map((stop) => stop()));
});

async function simulator(options: Partial<MarketoSimulatorOptions> = {}): Promise<RunningMarketoSimulator> {
  const started = await startMarketoSimulator({ seed: 11, ...options });
  stoppers.push(() => started.stop());
  return started;
}

async function fakeServer(handler: SimHandler): Promise<RunningServer> {
  const server = await startJsonServer(handler);
  stoppers.push(() => server.close());
  return server;
}

function clientFor(url: string, secret = 'segflow-sandbox-secret'): MarketoClient {
  return createMarketoClient({ baseUrl: url, identityUrl: `${url}/identity`, clientId: 'segflow-sandbox-client', clientSecret: secret, now: Date.now });
}

const describeLeads = { method: 'GET', path: '/rest/v1/leads/describe.json' } as const;

async function failureOf(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

const tokenHandler: SimHandler = () => ({ status: 200, body: { access_token: 'fixed:ab', token_type: 'bearer', expires_in: 3599 } });

describe('Marketo client', () => {
  it('shares one token refresh among 10 concurrent calls when the token expires mid-run, and replays each once', async () => {
    const sim = await simulator({ limits: { latencyMs: 50 } });
    const client = clientFor(sim.url);
    await client.send(describeLeads);
    expect(sim.view.tokenRequests()).toBe(1);
    sim.view.expireTokens();
    const results = await Promise.all(Array.from({ length: 10 }, () => client.send(describeLeads)));
    expect(results.every((result) => result.result.length > 0)).toBe(true);
    expect(sim.view.tokenRequests()).toBe(2);
    expect(client.tokenRequests()).toBe(2);
  });

  it('turns bad credentials (Identity 401) into a config error that does not echo the secret', async () => {
    const sim = await simulator();
    const error = await failureOf(clientFor(sim.url, 'wrong-secret').send(describeLeads));
    expect(error).toMatchObject({ kind: 'config', code: 'marketo.bad_credentials' });
    expect(error.message).not.toContain('wrong-secret');
  });

  it('turns 606 into retryable + throttled with a 20 s hint, and 615 into a short one', async () => {
    const sim = await simulator({ limits: { requests: 1 } });
    const client = clientFor(sim.url);
    await client.send(describeLeads);
    expect(await failureOf(client.send(describeLeads))).toMatchObject({ kind: 'retryable', code: 'marketo.rate_limited', details: { throttled: true, retryAfterMs: 20_000 } });

    const busy = await simulator({ limits: { concurrency: 1, latencyMs: 500 } });
    const busyClient = clientFor(busy.url);
    await busyClient.send(describeLeads);
    const outcomes = await Promise.allSettled([busyClient.send(describeLeads), busyClient.send(describeLeads)]);
    const rejected = outcomes.find((outcome) => outcome.status === 'rejected');
    expect(rejected?.reason).toMatchObject({ kind: 'retryable', code: 'marketo.concurrency_limited', details: { throttled: true, retryAfterMs: 1_500 } });
  });

  it('re-sends a GET whose URI would pass 8 KB as POST with _method=GET', async () => {
    const sim = await simulator();
    const client = clientFor(sim.url);
    const emails = Array.from({ length: 300 }, (_, index) => `person.number.${index}@example.com`);
    await client.send({ method: 'POST', path: '/rest/v1/leads.json', json: { input: emails.slice(0, 2).map((email) => ({ email })) } });
    const lookup = { method: 'GET', path: '/rest/v1/leads.json', query: { filterType: 'email', filterValues: emails.join(',') } } as const;
    const direct = await fetch(`${sim.url}${lookup.path}?${new URLSearchParams(lookup.query).toString()}`);
    expect(direct.status).toBe(414);
    const found = await client.send(lookup);
    expect(found.result).toHaveLength(2);
    expect(sim.view.stats().byRoute['leads.get']).toBe(1);
  });

  it('makes network errors and unknown codes retryable, 413 permanent, and gives up after one replay on a rejected fresh token', async () => {
    const closed = await fakeServer(tokenHandler);
    const closedUrl = closed.url;
    await closed.close();
    stoppers.pop();
    expect(await failureOf(clientFor(closedUrl).send(describeLeads))).toMatchObject({ kind: 'retryable', code: 'marketo.network_error' });

    const tooLarge = await fakeServer((request) => (request.path.startsWith('/identity') ? tokenHandler(request) : { status: 413, body: 'Request Entity Too Large' }));
    expect(await failureOf(clientFor(tooLarge.url).send(describeLeads))).toMatchObject({ kind: 'permanent', code: 'marketo.payload_too_large' });

    const unknown = await fakeServer((request) => (request.path.startsWith('/identity') ? tokenHandler(request) : { status: 200, body: { requestId: 'x#1', success: false, errors: [{ code: '799', message: 'New thing' }] } }));
    expect(await failureOf(clientFor(unknown.url).send(describeLeads))).toMatchObject({ kind: 'retryable', code: 'marketo.unknown_code' });

    const alwaysInvalid = await fakeServer((request) => (request.path.startsWith('/identity') ? tokenHandler(request) : { status: 200, body: { success: false, errors: [{ code: '601', message: 'Access token invalid' }] } }));
    const client = clientFor(alwaysInvalid.url);
    expect(await failureOf(client.send(describeLeads))).toMatchObject({ kind: 'retryable', code: 'marketo.token_rejected' });
    expect(client.tokenRequests()).toBe(2);
  });
});
