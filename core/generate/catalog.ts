import type { JsonObject } from '../events/canonical-event.js';
import { deepFreeze } from './frozen-json.js';
import { createRng, deriveSeed, type Rng } from '../random/rng.js';
import type { PriceTier } from './personas.js';

export interface Product {
  id: string;
  name: string;
  category: string;
  /** USD, rounded to cents. */
  price: number;
  /**
   * `Product Viewed` properties, built once, frozen and shared by every
   * message that views this product: millions of views allocate nothing and
   * its JSON text is computed once.
   */
  viewedProperties: JsonObject;
  /**
   * `context.page` of the product page (web). Path and url only: title and
   * referrer on every track call would add a tenth to a 10 M-event file.
   */
  page: JsonObject;
}

export interface Catalog {
  products: readonly Product[];
  categories: readonly string[];
  /** Every category but Deals: what a shopper can have as a favourite. */
  browseCategories: readonly string[];
  byCategory: ReadonlyMap<string, readonly Product[]>;
  deals: readonly Product[];
  /** Non-Deals products by price tier: cheapest 40%, all, priciest 15%. */
  tiers: Readonly<Record<PriceTier, readonly Product[]>>;
  /** `Products Searched` properties per category. */
  searches: ReadonlyMap<string, readonly JsonObject[]>;
  /** `context.page` / page properties of the home and category landing pages. */
  landingPages: readonly JsonObject[];
  searchPage: JsonObject;
}

export const DEALS_CATEGORY = 'Deals';
export const SITE_URL = 'https://shop.example.com';

/** Category, typical price (USD, log-normal median), products in the catalog, nouns for names. */
const CATEGORIES: readonly (readonly [string, number, number, readonly string[]])[] = [
  ['Apparel', 45, 45, ['Shirt', 'Jacket', 'Dress', 'Hoodie', 'Jeans']],
  ['Shoes', 85, 40, ['Sneakers', 'Boots', 'Sandals', 'Loafers']],
  ['Accessories', 35, 40, ['Belt', 'Wallet', 'Scarf', 'Sunglasses']],
  ['Beauty', 25, 40, ['Serum', 'Lipstick', 'Cleanser', 'Perfume']],
  ['Home', 120, 40, ['Lamp', 'Rug', 'Throw', 'Mirror', 'Armchair']],
  ['Kitchen', 60, 40, ['Skillet', 'Knife Set', 'Blender', 'Kettle']],
  ['Electronics', 260, 45, ['Headphones', 'Speaker', 'Monitor', 'Tablet', 'Camera']],
  ['Toys', 30, 35, ['Puzzle', 'Robot Kit', 'Plush', 'Board Game']],
  ['Sports', 65, 40, ['Yoga Mat', 'Dumbbells', 'Racket', 'Backpack']],
  ['Books', 18, 35, ['Novel', 'Cookbook', 'Atlas', 'Biography']],
  ['Grocery', 12, 40, ['Coffee Beans', 'Olive Oil', 'Tea Tin', 'Chocolate']],
  [DEALS_CATEGORY, 14, 60, ['Bundle', 'Clearance Pack', 'Mystery Box', 'Outlet Item']],
];
const ADJECTIVES = ['Classic', 'Urban', 'Everyday', 'Premium', 'Compact', 'Vintage', 'Eco', 'Pro', 'Soft', 'Bold', 'Nordic', 'Studio'];

/** A seeded catalog of ~500 products in 12 categories (one is Deals). */
export function createCatalog(seed: number): Catalog {
  const rng = createRng(deriveSeed(seed, 0x6361_7461)); // 'cata'
  const products: Product[] = [];
  const byCategory = new Map<string, Product[]>();
  const searches = new Map<string, JsonObject[]>();
  for (const [category, medianPrice, count, nouns] of CATEGORIES) {
    const inCategory: Product[] = [];
    for (let index = 0; index < count; index++) {
      const id = `p${String(products.length + 1).padStart(4, '0')}`;
      const name = `${rng.pick(ADJECTIVES)} ${rng.pick(nouns)}`;
      const price = pricePoint(rng, medianPrice);
      const path = `/p/${id}`;
      const product: Product = {
        id, name, category, price,
        viewedProperties: deepFreeze({ product_id: id, category, name, price, currency: 'USD' }),
        page: deepFreeze({ path, url: SITE_URL + path }),
      };
      products.push(product);
      inCategory.push(product);
    }
    byCategory.set(category, inCategory);
    searches.set(category, nouns.map((noun) => deepFreeze({ query: `${rng.pick(ADJECTIVES)} ${noun}`.toLowerCase() })));
  }

  const regular = products.filter((product) => product.category !== DEALS_CATEGORY).sort((left, right) => left.price - right.price);
  const categories = CATEGORIES.map(([category]) => category);
  return {
    products,
    categories,
    browseCategories: categories.filter((category) => category !== DEALS_CATEGORY),
    byCategory,
    deals: byCategory.get(DEALS_CATEGORY) ?? [],
    tiers: {
      budget: regular.slice(0, Math.ceil(regular.length * 0.4)),
      standard: regular,
      premium: regular.slice(Math.floor(regular.length * 0.85)),
    },
    searches,
    landingPages: deepFreeze([
      { path: '/', url: `${SITE_URL}/`, title: 'Shop', referrer: 'https://www.google.com/' },
      ...categories.map((category) => {
        const path = `/c/${category.toLowerCase()}`;
        return { path, url: SITE_URL + path, title: `${category} | Shop`, referrer: '' };
      }),
    ]),
    searchPage: deepFreeze({ path: '/search', url: `${SITE_URL}/search`, title: 'Search | Shop', referrer: '' }),
  };
}

/** Log-normal around the category median, ending in .99 or .49 like shelf prices. */
function pricePoint(rng: Rng, median: number): number {
  const raw = median * Math.exp(0.6 * rng.normal());
  const whole = Math.max(1, Math.floor(raw));
  return whole + (rng.chance(0.7) ? 0.99 : 0.49);
}
