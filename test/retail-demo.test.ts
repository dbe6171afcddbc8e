import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateRetailUsers, type PersonaName } from '../core/generate/index.js';
import type { RunSummary } from '../core/pipeline/run-pipeline.js';
import { queryState, REPO_ROOT, temporaryDirectory, writeMapping } from './support/run-mapping.js';

/**
 * The example mapping, end to end through the real CLI, on a smaller world,
 * checked against the generator's ground truth: who each person is and which
 * persona they were simulated with.
 */
const USERS = 1200;

describe('retail demo: segments recover the simulated personas', () => {
  const directory = temporaryDirectory('demo');
  const stateDir = join(directory, 'state');
  let summary: RunSummary;
  const personaOfProfile = new Map<string, PersonaName>();

  beforeAll(() => {
    const example = readFileSync(join(REPO_ROOT, 'mappings', 'examples', 'retail.yaml'), 'utf8');
    const mapping = writeMapping(directory, example.replace(/users: \d+/, `users: ${USERS}`));
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'cli', 'main.ts'), 'run', mapping, '--state', stateDir, '--json'], {
      cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 << 20,
    });
    expect(result.status, result.stderr).toBe(0);
    summary = JSON.parse(result.stdout) as RunSummary;
    const seed = Number(/seed: (\d+)/.exec(example)?.[1]);
    const start = Date.parse(`${/start: "([\d-]+)"/.exec(example)?.[1]}T00:00:00Z`);
    for (const user of generateRetailUsers({ seed, users: USERS, start, days: 365 })) {
      const { truth } = user;
      personaOfProfile.set(truth.userId !== null ? `u:${truth.userId}` : `a:${truth.anonymousIds[0]}`, truth.persona);
    }
  });

  it('prints one JSON object with event counts, profiles and segments', () => {
    expect(summary.events.read).toBe(summary.events.accepted + summary.events.quarantined + summary.events.duplicates);
    expect(summary.events.duplicates).toBeGreaterThan(0); // the example re-sends 0.2% like Segment retries
    expect(summary.segments.length).toBeGreaterThan(10);
    for (const segment of summary.segments) expect(Object.keys(segment)).toEqual(expect.arrayContaining(['id', 'name', 'size']));
  });

  it('ends with a sync to the three sandbox sinks: every profile with an email and consent applied, nothing failed', () => {
    const sync = summary.sync ?? [];
    expect(sync.map((sink) => sink.sinkId)).toEqual(['hubspot', 'salesforce', 'marketo']);
    for (const sink of sync) {
      expect(sink.error).toBeUndefined();
      expect(sink.execution?.stopped).toBeUndefined();
      expect(sink.execution?.byOp.upsert.applied).toBe(sink.profiles);
      expect(sink.execution?.failed).toBe(0);
      expect(sink.execution?.deadLettered).toBe(0);
    }
    const [hubspot, salesforce] = sync;
    // Consent: about 30% of the simulated people refused Advertising, which the HubSpot sink requires.
    expect(hubspot!.excluded.noConsent / salesforce!.profiles).toBeGreaterThan(0.2);
    expect(hubspot!.excluded.noConsent / salesforce!.profiles).toBeLessThan(0.4);
    expect(hubspot!.profiles + hubspot!.excluded.noConsent).toBe(salesforce!.profiles);
  });

  it('stitches every person into exactly one profile (second devices, aliases, late logins)', async () => {
    expect(summary.profiles).toBe(USERS);
    const profiles = await queryState(stateDir, 'SELECT profile_id FROM features');
    const ids = new Set(profiles.map((row) => String(row.profile_id)));
    expect([...personaOfProfile.keys()].filter((id) => !ids.has(id))).toEqual([]);
  });

  it('rule segments are dominated by the persona they target', async () => {
    const members = await queryState(stateDir, 'SELECT segment_id, profile_id FROM segment_members');
    const precision = (segmentId: string, personas: readonly PersonaName[]) => {
      const inSegment = members.filter((row) => row.segment_id === segmentId);
      const hits = inSegment.filter((row) => personas.includes(personaOfProfile.get(String(row.profile_id)) as PersonaName));
      return { size: inSegment.length, precision: hits.length / Math.max(inSegment.length, 1) };
    };
    const windowShoppers = precision('window_shoppers', ['window_shopper']);
    expect(windowShoppers.size).toBeGreaterThan(20);
    expect(windowShoppers.precision).toBeGreaterThan(0.8);
    const abandoners = precision('cart_abandoners', ['cart_abandoner']);
    expect(abandoners.size).toBeGreaterThan(20);
    expect(abandoners.precision).toBeGreaterThan(0.6);
    const champions = precision('rfm/champions', ['champion', 'loyal', 'bargain_hunter']);
    expect(champions.precision).toBeGreaterThan(0.8);
    const lapsed = precision('lapsed_regulars', ['churned']);
    expect(lapsed.precision).toBeGreaterThan(0.5);
  });
});
