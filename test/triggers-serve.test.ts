import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHubSpotSimulator, type HubSpotSimulator } from '../connectors/sinks/hubspot/index.js';
import { startMarketoSimulator, type RunningMarketoSimulator } from '../connectors/sinks/marketo/index.js';
import { basicAuth, INGEST_ENV, startIngestServer, WRITE_KEY, type IngestServer } from './support/ingest-server.js';
import { EVERYONE_SECTIONS, temporaryDirectory } from './support/run-mapping.js';
import { triggersTestJob } from '../core/runtime/triggers/triggers-test-job.js';

/**
 * Abandoned cart end to end, as a shop runs it: shoppers' events through
 * the Segment-compatible ingest API of `segflow serve`, the journal, the
 * loader, the trigger engine and the outbox, into the HubSpot simulator as
 * behavioral events. Time is the workspace's injected clock, moved as the
 * stream arrives; no test sleeps.
 */
const MINUTE = 60_000;
const T0 = Date.parse('2026-11-02T09:00:00Z');

type Outcome = 'ordered' | 'ordered_late_arrival' | 'ordered_after_window' | 'abandoned';
const OUTCOMES: readonly Outcome[] = ['ordered', 'ordered_late_arrival', 'ordered_after_window', 'abandoned'];

interface Shopper { userId: string; cartId: string; outcome: Outcome; consents: boolean }

/** Segment messages with the time each reaches the API; shoppers start two minutes apart. */
function shop(count: number) {
  const arrivals: Array<{ arrival: number; message: Record<string, unknown> }> = [];
  const shoppers: Shopper[] = [];
  for (let index = 0; index < count; index++) {
    const shopper: Shopper = { userId: `shopper-${index}`, cartId: `cart-${index}`, outcome: OUTCOMES[(index * 7 + Math.floor(index / 4)) % 4] as Outcome, consents: index % 9 !== 4 };
    shoppers.push(shopper);
    const start = T0 + index * 2 * MINUTE;
    const send = (at: number, message: Record<string, unknown>, delay = 0) =>
      arrivals.push({ arrival: at + delay, message: { userId: shopper.userId, messageId: `m-${index}-${arrivals.length}`, timestamp: new Date(at).toISOString(), ...message } });
    send(start - MINUTE, {
      type: 'identify', traits: { email: `shopper-${index}@example.test` },
      context: { consent: { categoryPreferences: { Marketing: shopper.consents, Analytics: true } } },
    });
    send(start, { type: 'track', event: 'Product Added', properties: { cart_id: shopper.cartId, price: 40 } });
    send(start + 3 * MINUTE, { type: 'track', event: 'Product Added', properties: { cart_id: shopper.cartId, price: 15 } });
    if (index % 2 === 0) send(start + 6 * MINUTE, { type: 'track', event: 'Checkout Started', properties: { cart_id: shopper.cartId } });
    if (shopper.outcome === 'ordered') send(start + 12 * MINUTE, { type: 'track', event: 'Order Completed', properties: { order_id: `o-${index}` } });
    // Happened at minute 29, reaches the API 4 minutes later: inside the 5-minute lateness, after the 30-minute wait ended.
    if (shopper.outcome === 'ordered_late_arrival') send(start + 29 * MINUTE, { type: 'track', event: 'Order Completed', properties: { order_id: `o-${index}` } }, 4 * MINUTE);
    if (shopper.outcome === 'ordered_after_window') send(start + 41 * MINUTE, { type: 'track', event: 'Order Completed', properties: { order_id: `o-${index}` } });
  }
  arrivals.sort((left, right) => left.arrival - right.arrival);
  return { arrivals, shoppers, end: T0 + count * 2 * MINUTE + 2 * 60 * MINUTE };
}

function mapping(hubspotUrl: string, marketo?: RunningMarketoSimulator, extraRules = ''): string {
  const marketoSink = marketo === undefined ? '' : `  - id: mkto
    type: marketo
    base_url: ${marketo.url}
    client_id: \${env:MARKETO_ID}
    client_secret: \${env:MARKETO_SECRET}
    list_folder_id: ${String(marketo.sinkConfig.list_folder_id)}
`;
  const marketoAction = marketo === undefined ? '' : `        - sink: mkto
          kind: marketo:campaign
          target: Cart reminder
          payload:
            cart: event.properties.cart_id
`;
  return `version: 1
name: shop
sources:
  - id: web
    type: segment-api
    write_keys: ['\${env:TEST_WRITE_KEY}']
${EVERYONE_SECTIONS}sinks:
  - id: crm
    type: hubspot
    base_url: ${hubspotUrl}
    access_token: \${env:HUBSPOT_TOKEN}
${marketoSink}schedule:
  jobs:
    - { id: refresh, cron: "0 * * * *", job: run }
    - { id: push, cron: "5 * * * *", job: sync }
triggers:
  allowed_lateness: 5m
  rules:
    - id: abandoned_cart
      kind: absence
      purpose: Marketing
      after: [Product Added, Checkout Started]
      absent: Order Completed
      within: 30m
      key: cart_id
      actions:
        - sink: crm
          kind: hubspot:event
          target: cart_abandoned
          payload:
            cart_id: event.properties.cart_id
            started_at: match.at
${marketoAction}${extraRules}`;
}

