import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectorError } from '../../../core/errors/connector-error.js';
import { createHubSpotApis } from './hubspot-api.js';
import { toConnectorError } from './hubspot-error-mapping.js';
import { type HubSpotSimulator, startHubSpotSimulator } from './simulator/hubspot-simulator.js';

/**
 * Each HubSpot error shape → the taxonomy. The exceptions are real: the SDK
 * throws them against the simulator, so the mapping is tested on what the
 * SDK actually hands over (status in `code`, raw body, lowercased headers).
 */
let simulator: HubSpotSimulator | undefined;
const clock = Date.UTC(2026, 10, 25, 18, 0, 0);

afterEach(async () => {
  await simulator?.stop();
  simulator = undefined;
});

async function failureOf(call: () => Promise<unknown>): Promise<ConnectorError> {
  try {
    await call();
  } catch (error) {
    return toConnectorError(error, { label: 'contacts.batch.upsert', now: clock });
  }
  throw new Error('expected the call to fail');
}

async function setUp(limits: Parameters<typeof startHubSpotSimulator>[0]['limits'] = {}) {
  simulator = await startHubSpotSimulator({ seed: 3, limits, now: () => clock });
  const apis = createHubSpotApis(simulator.url, simulator.control.credentials.privateAppToken);
  const upsert = (count = 1) =>
    apis.contactsBatch.upsert({ inputs: Array.from({ length: count }, (_, index) => ({ id: `person${index}@example.com`, idProperty: 'email', properties: {} })) });
  return { sim: simulator, apis, upsert };
}

describe('HubSpot error mapping', () => {
  it('maps a burst 429 to retryable + throttled, waiting the interval HubSpot announces', async () => {
    const { upsert } = await setUp({ requests: 1, intervalMs: 4_000 });
    await upsert();
    const error = await failureOf(() => upsert());
    expect(error).toMatchObject({ kind: 'retryable', code: 'hubspot.rate_limited', details: { throttled: true, retryAfterMs: 4_000 } });
  });

  it('maps a DAILY 429 to throttled with a wait until midnight, so the executor stops the run', async () => {
    const { upsert } = await setUp({ dailyRequests: 1 });
    await upsert();
    const error = await failureOf(() => upsert());
    expect(error).toMatchObject({ kind: 'retryable', code: 'hubspot.daily_limit', details: { throttled: true, retryAfterMs: 6 * 3_600_000 } });
  });

  it('maps 5xx answers (JSON from HubSpot, HTML from the edge) to retryable', async () => {
    const { sim, upsert } = await setUp();
    sim.view.setFaults({ serverErrorRate: 1 });
    const statuses = new Set<number>();
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const error = await failureOf(() => upsert());
      expect(error).toMatchObject({ kind: 'retryable', code: 'hubspot.server_error' });
      statuses.add((error.details.cause as { status: number }).status);
    }
    expect(statuses).toEqual(new Set([500, 502]));
  });

  it('maps 401 to config and 403 to config naming the missing scope', async () => {
    const { sim, apis, upsert } = await setUp();
    sim.control.grantScopes(['crm.objects.contacts.read']);
    const forbidden = await failureOf(() => apis.lists.create({ name: 'VIP', objectTypeId: '0-1', processingType: 'MANUAL' }));
    expect(forbidden).toMatchObject({ kind: 'config', code: 'hubspot.missing_scopes' });
    expect(forbidden.message).toContain('crm.lists.write');
    sim.view.expireTokens();
    expect(await failureOf(() => upsert())).toMatchObject({ kind: 'config', code: 'hubspot.unauthorized' });
  });

  it('maps another whole-call 4xx to permanent with HubSpot’s reason, emails redacted', async () => {
    const { apis, upsert } = await setUp();
    const overCap = await failureOf(() => upsert(101));
    expect(overCap).toMatchObject({ kind: 'permanent', code: 'hubspot.validation_error' });
    expect(overCap.message).toContain('limited to 100');
    const duplicate = await failureOf(() =>
      apis.contactsBatch.upsert({ inputs: [{ id: 'twin@example.com', idProperty: 'email', properties: {} }, { id: 'TWIN@example.com', idProperty: 'email', properties: {} }] }),
    );
    expect(duplicate.kind).toBe('permanent');
    expect(duplicate.message).toContain('Duplicate IDs');
    expect(duplicate.message).not.toContain('twin@example.com');
  });

  it('maps an unreachable server to retryable network', async () => {
    const { sim } = await setUp();
    const url = sim.url;
    await sim.stop();
    simulator = undefined;
    const apis = createHubSpotApis(url, 'token');
    expect(await failureOf(() => apis.properties.getAll('contacts'))).toMatchObject({ kind: 'retryable', code: 'hubspot.network' });
  });
});
