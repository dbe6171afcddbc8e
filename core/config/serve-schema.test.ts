import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatIssue } from './config-issue.js';
import { parseMappingText } from './load-mapping.js';
import { buildMappingSchema } from './mapping-schema.js';
import { EVERYONE_MAPPING } from '../../test/support/run-mapping.js';

// A stand-in source schema: core never imports connectors.
const schema = buildMappingSchema([z.strictObject({ type: z.literal('segment-files'), id: z.string(), path: z.string() })]);

const BASE = EVERYONE_MAPPING;

describe('schedule and serve sections', () => {
  it('accepts a schedule and a profile API, with defaults', () => {
    const result = parseMappingText('m.yaml', `${BASE}schedule:
  jobs:
    - { id: hourly, cron: "0 * * * *", job: run }
    - { id: recluster, cron: "0 3 * * 1", job: run }
serve:
  profile_api:
    api_keys: ['\${env:PROFILE_KEY}']
`, schema);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.mapping.schedule).toMatchObject({ timezone: 'UTC', missed: 'skip' });
    expect(result.mapping.serve?.profile_api).toEqual({ api_keys: ['${env:PROFILE_KEY}'], features: [], consent_categories: [], email_trait: 'email' });
  });

  it('reports a bad cron, a bad time zone and a literal API key, each at its line', () => {
    const result = parseMappingText('m.yaml', `${BASE}schedule:
  timezone: Mars/Olympus
  jobs:
    - { id: hourly, cron: "every hour", job: run }
serve:
  profile_api:
    api_keys: [sk_live_literal]
`, schema);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.issues.map(formatIssue);
    expect(lines).toEqual([
      expect.stringMatching(/^m\.yaml:14:\d+ schedule\.timezone: expected an IANA time zone/),
      expect.stringMatching(/^m\.yaml:16:\d+ schedule\.jobs\.0\.cron: expected a 5-field cron expression/),
      expect.stringMatching(/^m\.yaml:19:\d+ serve\.profile_api\.api_keys\.0: expected \$\{env:NAME\}/),
    ]);
  });

  it('accepts admin keys and rate limits (file or environment references), filling the limits\' defaults', () => {
    const result = parseMappingText('m.yaml', `${BASE}serve:
  admin_api_keys: ['\${file:/run/secrets/segflow_admin}', '\${env:ADMIN_KEY}']
  rate_limits: { profile_per_second: 5 }
`, schema);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.mapping.serve?.admin_api_keys).toEqual(['${file:/run/secrets/segflow_admin}', '${env:ADMIN_KEY}']);
    expect(result.mapping.serve?.rate_limits).toEqual({ ingest_per_second: 1000, profile_per_second: 5, failed_auth_per_minute: 30 });
  });

  it('refuses a literal admin key and a rate that is not positive, each at its line', () => {
    const result = parseMappingText('m.yaml', `${BASE}serve:
  admin_api_keys: [ak_live_literal]
  rate_limits: { ingest_per_second: 0 }
`, schema);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.issues.map(formatIssue).join('\n');
    expect(lines).toMatch(/serve\.admin_api_keys\.0: expected \$\{env:NAME\} or \$\{file:\/path\}/);
    expect(lines).toMatch(/serve\.rate_limits\.ingest_per_second/);
  });

  it('refuses a 6-field (seconds) cron: a full run every second is not a schedule', () => {
    const result = parseMappingText('m.yaml', `${BASE}schedule:\n  jobs:\n    - { id: fast, cron: "* * * * * *", job: run }\n`, schema);
    expect(result.ok).toBe(false);
  });

  it('stays representable as JSON Schema (editors autocomplete it)', () => {
    const json = JSON.stringify(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }));
    expect(json).toContain('run_once');
    expect(json).toContain('consent_categories');
  });
});
