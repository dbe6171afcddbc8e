import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeSegmentMessage } from '../events/normalize-segment.js';
import { createCatalog, DEALS_CATEGORY } from './catalog.js';
import {
  DEFAULT_WORLD_START,
  generateRetailUsers,
  generateRetailWorld,
  MEAN_EVENTS_PER_USER,
  usersForEvents,
  type WorldMessage,
} from './retail-world.js';
import type { SegmentMessage } from './segment-message.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const WINDOW_END = DEFAULT_WORLD_START + 365 * DAY_MS;

function worldText(seed: number, users: number, duplicateRate = 0): string {
  let text = '';
  for (const { message } of generateRetailWorld({ seed, users, duplicateRate })) text += `${JSON.stringify(message)}\n`;
  return text;
}

function byUser(items: readonly WorldMessage[]): Map<number, SegmentMessage[]> {
  const users = new Map<number, SegmentMessage[]>();
  for (const { message, userIndex } of items) {
    const list = users.get(userIndex) ?? [];
    list.push(message);
    users.set(userIndex, list);
  }
  return users;
}

function isLanding(message: SegmentMessage): boolean {
  return message.type === 'page' || (message.type === 'track' && message.event === 'Application Opened');
}

describe('generateRetailWorld', () => {
  let items: WorldMessage[] = [];
  beforeAll(() => {
    items = [...generateRetailWorld({ seed: 2026, users: 400 })];
  });

  it('is deterministic: same seed, same bytes; another seed, another world', () => {
    const first = worldText(5, 120);
    expect(first.length).toBeGreaterThan(10_000);
    expect(worldText(5, 120)).toBe(first);
    expect(worldText(6, 120)).not.toBe(first);
  });

  it('gives user i the same events whatever the size of the world', () => {
    const small = worldText(5, 60);
    expect(worldText(5, 120).startsWith(small)).toBe(true);
  });

  it('emits only messages the Segment normalizer accepts, with the true time recovered', () => {
    const now = WINDOW_END + DAY_MS;
    const failures: string[] = [];
    let recovered = 0;
    for (const { message } of items) {
      const result = normalizeSegmentMessage(message, { now });
      if (!result.ok) failures.push(`${message.messageId}: ${result.reason}`);
      else if (result.event.timestamp === Date.parse(message.timestamp)) recovered++;
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(recovered).toBe(items.length);
    const times = items.map(({ message }) => Date.parse(message.timestamp));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(DEFAULT_WORLD_START);
    expect(Math.max(...times)).toBeLessThan(WINDOW_END);
  });

  it('keeps every user chronological, in sessions a 30-minute inactivity rule recovers', () => {
    let sessions = 0;
    let landings = 0;
    let ambiguousGaps = 0;
    let backwards = 0;
    let unlandedSessions = 0;
    for (const messages of byUser(items).values()) {
      // Refunds come from the backend at any hour; sessions are the shopper's own events.
      const own = messages.filter((message) => !(message.type === 'track' && message.event === 'Order Refunded'));
      const times = messages.map((message) => Date.parse(message.timestamp));
      for (let index = 1; index < times.length; index++) if ((times[index] as number) < (times[index - 1] as number)) backwards++;
      for (let index = 0; index < own.length; index++) {
        const message = own[index] as SegmentMessage;
        const gap = index === 0 ? Number.POSITIVE_INFINITY : Date.parse(message.timestamp) - Date.parse((own[index - 1] as SegmentMessage).timestamp);
        if (gap > 5 * MINUTE_MS && gap < 60 * MINUTE_MS) ambiguousGaps++;
        if (gap > 30 * MINUTE_MS) {
          sessions++;
          if (!isLanding(message)) unlandedSessions++;
        }
        if (isLanding(message)) landings++;
      }
    }
    expect(backwards).toBe(0);
    expect(unlandedSessions).toBe(0);
    expect(ambiguousGaps).toBe(0);
    expect(sessions).toBe(landings);
    expect(sessions / 400).toBeGreaterThan(5);
  });

  it('skews the clocks of a few percent of devices by minutes to hours', () => {
    const devices = new Set<string>();
    const skewed = new Set<string>();
    for (const { message } of items) {
      if (message.anonymousId === null) continue;
      devices.add(message.anonymousId);
      const skew = Math.abs(Date.parse(message.originalTimestamp) - Date.parse(message.timestamp));
      if (skew > 0) {
        skewed.add(message.anonymousId);
        expect(skew).toBeGreaterThanOrEqual(2 * MINUTE_MS);
        expect(skew).toBeLessThanOrEqual(6 * 60 * MINUTE_MS);
      }
    }
    expect(skewed.size / devices.size).toBeGreaterThan(0.01);
    expect(skewed.size / devices.size).toBeLessThan(0.1);
  });

  it('completes orders with unique ids and revenue = Σ price × quantity in cents', () => {
    const orderIds = new Set<string>();
    let orders = 0;
    for (const { message } of items) {
      if (message.type !== 'track' || message.event !== 'Order Completed') continue;
      orders++;
      const { order_id: orderId, revenue, currency, products } = message.properties;
      expect(typeof orderId).toBe('string');
      orderIds.add(orderId as string);
      expect(currency).toBe('USD');
      expect(Array.isArray(products) && products.length > 0).toBe(true);
      let sum = 0;
      for (const product of products as { price: number; quantity: number; product_id: string; category: string }[]) {
        expect(product.quantity).toBeGreaterThanOrEqual(1);
        expect(typeof product.product_id).toBe('string');
        expect(typeof product.category).toBe('string');
        sum += product.price * product.quantity;
      }
      expect(revenue).toBe(Math.round(sum * 100) / 100);
    }
    expect(orders).toBeGreaterThan(300);
    expect(orderIds.size).toBe(orders);
    const checkoutIds = items.flatMap(({ message }) => (message.type === 'track' && message.event === 'Checkout Started' ? [String(message.properties.order_id)] : []));
    expect(new Set(checkoutIds).size).toBe(checkoutIds.length);
    const refunded = items.filter(({ message }) => message.type === 'track' && message.event === 'Order Refunded');
    expect(refunded.length).toBeGreaterThan(0);
    for (const { message } of refunded) {
      expect(message.anonymousId).toBeNull();
      expect(orderIds.has(message.type === 'track' ? String(message.properties.order_id) : '')).toBe(true);
    }
  });

  it('sells from a seeded catalog of ~500 products in 12 categories, Deals among them', () => {
    const catalog = createCatalog(2026);
    expect(catalog.products.length).toBe(500);
    expect(new Set(catalog.products.map((product) => product.category)).size).toBe(12);
    expect(catalog.deals.every((product) => product.category === DEALS_CATEGORY)).toBe(true);
    expect(new Set(catalog.products.map((product) => product.id)).size).toBe(500);
    expect(createCatalog(2026).products.map((product) => product.price)).toEqual(catalog.products.map((product) => product.price));
    expect(createCatalog(2027).products.map((product) => product.price)).not.toEqual(catalog.products.map((product) => product.price));
  });

  it('rejects options it cannot honour, naming the option', () => {
    expect(() => generateRetailWorld({ seed: 1.5, users: 1 })).toThrow(/seed/);
    expect(() => generateRetailWorld({ seed: 1, users: -1 })).toThrow(/users/);
    expect(() => generateRetailWorld({ seed: 1, users: 1, days: 30 })).toThrow(/days must be an integer of at least 150/);
    expect(() => generateRetailWorld({ seed: 1, users: 1, duplicateRate: 1 })).toThrow(/duplicateRate/);
  });

  it('documents a mean events per user that usersForEvents can size a run with', () => {
    let events = 0;
    const users = 1_500;
    for (const user of generateRetailUsers({ seed: 99, users })) events += user.messages.length;
    // Seeds vary the mean of 1,500 users by about ±2%.
    expect(events / users).toBeGreaterThan(MEAN_EVENTS_PER_USER * 0.95);
    expect(events / users).toBeLessThan(MEAN_EVENTS_PER_USER * 1.05);
    expect(usersForEvents(MEAN_EVENTS_PER_USER * 1_000)).toBe(1_000);
    expect(usersForEvents(MEAN_EVENTS_PER_USER * 1_010, { duplicateRate: 0.01 })).toBe(1_000);
  });
});

describe('duplicates', () => {
  it('re-sends ~1% of messages with the same messageId, leaving the rest of the world unchanged', () => {
    const clean = [...generateRetailWorld({ seed: 8, users: 300 })];
    const noisy = [...generateRetailWorld({ seed: 8, users: 300, duplicateRate: 0.01 })];
    const retries = noisy.filter((item) => item.duplicate);
    const rate = retries.length / clean.length;
    expect(rate).toBeGreaterThan(0.007);
    expect(rate).toBeLessThan(0.013);

    const originals = new Map(clean.map(({ message }) => [message.messageId, message]));
    for (const { message } of retries) {
      const original = originals.get(message.messageId);
      expect(original).toBeDefined();
      // A retry: same event, same true time, sent again later.
      expect({ ...message, sentAt: '', receivedAt: '' }).toEqual({ ...original, sentAt: '', receivedAt: '' });
      expect(Date.parse(message.receivedAt)).toBeGreaterThan(Date.parse(original?.receivedAt ?? ''));
    }
    const withoutRetries = noisy.filter((item) => !item.duplicate).map(({ message }) => JSON.stringify(message)).join('\n');
    expect(withoutRetries === clean.map(({ message }) => JSON.stringify(message)).join('\n')).toBe(true);
  });
});