describe('abandoned cart through segflow serve', () => {
  let directory: string;
  let hubspot: HubSpotSimulator;
  let running: IngestServer | undefined;
  let clock = T0;

  beforeEach(async () => {
    directory = temporaryDirectory('segflow-triggers-serve-');
    hubspot = await startHubSpotSimulator({ seed: 7 });
  });
  afterEach(async () => {
    await running?.close();
    await hubspot.stop();
  });

  async function start(marketo?: RunningMarketoSimulator, extraRules = ''): Promise<IngestServer> {
    const env = {
      ...INGEST_ENV, HUBSPOT_TOKEN: String(hubspot.sinkConfig.access_token),
      ...(marketo ? { MARKETO_ID: String(marketo.sinkConfig.client_id), MARKETO_SECRET: String(marketo.sinkConfig.client_secret) } : {}),
    };
    running = await startIngestServer(directory, { scheduleTimers: false }, mapping(hubspot.url, marketo, extraRules), env, () => clock);
    return running;
  }

  async function post(server: IngestServer, batch: Array<Record<string, unknown>>): Promise<void> {
    const response = await fetch(`${server.server.url}/v1/batch`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(WRITE_KEY) }, body: JSON.stringify({ batch }),
    });
    expect(response.status).toBe(200);
  }

  it('fires once for exactly the consenting shoppers whose cart saw no order inside the window', async () => {
    const { arrivals, shoppers, end } = shop(36);
    let server = await start();
    // The stream arrives in chunks; each chunk is loaded and stepped at the time its last message arrived.
    for (let index = 0; index < arrivals.length; index += 15) {
      const chunk = arrivals.slice(index, index + 15);
      clock = (chunk.at(-1) as (typeof chunk)[number]).arrival;
      await post(server, chunk.map((entry) => entry.message));
      await server.server.loader.loadNow();
      await server.server.triggers!.step();
      // Restart halfway, as a deploy would: the engine's timers and the feed cursor are in the state store.
      if (index === 60) {
        await server.close();
        server = await start();
      }
    }
    clock = end;
    await server.server.triggers!.step();
    await server.server.triggers!.step();

    const expected = shoppers.filter((shopper) => shopper.consents && (shopper.outcome === 'abandoned' || shopper.outcome === 'ordered_after_window')).map((shopper) => shopper.cartId).sort();
    const occurrences = hubspot.events.occurrences('cart_abandoned');
    expect(occurrences.map((occurrence) => occurrence.properties.cart_id).sort()).toEqual(expected);
    expect(expected.length).toBeGreaterThan(5);
    // Sent by email (never synced: no contact id yet), with when the wait began.
    const first = shoppers.find((shopper) => shopper.cartId === expected[0]) as Shopper;
    const occurrence = occurrences.find((candidate) => candidate.properties.cart_id === first.cartId);
    expect(occurrence?.email).toBe(`${first.userId}@example.test`);
    expect(occurrence?.properties.started_at).toBe(new Date(T0 + Number(first.userId.split('-')[1]) * 2 * MINUTE).toISOString());

    const counts = await server.workspace.state.actions.counts();
    expect(counts).toEqual([{ sink: 'crm', triggerId: 'abandoned_cart', outcome: 'delivered', count: expected.length }]);
    const holds = await server.workspace.state.triggers.holds();
    const withheld = shoppers.filter((shopper) => !shopper.consents && (shopper.outcome === 'abandoned' || shopper.outcome === 'ordered_after_window')).length;
    expect(holds).toContainEqual({ triggerId: 'abandoned_cart', reason: 'no_consent', count: withheld });

    // `segflow triggers test` over the same stored history: the same decisions, nothing sent.
    const sentBefore = occurrences.length;
    const dry = await triggersTestJob(server.workspace, { until: end });
    expect(dry.report.would_fire).toBe(expected.length);
    expect(dry.report.held_by).toEqual(Object.fromEntries(holds.map((hold) => [hold.reason, hold.count])));
    expect(hubspot.events.occurrences('cart_abandoned')).toHaveLength(sentBefore);
    expect(JSON.stringify(dry.report.examples)).not.toContain('@example.test');
  });

  it('sends an action again after a lost answer as the same event: HubSpot keeps one', async () => {
    const { arrivals, end } = shop(8);
    const server = await start();
    clock = end;
    await post(server, arrivals.map((entry) => entry.message));
    await server.server.loader.loadNow();
    hubspot.view.setFaults({ lostResponses: 1 });
    await server.server.triggers!.step();
    await server.server.triggers!.step();
    const occurrences = hubspot.events.occurrences('cart_abandoned');
    const delivered = (await server.workspace.state.actions.counts()).find((row) => row.outcome === 'delivered')?.count ?? 0;
    expect(delivered).toBeGreaterThan(0);
    expect(occurrences).toHaveLength(delivered);
    expect(new Set(occurrences.map((occurrence) => occurrence.uuid)).size).toBe(delivered);
    expect(hubspot.events.duplicatesDropped()).toBeGreaterThan(0);
    // The counters of this process: the lost answer was retried (as the delivery layer does), then delivered.
    const metrics = await (await fetch(`${server.server.url}/metrics`)).text();
    expect(metrics).toContain(`segflow_actions_settled_total{sink="crm",outcome="delivered"} ${delivered}`);
    expect(metrics).toMatch(/segflow_trigger_timer_lag_seconds_count [1-9]/);
    expect(metrics).toMatch(/segflow_actions_owed\{sink="crm"\} 0|# TYPE segflow_actions_owed gauge\n\n/);
  });

  it('reaches HubSpot by contact id and Marketo as a requested campaign once the customers were synced', async () => {
    const marketo = await startMarketoSimulator({ seed: 3, campaigns: [{ id: 1201, name: 'Cart reminder' }] });
    try {
      const { arrivals, shoppers, end } = shop(12);
      const server = await start(marketo);
      // Known customers: their identifies arrived earlier, and the hourly run and sync put them in both systems.
      const identifies = arrivals.filter((entry) => entry.message.type === 'identify');
      clock = T0 - 2 * MINUTE;
      await post(server, identifies.map((entry) => ({ ...entry.message, timestamp: new Date(T0 - 5 * MINUTE).toISOString() })));
      await server.server.loader.loadNow();
      expect((await server.server.scheduler!.fire('refresh')).result).toBe('succeeded');
      expect((await server.server.scheduler!.fire('push')).result).toBe('succeeded');
      const carts = arrivals.filter((entry) => entry.message.type !== 'identify');
      for (let index = 0; index < carts.length; index += 10) {
        const chunk = carts.slice(index, index + 10);
        clock = (chunk.at(-1) as (typeof chunk)[number]).arrival;
        await post(server, chunk.map((entry) => entry.message));
        await server.server.loader.loadNow();
        await server.server.triggers!.step();
      }
      clock = end;
      await server.server.triggers!.step();

      const expected = shoppers.filter((shopper) => shopper.consents && (shopper.outcome === 'abandoned' || shopper.outcome === 'ordered_after_window'));
      expect(expected.length).toBeGreaterThan(2);
      const occurrences = hubspot.events.occurrences('cart_abandoned');
      expect(occurrences.map((occurrence) => occurrence.properties.cart_id).sort()).toEqual(expected.map((shopper) => shopper.cartId).sort());
      // Synced contacts are addressed by their HubSpot id, not by email.
      expect(occurrences.every((occurrence) => occurrence.objectId !== undefined && occurrence.email === undefined)).toBe(true);
      const requests = marketo.view.campaignRequests();
      expect(requests.map((request) => request.tokens['{{my.cart}}']).sort()).toEqual(expected.map((shopper) => shopper.cartId).sort());
      expect(new Set(requests.map((request) => request.leadId)).size).toBe(expected.length);
      expect(requests.every((request) => request.campaignId === 1201)).toBe(true);
    } finally {
      await running?.close();
      running = undefined;
      await marketo.stop();
    }
  });

  it('fires segment entries of a run, not for the members the first run found', async () => {
    const welcome = `    - id: welcome
      kind: segment
      purpose: Marketing
      segment: all
      on: entered
      actions:
        - { sink: crm, kind: hubspot:event, target: welcome, payload: { segment: segment.id } }
`;
    const server = await start(undefined, welcome);
    const identify = (index: number) => ({
      type: 'identify', userId: `shopper-${index}`, messageId: `id-${index}`, timestamp: new Date(T0 + index * MINUTE).toISOString(),
      traits: { email: `shopper-${index}@example.test` }, context: { consent: { categoryPreferences: { Marketing: true } } },
    });
    clock = T0 + 10 * MINUTE;
    await post(server, [0, 1, 2, 3].map(identify));
    await server.server.loader.loadNow();
    expect((await server.server.scheduler!.fire('refresh')).result).toBe('succeeded');
    await server.server.triggers!.step();
    expect(hubspot.events.occurrences('welcome')).toHaveLength(0);

    clock = T0 + 70 * MINUTE;
    await post(server, [4, 5, 6].map(identify));
    await server.server.loader.loadNow();
    expect((await server.server.scheduler!.fire('refresh')).result).toBe('succeeded');
    await server.server.triggers!.step();
    // A third run with nobody new fires nothing more.
    clock = T0 + 130 * MINUTE;
    expect((await server.server.scheduler!.fire('refresh')).result).toBe('succeeded');
    await server.server.triggers!.step();
    const occurrences = hubspot.events.occurrences('welcome');
    // The run synced them, so they go by contact id.
    expect(new Set(occurrences.map((occurrence) => occurrence.objectId)).size).toBe(3);
    const outbox = await server.workspace.state.triggers.outbox();
    expect(outbox.filter((action) => action.triggerId === 'welcome').map((action) => action.profileId).sort()).toEqual(['u:shopper-4', 'u:shopper-5', 'u:shopper-6']);
    expect(occurrences.every((occurrence) => occurrence.properties.segment === 'all')).toBe(true);
  });
});
