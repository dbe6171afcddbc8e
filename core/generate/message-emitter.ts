import type { JsonObject } from '../events/canonical-event.js';
import { contextAt, type Device } from './device.js';
import { isoTime } from './iso-time.js';
import { contextJsonAt, messageLine } from './message-json.js';
import type { Rng } from '../random/rng.js';
import type { SegmentMessage } from './segment-message.js';

export interface EmitterOptions {
  seed: number;
  userIndex: number;
  /** The user's id once identified; null for users who never identify. */
  userId: string | null;
  /** The user's behaviour stream (send delays). */
  rng: Rng;
  /**
   * A separate stream for retries, so a world with duplicates is exactly the
   * world without them plus the re-sent lines. Null when duplicateRate is 0.
   */
  duplicateRng: Rng | null;
  duplicateRate: number;
  /** Also build each message's JSON line (for writeWorld), reusing cached text of shared parts. */
  withLines: boolean;
}

/** Builds one user's messages in order: ids, identity, clocks and retries. */
export interface MessageEmitter {
  readonly messages: SegmentMessage[];
  /** Parallel to `messages`: true for a retry (same messageId as the message before it). */
  readonly duplicate: boolean[];
  /** Parallel to `messages` when `withLines`: JSON.stringify(message), built faster. */
  readonly lines: string[] | null;
  track(device: Device, time: number, event: string, properties: JsonObject, page: JsonObject | null): void;
  page(device: Device, time: number, name: string, page: JsonObject): void;
  /** Marks the device identified; this and later messages carry the userId. */
  identify(device: Device, time: number, traits: JsonObject): void;
  alias(device: Device, time: number, previousId: string): void;
}

// Filled by stamp() and copied straight into the message literal: one scratch
// object instead of a tuple per message (generation is synchronous).
const clock = { timestamp: '', originalTimestamp: '', sentAt: '', receivedAt: '', sent: 0 };

export function createMessageEmitter(options: EmitterOptions): MessageEmitter {
  const { rng, duplicateRng, duplicateRate, userId } = options;
  const idPrefix = `${options.seed}-${options.userIndex}-`;
  const messages: SegmentMessage[] = [];
  const duplicate: boolean[] = [];
  const lines: string[] | null = options.withLines ? [] : null;
  let count = 0;

  /**
   * Segment's clock-skew rule, receivedAt - (sentAt - originalTimestamp),
   * gives back the true time exactly: the device stamps both its times with
   * the same skew and the collector's clock is right (network latency is
   * folded into the send delay).
   */
  function stamp(device: Device, time: number): void {
    const delay = device.kind === 'mobile' ? 500 + rng.int(30_000) : device.kind === 'web' ? 50 + rng.int(1_500) : 5 + rng.int(200);
    const sent = time + delay;
    clock.sent = sent;
    clock.timestamp = isoTime(time);
    clock.receivedAt = isoTime(sent);
    if (device.skewMs === 0) {
      clock.originalTimestamp = clock.timestamp;
      clock.sentAt = clock.receivedAt;
    } else {
      clock.originalTimestamp = isoTime(time + device.skewMs);
      clock.sentAt = isoTime(sent + device.skewMs);
    }
  }

  function push(message: SegmentMessage, device: Device, page: JsonObject | null): void {
    messages.push(message);
    duplicate.push(false);
    const contextJson = lines === null ? '' : contextJsonAt(device, page);
    if (lines !== null) lines.push(messageLine(message, contextJson));
    if (duplicateRng !== null && duplicateRng.chance(duplicateRate)) {
      // A retry after a lost acknowledgement: the same payload re-sent later,
      // so only sentAt and receivedAt move (the corrected time stays put).
      const resent = clock.sent + 1_000 + duplicateRng.int(60_000);
      const retry: SegmentMessage = { ...message, sentAt: isoTime(resent + device.skewMs), receivedAt: isoTime(resent) };
      messages.push(retry);
      duplicate.push(true);
      if (lines !== null) lines.push(messageLine(retry, contextJson));
    }
  }

  function userIdOf(device: Device): string | null {
    return device.identified ? userId : null;
  }

  return {
    messages,
    duplicate,
    lines,
    track(device, time, event, properties, page) {
      stamp(device, time);
      push({
        type: 'track', messageId: idPrefix + count++, anonymousId: device.anonymousId, userId: userIdOf(device),
        event, properties, context: contextAt(device, page),
        timestamp: clock.timestamp, originalTimestamp: clock.originalTimestamp, sentAt: clock.sentAt, receivedAt: clock.receivedAt,
      }, device, page);
    },
    page(device, time, name, page) {
      stamp(device, time);
      push({
        type: 'page', messageId: idPrefix + count++, anonymousId: device.anonymousId, userId: userIdOf(device),
        name, properties: page, context: contextAt(device, page),
        timestamp: clock.timestamp, originalTimestamp: clock.originalTimestamp, sentAt: clock.sentAt, receivedAt: clock.receivedAt,
      }, device, page);
    },
    identify(device, time, traits) {
      if (userId === null) throw new Error(`user ${options.userIndex} has no userId to identify with`);
      device.identified = true;
      stamp(device, time);
      push({
        type: 'identify', messageId: idPrefix + count++, anonymousId: device.anonymousId, userId,
        traits, context: contextAt(device, null),
        timestamp: clock.timestamp, originalTimestamp: clock.originalTimestamp, sentAt: clock.sentAt, receivedAt: clock.receivedAt,
      }, device, null);
    },
    alias(device, time, previousId) {
      if (userId === null) throw new Error(`user ${options.userIndex} has no userId to alias to`);
      stamp(device, time);
      push({
        type: 'alias', messageId: idPrefix + count++, anonymousId: device.anonymousId, userId,
        previousId, context: contextAt(device, null),
        timestamp: clock.timestamp, originalTimestamp: clock.originalTimestamp, sentAt: clock.sentAt, receivedAt: clock.receivedAt,
      }, device, null);
    },
  };
}
