import { beforeAll, describe, expect, it } from 'vitest';
import { DEALS_CATEGORY } from './catalog.js';
import { PERSONA_NAMES, PERSONAS, type PersonaName } from './personas.js';
import { DEFAULT_WORLD_START, generateRetailUsers } from './retail-world.js';

const DAY_MS = 86_400_000;
const WINDOW_END = DEFAULT_WORLD_START + 365 * DAY_MS;
const USERS = 2_000;
// The brief's numbers, not the module's constants: a changed constant must fail here.
const CHURN_QUIET_DAYS = 120;
const NEW_CUSTOMER_DAYS = 30;

interface UserStats {
  persona: PersonaName;
  orders: number;
  checkouts: number;
  views: number;
  searches: number;
  revenue: number;
  lines: number;
  dealLines: number;
  first: number;
  last: number;
  identifiedMessages: number;
}

type PersonaTable = Record<PersonaName, UserStats[]>;

function mean(users: readonly UserStats[], field: (user: UserStats) => number): number {
  return users.reduce((sum, user) => sum + field(user), 0) / users.length;
}

function averageOrderValue(users: readonly UserStats[]): number {
  return mean(users, (user) => user.revenue) / mean(users, (user) => user.orders);
}

describe('personas in the generated world', () => {
  const table = Object.fromEntries(PERSONA_NAMES.map((name) => [name, []])) as unknown as PersonaTable;

  beforeAll(() => {
    for (const user of generateRetailUsers({ seed: 314, users: USERS })) {
      const stats: UserStats = {
        persona: user.truth.persona, orders: 0, checkouts: 0, views: 0, searches: 0, revenue: 0, lines: 0, dealLines: 0,
        first: Number.POSITIVE_INFINITY, last: Number.NEGATIVE_INFINITY, identifiedMessages: 0,
      };
      for (const message of user.messages) {
        const time = Date.parse(message.timestamp);
        stats.first = Math.min(stats.first, time);
        stats.last = Math.max(stats.last, time);
        if (message.userId !== null) stats.identifiedMessages++;
        if (message.type !== 'track') continue;
        if (message.event === 'Product Viewed') stats.views++;
        else if (message.event === 'Products Searched') stats.searches++;
        else if (message.event === 'Checkout Started') stats.checkouts++;
        else if (message.event === 'Order Completed') {
          stats.orders++;
          stats.revenue += message.properties.revenue as number;
          for (const line of message.properties.products as { category: string }[]) {
            stats.lines++;
            if (line.category === DEALS_CATEGORY) stats.dealLines++;
          }
        }
      }
      table[stats.persona].push(stats);
    }
  });

  it('gives each persona its share of the population', () => {
    for (const name of PERSONA_NAMES) {
      expect(Math.abs(table[name].length - PERSONAS[name].share * USERS), name).toBeLessThanOrEqual(3);
    }
  });

  it('window shoppers and anonymous visitors never buy; anonymous visitors never identify', () => {
    expect(mean(table.window_shopper, (user) => user.orders)).toBe(0);
    expect(mean(table.anonymous_visitor, (user) => user.orders)).toBe(0);
    expect(mean(table.anonymous_visitor, (user) => user.identifiedMessages)).toBe(0);
  });

  it('ranks order frequency champion > loyal > every other persona', () => {
    const orders = (name: PersonaName): number => mean(table[name], (user) => user.orders);
    expect(orders('champion')).toBeGreaterThan(orders('loyal') * 1.5);
    for (const name of PERSONA_NAMES.filter((persona) => persona !== 'champion' && persona !== 'loyal')) {
      expect(orders('loyal'), name).toBeGreaterThan(orders(name));
    }
  });

  it('churned users bought regularly, then went silent for the last 120 days', () => {
    expect(mean(table.churned, (user) => user.orders)).toBeGreaterThan(4);
    const quietFrom = WINDOW_END - CHURN_QUIET_DAYS * DAY_MS;
    expect(table.churned.filter((user) => user.last >= quietFrom)).toEqual([]);
  });

  it('new customers first visit and first buy in the last 30 days', () => {
    const since = WINDOW_END - NEW_CUSTOMER_DAYS * DAY_MS;
    expect(table.new_customer.filter((user) => user.first < since)).toEqual([]);
    expect(table.new_customer.filter((user) => user.orders === 0)).toEqual([]);
  });

  it('champions are recent and spend more per order than loyal customers', () => {
    const daysSinceLast = table.champion.map((user) => (WINDOW_END - user.last) / DAY_MS).sort((left, right) => left - right);
    expect(daysSinceLast[Math.floor(daysSinceLast.length / 2)]).toBeLessThan(14);
    expect(averageOrderValue(table.champion)).toBeGreaterThan(averageOrderValue(table.loyal));
  });

  it('big spenders buy rarely but place by far the largest orders', () => {
    const buyers: PersonaName[] = ['champion', 'loyal', 'bargain_hunter', 'new_customer', 'churned'];
    for (const name of buyers) {
      expect(averageOrderValue(table.big_spender), name).toBeGreaterThan(3 * averageOrderValue(table[name]));
    }
    expect(mean(table.big_spender, (user) => user.orders)).toBeLessThan(mean(table.loyal, (user) => user.orders));
  });

  it('bargain hunters place many small orders, mostly from Deals', () => {
    const hunters = table.bargain_hunter;
    expect(mean(hunters, (user) => user.dealLines) / mean(hunters, (user) => user.lines)).toBeGreaterThan(0.6);
    expect(mean(hunters, (user) => user.orders)).toBeGreaterThan(mean(table.big_spender, (user) => user.orders));
    for (const name of ['champion', 'loyal', 'churned', 'new_customer'] as const) {
      expect(averageOrderValue(hunters), name).toBeLessThan(averageOrderValue(table[name]) / 2);
    }
  });

  it('window shoppers view and search more than anyone', () => {
    for (const name of PERSONA_NAMES.filter((persona) => persona !== 'window_shopper')) {
      expect(mean(table.window_shopper, (user) => user.views), name).toBeGreaterThan(mean(table[name], (user) => user.views));
      expect(mean(table.window_shopper, (user) => user.searches), name).toBeGreaterThan(mean(table[name], (user) => user.searches));
    }
  });

  it('cart abandoners start many checkouts and complete fewer than 10%', () => {
    const abandoners = table.cart_abandoner;
    const checkouts = mean(abandoners, (user) => user.checkouts);
    expect(checkouts).toBeGreaterThan(mean(table.loyal, (user) => user.checkouts));
    expect(mean(abandoners, (user) => user.orders) / checkouts).toBeLessThan(0.1);
    expect(mean(abandoners, (user) => user.orders)).toBeGreaterThan(0);
  });
});
