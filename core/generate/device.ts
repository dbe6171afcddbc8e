import type { JsonObject } from '../events/canonical-event.js';
import { deepFreeze } from './frozen-json.js';
import type { Rng } from '../random/rng.js';

/**
 * One browser, phone or backend that sends a user's events. The device owns
 * what Segment takes from it: the anonymousId (one per device, so a second
 * device is a second anonymous identity to stitch), the context, and the
 * device clock, which is wrong on a few percent of devices.
 */
export interface Device {
  kind: 'web' | 'mobile' | 'server';
  /** Null for the server, which only knows the userId. */
  anonymousId: string | null;
  /** Set once the device has sent `identify`; later messages carry the userId. */
  identified: boolean;
  /** Device clock minus true time, ms; 0 on most devices. */
  skewMs: number;
  /** Frozen: the whole context (mobile, server) or the part every page shares (web). */
  context: JsonObject;
}

const SKEWED_DEVICE_SHARE = 0.04;
const MIN_SKEW_MS = 2 * 60_000;
const MAX_SKEW_MS = 6 * 3_600_000;

const WEB_LIBRARY: JsonObject = { name: 'analytics.js', version: 'npm:next-1.72.0' };
const IOS_LIBRARY: JsonObject = { name: 'analytics-ios', version: '4.1.8' };
const ANDROID_LIBRARY: JsonObject = { name: 'analytics-android', version: '4.11.3' };
const SERVER_LIBRARY: JsonObject = { name: 'analytics-node', version: '2.2.1' };
const APP: JsonObject = { name: 'Segflow Shop', version: '5.3.0', build: '5301', namespace: 'com.example.shop' };
const LOCALES = ['en-US', 'en-US', 'en-US', 'en-GB', 'es-US', 'fr-CA'];
const PHONES: readonly (readonly [string, string, string, string])[] = [
  ['Apple', 'iPhone15,2', 'ios', '18.1'],
  ['Apple', 'iPhone16,1', 'ios', '17.6'],
  ['samsung', 'SM-S918B', 'android', '14'],
  ['Google', 'Pixel 8', 'android', '15'],
];

/** A browser or phone with its own anonymousId, IP and clock. */
export function createDevice(rng: Rng, kind: 'web' | 'mobile', consent: JsonObject): Device {
  const anonymousId = uuid(rng);
  const ip = `${1 + rng.int(222)}.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`;
  const locale = rng.pick(LOCALES);
  const skewMs = rng.chance(SKEWED_DEVICE_SHARE) ? clockSkew(rng) : 0;
  if (kind === 'web') {
    // No userAgent: at ~110 bytes it would be an eighth of every message, and
    // nothing downstream reads it.
    return { kind, anonymousId, identified: false, skewMs, context: deepFreeze({ library: WEB_LIBRARY, ip, locale, consent }) };
  }
  const [manufacturer, model, os, osVersion] = rng.pick(PHONES);
  const context: JsonObject = deepFreeze({
    library: os === 'ios' ? IOS_LIBRARY : ANDROID_LIBRARY,
    app: APP,
    device: { id: uuid(rng), manufacturer, model, type: os },
    os: { name: os === 'ios' ? 'iOS' : 'Android', version: osVersion },
    ip,
    locale,
    consent,
  });
  return { kind, anonymousId, identified: false, skewMs, context };
}

/** The shop's backend: sends refunds with the userId only, on a correct clock. */
export function createServer(consent: JsonObject): Device {
  return { kind: 'server', anonymousId: null, identified: true, skewMs: 0, context: deepFreeze({ library: SERVER_LIBRARY, consent }) };
}

/** `context` of one message: web adds the page the event happened on. */
export function contextAt(device: Device, page: JsonObject | null): JsonObject {
  if (device.kind !== 'web' || page === null) return device.context;
  return { ...device.context, page };
}

/** Segment Consent Management preferences: Analytics is always granted (else there would be no events). */
export function createConsent(rng: Rng): JsonObject {
  return {
    categoryPreferences: { Advertising: rng.chance(0.7), Analytics: true, Functional: true, DataSharing: rng.chance(0.5) },
  };
}

/** Minutes to hours either way, log-uniform: most wrong clocks are a little wrong. */
function clockSkew(rng: Rng): number {
  const magnitude = Math.round(Math.exp(Math.log(MIN_SKEW_MS) + rng.next() * Math.log(MAX_SKEW_MS / MIN_SKEW_MS)));
  return rng.chance(0.5) ? magnitude : -magnitude;
}

/** A version-4-shaped UUID from the seeded stream (crypto.randomUUID would break determinism). */
export function uuid(rng: Rng): string {
  const hex = hex8(rng.uint32()) + hex8(rng.uint32()) + hex8(rng.uint32()) + hex8(rng.uint32());
  const variant = '89ab'[rng.int(4)] ?? '8';
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function hex8(value: number): string {
  return value.toString(16).padStart(8, '0');
}
