import { afterEach, describe, expect, it } from 'vitest';
import { type HubSpotSimulator, startHubSpotSimulator } from './hubspot-simulator.js';

/** The fake's custom behavioral events over plain HTTP: what a HubSpot client would see. */
let simulator: HubSpotSimulator | undefined;

afterEach(async () => {
  await simulator?.stop();
  simulator = undefined;
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function start(limits: Record<string, number> = {}, now?: () => number): Promise<HubSpotSimulator> {
  simulator = await startHubSpotSimulator({ seed: 21, limits: { requests: 10_000, ...limits }, ...(now ? { now } : {}) });
  return simulator;
}

async function call(sim: HubSpotSimulator, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${sim.control.credentials.privateAppToken}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function defineCartEvent(sim: HubSpotSimulator): Promise<string> {
  const created = await call(sim, 'POST', '/events/v3/event-definitions', {
    label: 'Cart abandoned',
    name: 'cart_abandoned',
    primaryObject: 'CONTACT',
    propertyDefinitions: [{ name: 'cart_value', label: 'Cart value', type: 'string' }],
  });
  expect(created.status).toBe(201);
  return created.body['fullyQualifiedName'] as string;
}

const occurrence = (eventName: string, extra: Record<string, unknown> = {}) => ({ eventName, email: 'ada@example.com', properties: { cart_value: '42' }, ...extra });

describe('HubSpot simulator: custom behavioral events', () => {
  it('creates, reads and extends a definition; refuses a second one with the same name', async () => {
    const sim = await start();
    const fullyQualifiedName = await defineCartEvent(sim);
    expect(fullyQualifiedName).toBe(`pe${sim.events.portalId}_cart_abandoned`);
    expect((await call(sim, 'POST', '/events/v3/event-definitions', { label: 'Again', name: 'cart_abandoned' })).status).toBe(409);
    expect((await call(sim, 'GET', '/events/v3/event-definitions/nope')).status).toBe(404);
    const added = await call(sim, 'POST', '/events/v3/event-definitions/cart_abandoned/property', { name: 'coupon', label: 'Coupon', type: 'string' });
    expect(added.status).toBe(201);
    const read = await call(sim, 'GET', '/events/v3/event-definitions/cart_abandoned');
    expect((read.body['properties'] as Array<{ name: string }>).map((property) => property.name)).toEqual(['cart_value', 'coupon']);
    const badName = await call(sim, 'POST', '/events/v3/event-definitions/cart_abandoned/property', { name: 'Cart Total', label: 'Cart total', type: 'string' });
    expect(badName).toMatchObject({ status: 400, body: { status: 'error', category: 'VALIDATION_ERROR' } });
  });

  it('accepts a batch with 204 and stores each occurrence once per uuid', async () => {
    const sim = await start();
    const eventName = await defineCartEvent(sim);
    const inputs = [occurrence(eventName, { uuid: 'a1' }), occurrence(eventName, { uuid: 'b2', email: undefined, objectId: '17' })];
    expect((await call(sim, 'POST', '/events/v3/send/batch', { inputs })).status).toBe(204);
    expect((await call(sim, 'POST', '/events/v3/send/batch', { inputs })).status).toBe(204);
    expect((await call(sim, 'POST', '/events/v3/send', occurrence(eventName, { uuid: 'a1' }))).status).toBe(204);
    const stored = sim.events.occurrences('cart_abandoned');
    expect(stored.map((item) => [item.uuid, item.email ?? item.objectId, item.properties['cart_value']])).toEqual([
      ['a1', 'ada@example.com', '42'],
      ['b2', '17', '42'],
    ]);
    expect(sim.events.duplicatesDropped()).toBe(3);
  });

  it.each([
    ['an unknown event', (name: string) => occurrence(`${name}x`), 'does not exist'],
    ['a property the definition lacks', (name: string) => occurrence(name, { properties: { coupon: 'X' } }), 'Property "coupon" is not defined'],
    ['a value over 256 characters', (name: string) => occurrence(name, { properties: { cart_value: 'x'.repeat(257) } }), 'at most 256'],
    ['more than 50 properties', (name: string) => occurrence(name, { properties: Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`p${index}`, '1'])) }), 'at most 50'],
    ['no email, objectId or utk', (name: string) => occurrence(name, { email: undefined }), 'one of objectId, email or utk is required'],
  ])('refuses %s with HubSpot’s 400 and stores nothing of the batch', async (_case, build, message) => {
    const sim = await start();
    const eventName = await defineCartEvent(sim);
    const answer = await call(sim, 'POST', '/events/v3/send/batch', { inputs: [occurrence(eventName, { uuid: 'fine' }), build(eventName)] });
    expect(answer).toMatchObject({ status: 400, body: { status: 'error', category: 'VALIDATION_ERROR' } });
    expect(answer.body['message']).toContain('inputs[1]');
    expect(answer.body['message']).toContain(message);
    expect(typeof answer.body['correlationId']).toBe('string');
    expect(sim.events.occurrences()).toEqual([]);
  });

  it('refuses more than 500 inputs in one batch', async () => {
    const sim = await start();
    const eventName = await defineCartEvent(sim);
    const answer = await call(sim, 'POST', '/events/v3/send/batch', { inputs: Array.from({ length: 501 }, (_, index) => occurrence(eventName, { uuid: String(index) })) });
    expect(answer).toMatchObject({ status: 400, body: { category: 'VALIDATION_ERROR' } });
    expect(sim.events.occurrences()).toHaveLength(0);
  });

  it('applies the send endpoints’ own per-second limit on top of the account limit', async () => {
    // A stopped clock: all three calls arrive within the same second.
    const sim = await start({ eventSendsPerSecond: 2 }, () => 1_700_000_000_000);
    const eventName = await defineCartEvent(sim);
    const statuses: number[] = [];
    for (const uuid of ['1', '2', '3']) statuses.push((await call(sim, 'POST', '/events/v3/send', occurrence(eventName, { uuid }))).status);
    expect(statuses).toEqual([204, 204, 429]);
    expect(sim.events.occurrences()).toHaveLength(2);
  });

  it('loses the answer of an applied send when lostResponses is set, then answers again', async () => {
    const sim = await start();
    const eventName = await defineCartEvent(sim);
    sim.view.setFaults({ lostResponses: 1 });
    await expect(call(sim, 'POST', '/events/v3/send', occurrence(eventName, { uuid: 'u1' }))).rejects.toThrow();
    expect(sim.events.occurrences()).toHaveLength(1);
    expect((await call(sim, 'POST', '/events/v3/send', occurrence(eventName, { uuid: 'u1' }))).status).toBe(204);
    expect(sim.events.occurrences()).toHaveLength(1);
  });
});
