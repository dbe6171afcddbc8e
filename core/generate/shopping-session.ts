import type { JsonObject } from '../events/canonical-event.js';
import { SITE_URL, type Catalog, type Product } from './catalog.js';
import type { Device } from './device.js';
import type { MessageEmitter } from './message-emitter.js';
import { deepFreeze } from './frozen-json.js';
import type { Persona } from './personas.js';
import type { Rng } from '../random/rng.js';
import { RETAIL_EVENTS } from './segment-message.js';

/** What one user carries from session to session. */
export interface Shopper {
  persona: Persona;
  catalog: Catalog;
  rng: Rng;
  emitter: MessageEmitter;
  /** `${seed}-${userIndex}`, the stem of cart and order ids (unique in the world). */
  idStem: string;
  favoriteCategory: string;
  /** identify traits, shared by every identify of this user. */
  traits: JsonObject;
  /** Emit an `alias` (previousId = this device's anonymousId) right after this device identifies. */
  aliasDevice: Device | null;
  /** Refunds come from the backend days later; no event may land after this time. */
  activeEnd: number;
  orders: number;
  /** Checkouts started: numbers order ids, so an abandoned checkout's id is never reused. */
  checkouts: number;
  carts: number;
  pendingRefunds: { time: number; properties: JsonObject }[];
}

export interface SessionPlan {
  start: number;
  device: Device;
  /** Force a completed order (a new customer's first purchase). */
  mustBuy: boolean;
  /** Where this device identifies in the session, if it has not yet. */
  identify: 'start' | 'end' | 'none';
}

const DAY_MS = 86_400_000;
/** Longest pause between two clicks: with at most ~45 events a session stays under 3 h, well inside the 4 h between session starts. */
const MAX_THINK_MS = 240_000;
const MAX_VIEWS = 15;

/** Plays one session (landing, search, views, cart, checkout, order) and returns when it ended. */
export function runSession(shopper: Shopper, plan: SessionPlan): number {
  const { persona, catalog, rng, emitter } = shopper;
  const { device } = plan;
  let time = plan.start;

  if (device.kind === 'web') {
    // Half the sessions land on the home page, the rest on a category page.
    const landing = rng.chance(0.5) ? 0 : rng.int(catalog.landingPages.length);
    emitter.page(device, time, landing === 0 ? 'Home' : 'Category', catalog.landingPages[landing] as JsonObject);
  } else {
    emitter.track(device, time, RETAIL_EVENTS.applicationOpened, rng.chance(0.3) ? FROM_BACKGROUND : COLD_START, null);
  }
  if (plan.identify === 'start' && !device.identified) time = identify(shopper, device, time + think(rng));

  if (rng.chance(persona.searchChance)) {
    const queries = catalog.searches.get(rng.chance(0.5) ? shopper.favoriteCategory : rng.pick(catalog.categories));
    if (queries !== undefined) emitter.track(device, (time += think(rng)), RETAIL_EVENTS.productsSearched, rng.pick(queries), catalog.searchPage);
  }

  const views = Math.min(MAX_VIEWS, 1 + Math.floor(rng.exponential(persona.meanProductViews - 0.5)));
  const cartId = `cart-${shopper.idStem}-${shopper.carts}`;
  const cart: { product: Product; quantity: number }[] = [];
  for (let index = 0; index < views; index++) {
    const product = pickProduct(shopper);
    emitter.track(device, (time += think(rng)), RETAIL_EVENTS.productViewed, product.viewedProperties, product.page);
    const forced = plan.mustBuy && cart.length === 0 && index === views - 1;
    if (forced || rng.chance(persona.addChance)) {
      const quantity = 1 + rng.int(persona.maxQuantity);
      cart.push({ product, quantity });
      emitter.track(device, (time += think(rng)), RETAIL_EVENTS.productAdded, {
        cart_id: cartId, product_id: product.id, category: product.category, name: product.name, price: product.price, quantity,
      }, product.page);
    }
  }

  if (cart.length > 0) {
    shopper.carts++;
    const value = cents(cart.reduce((sum, line) => sum + line.product.price * line.quantity, 0));
    if (rng.chance(0.6)) {
      emitter.track(device, (time += think(rng)), RETAIL_EVENTS.cartViewed, { cart_id: cartId, value, num_items: cart.length, currency: 'USD' }, CART_PAGE);
    }
    if (plan.mustBuy || rng.chance(persona.checkoutChance)) {
      // Checkout needs an account or an email: the device identifies here at the latest.
      if (!device.identified) time = identify(shopper, device, time + think(rng));
      const orderId = `ord-${shopper.idStem}-${shopper.checkouts++}`;
      emitter.track(device, (time += think(rng)), RETAIL_EVENTS.checkoutStarted, { order_id: orderId, cart_id: cartId, value, currency: 'USD' }, CHECKOUT_PAGE);
      if (plan.mustBuy || rng.chance(persona.completeChance)) {
        shopper.orders++;
        // No `products` on the cart and checkout events: the normalizer derives
        // revenue from a products array, and only orders should carry revenue.
        const products: JsonObject[] = cart.map(({ product, quantity }) => ({ product_id: product.id, category: product.category, price: product.price, quantity }));
        emitter.track(device, (time += think(rng)), RETAIL_EVENTS.orderCompleted, { order_id: orderId, revenue: value, currency: 'USD', products }, CHECKOUT_PAGE);
        scheduleRefund(shopper, time, orderId, value);
      }
    }
  }
  if (plan.identify === 'end' && !device.identified) time = identify(shopper, device, time + think(rng));
  return time;
}

function identify(shopper: Shopper, device: Device, time: number): number {
  shopper.emitter.identify(device, time, shopper.traits);
  if (shopper.aliasDevice === device && device.anonymousId !== null) {
    shopper.emitter.alias(device, (time += 1_000), device.anonymousId);
    shopper.aliasDevice = null;
  }
  return time;
}

function pickProduct(shopper: Shopper): Product {
  const { rng, catalog, persona } = shopper;
  if (rng.chance(persona.dealsShare)) return rng.pick(catalog.deals);
  const favorite = catalog.byCategory.get(shopper.favoriteCategory);
  if (persona.priceTier === 'standard' && favorite !== undefined && rng.chance(0.35)) return rng.pick(favorite);
  return rng.pick(catalog.tiers[persona.priceTier]);
}

function scheduleRefund(shopper: Shopper, orderTime: number, orderId: string, total: number): void {
  if (!shopper.rng.chance(shopper.persona.refundChance)) return;
  const time = Math.round(orderTime + 2 * DAY_MS + shopper.rng.exponential(5 * DAY_MS));
  if (time >= shopper.activeEnd) return;
  shopper.pendingRefunds.push({ time, properties: { order_id: orderId, total, currency: 'USD' } });
}

/** Seconds to minutes between clicks, capped so a session never spans the 30-minute inactivity rule by accident. */
function think(rng: Rng): number {
  return 2_000 + Math.min(MAX_THINK_MS, Math.round(rng.exponential(30_000)));
}

export function cents(amount: number): number {
  return Math.round(amount * 100) / 100;
}

const FROM_BACKGROUND: JsonObject = deepFreeze({ from_background: true, version: '5.3.0', build: '5301' });
const COLD_START: JsonObject = deepFreeze({ from_background: false, version: '5.3.0', build: '5301' });
const CART_PAGE: JsonObject = deepFreeze({ path: '/cart', url: `${SITE_URL}/cart` });
const CHECKOUT_PAGE: JsonObject = deepFreeze({ path: '/checkout', url: `${SITE_URL}/checkout` });
