import { beforeAll, describe, expect, it } from 'vitest';
import { generateRetailUsers } from './retail-world.js';
import type { SimulatedUser } from './user-simulation.js';

describe('identities in the generated world', () => {
  let users: SimulatedUser[] = [];
  beforeAll(() => {
    users = [...generateRetailUsers({ seed: 77, users: 1_000 })];
  });
  const identified = (): SimulatedUser[] => users.filter((user) => user.truth.userId !== null);

  it('shows every anonymousId of an identified user together with its userId at least once', () => {
    const unlinked: string[] = [];
    for (const { truth, messages } of identified()) {
      for (const anonymousId of truth.anonymousIds) {
        const linked = messages.some((message) => message.anonymousId === anonymousId && message.userId === truth.userId);
        if (!linked) unlinked.push(`${truth.userKey}:${anonymousId}`);
      }
    }
    expect(identified().length).toBeGreaterThan(600);
    expect(unlinked).toEqual([]);
  });

  it('starts every device anonymous and keeps the userId once the device has identified', () => {
    const problems: string[] = [];
    for (const { truth, messages } of identified()) {
      const identifiedDevices = new Set<string>();
      const seen = new Set<string>();
      for (const message of messages) {
        const device = message.anonymousId;
        if (device === null) continue; // backend refund: userId only
        if (!seen.has(device) && message.userId !== null) problems.push(`${truth.userKey}: ${device} starts identified`);
        seen.add(device);
        if (message.type === 'identify') identifiedDevices.add(device);
        if (identifiedDevices.has(device) && message.userId !== truth.userId) problems.push(`${truth.userKey}: ${message.messageId} lost the userId`);
        if (!identifiedDevices.has(device) && message.userId !== null) problems.push(`${truth.userKey}: ${message.messageId} has a userId before identify`);
      }
      expect([...seen].sort()).toEqual([...truth.anonymousIds].sort());
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('gives ~15% of identified users a second device and ~2% an alias to an old anonymous id', () => {
    const people = identified();
    const twoDevices = people.filter((user) => user.truth.anonymousIds.length === 2).length;
    expect(twoDevices / people.length).toBeGreaterThan(0.1);
    expect(twoDevices / people.length).toBeLessThan(0.2);
    let aliases = 0;
    for (const { truth, messages } of people) {
      for (const message of messages) {
        if (message.type !== 'alias') continue;
        aliases++;
        expect(message.userId).toBe(truth.userId);
        expect(truth.anonymousIds).toContain(message.previousId);
      }
    }
    expect(aliases / people.length).toBeGreaterThan(0.005);
    expect(aliases / people.length).toBeLessThan(0.04);
  });

  it('sends identify traits with the user email, and gives no two users the same anonymousId', () => {
    const owners = new Map<string, string>();
    for (const { truth, messages } of users) {
      for (const anonymousId of truth.anonymousIds) {
        expect(owners.get(anonymousId) ?? truth.userKey).toBe(truth.userKey);
        owners.set(anonymousId, truth.userKey);
      }
      for (const message of messages) {
        if (message.type === 'identify') expect(message.traits.email).toBe(`user${truth.userIndex}@example.com`);
      }
    }
  });

  it('keeps anonymous visitors to one anonymous device, never identified', () => {
    const visitors = users.filter((user) => user.truth.persona === 'anonymous_visitor');
    expect(visitors.length).toBeGreaterThan(200);
    for (const { truth, messages } of visitors) {
      expect(truth.userId).toBeNull();
      expect(truth.anonymousIds).toHaveLength(1);
      expect(messages.every((message) => message.userId === null && message.anonymousId === truth.anonymousIds[0])).toBe(true);
    }
  });

  it('puts a device id in the context of mobile events and the page in web events', () => {
    let mobile = 0;
    let web = 0;
    let wrong = 0;
    for (const { messages } of users) {
      for (const message of messages) {
        if (message.type !== 'track' || message.anonymousId === null) continue;
        const context = message.context as { device?: { id?: string }; page?: { url?: string }; consent?: { categoryPreferences?: { Analytics?: boolean } } };
        if (context.consent?.categoryPreferences?.Analytics !== true) wrong++;
        if (context.device !== undefined) {
          mobile++;
          if (typeof context.device.id !== 'string') wrong++;
        } else if (message.event !== 'Application Opened') {
          web++;
          if (!context.page?.url?.startsWith('https://shop.example.com/')) wrong++;
        }
      }
    }
    expect(wrong).toBe(0);
    expect(mobile).toBeGreaterThan(0);
    expect(web).toBeGreaterThan(mobile);
  });
});
