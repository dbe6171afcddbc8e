import type { JsonObject } from '../events/canonical-event.js';

/**
 * The Segment-spec messages the generator emits, as plain JSON objects
 * (https://segment.com/docs/connections/spec/common/). Times are ISO strings,
 * as on the wire. `userId` is null until the device has identified, as
 * analytics.js sends it.
 *
 * Nested objects (`context` parts, `Product Viewed` properties) are shared
 * between messages to keep generation allocation-free: treat messages as
 * read-only, or clone before changing them.
 */
interface MessageBase {
  messageId: string;
  anonymousId: string | null;
  userId: string | null;
  context: JsonObject;
  /** The true time of the event (what Segment's clock-skew rule recovers). */
  timestamp: string;
  /** The device's clock at the event: off by minutes to hours on a few percent of devices. */
  originalTimestamp: string;
  /** The device's clock when the batch was sent. */
  sentAt: string;
  /** The collector's (correct) clock on arrival. */
  receivedAt: string;
}

export interface TrackMessage extends MessageBase {
  type: 'track';
  event: string;
  properties: JsonObject;
}

export interface PageMessage extends MessageBase {
  type: 'page';
  name: string;
  properties: JsonObject;
}

export interface IdentifyMessage extends MessageBase {
  type: 'identify';
  userId: string;
  traits: JsonObject;
}

export interface AliasMessage extends MessageBase {
  type: 'alias';
  userId: string;
  previousId: string;
}

export type SegmentMessage = TrackMessage | PageMessage | IdentifyMessage | AliasMessage;

/** Track event names the retail world emits. */
export const RETAIL_EVENTS = {
  applicationOpened: 'Application Opened',
  productsSearched: 'Products Searched',
  productViewed: 'Product Viewed',
  productAdded: 'Product Added',
  cartViewed: 'Cart Viewed',
  checkoutStarted: 'Checkout Started',
  orderCompleted: 'Order Completed',
  orderRefunded: 'Order Refunded',
} as const;
