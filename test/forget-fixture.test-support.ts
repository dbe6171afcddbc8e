import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A shop whose events include one canary person (an email, a userId and an
 * anonymousId nobody else has), so an erasure can be checked the way a DPO
 * would: by searching every byte segflow wrote for those identifiers.
 */
export const CANARY = {
  email: 'Canary.Person-7731@Example.com',
  userId: 'canary-user-7731',
  anonymousId: 'canary-anon-7731',
} as const;

export const NOW = Date.parse('2026-06-01T00:00:00Z');

function track(id: string, userId: string, day: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ type: 'track', event: 'Order Completed', messageId: id, userId, timestamp: `2026-05-${String(day).padStart(2, '0')}T10:00:00Z`, properties: { revenue: 10 + day }, ...extra });
}

function identify(id: string, userId: string, email: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ type: 'identify', messageId: id, userId, timestamp: '2026-05-01T09:00:00Z', traits: { email, name: `Person ${userId}` }, ...extra });
}

/** Twenty ordinary customers and the canary: identified, buying, seen anonymously, and once quarantined. */
export function shopEvents(): string {
  const lines: string[] = [];
  for (let index = 0; index < 20; index += 1) {
    lines.push(identify(`id-${index}`, `user-${index}`, `user${index}@example.com`));
    for (let day = 1; day <= 5; day += 1) lines.push(track(`t-${index}-${day}`, `user-${index}`, day + (index % 5)));
  }
  lines.push(identify('canary-id', CANARY.userId, CANARY.email, { anonymousId: CANARY.anonymousId }));
  lines.push(JSON.stringify({ type: 'page', name: 'Home', messageId: 'canary-page', anonymousId: CANARY.anonymousId, timestamp: '2026-05-02T08:00:00Z', context: { traits: { email: CANARY.email } } }));
  for (let day = 1; day <= 6; day += 1) lines.push(track(`canary-t-${day}`, CANARY.userId, day + 2, { context: { traits: { email: CANARY.email } } }));
  // Rejected (properties must be an object), with the canary's userId in the sample.
  lines.push(JSON.stringify({ type: 'track', event: 'Broken', messageId: 'canary-bad', userId: CANARY.userId, properties: ['not', 'an', 'object'], timestamp: '2026-05-03T10:00:00Z' }));
  return `${lines.join('\n')}\n`;
}

export function writeShop(directory: string, sinksYaml = ''): string {
  writeFileSync(join(directory, 'events.jsonl'), shopEvents());
  const mapping = join(directory, 'mapping.yaml');
  writeFileSync(mapping, `version: 1
sources:
  - id: web
    type: segment-files
    path: events.jsonl
features:
  include: [frequency, monetary]
segments:
  - id: all
    model: rules
    name: Everyone
    rule: frequency >= 0
${sinksYaml}`);
  return mapping;
}

/** Every spelling of an identifier a file could hold it in: as given, lower, upper, JSON-escaped. */
export function spellings(value: string): string[] {
  const forms = new Set([value, value.toLowerCase(), value.toUpperCase()]);
  for (const form of [...forms]) forms.add(JSON.stringify(form).slice(1, -1).replace(/@/g, '\\u0040'));
  for (const form of [...forms]) forms.add(form.replace(/-/g, '\\u002d'));
  return [...forms];
}

/** How many times each identifier occurs in the bytes of every file under `directory`, per file (files with none left out). */
export function occurrences(directory: string, values: readonly string[]): Record<string, number> {
  const found: Record<string, number> = {};
  const visit = (path: string) => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
      return;
    }
    const bytes = readFileSync(path);
    let count = 0;
    for (const value of values) for (const form of spellings(value)) count += countBytes(bytes, Buffer.from(form, 'utf8'));
    if (count > 0) found[path.slice(directory.length + 1)] = count;
  };
  visit(directory);
  return found;
}

function countBytes(haystack: Buffer, needle: Buffer): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) count += 1;
  return count;
}

export { segflow, type CliResult } from './support/segflow-cli.js';
