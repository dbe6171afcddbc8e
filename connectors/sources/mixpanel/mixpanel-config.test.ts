import { describe, expect, it } from 'vitest';
import { findLiteralSecrets } from '../../../core/config/secrets.js';
import { MixpanelSourceSchema, resolveMixpanelSettings } from './mixpanel-config.js';

const section = {
  type: 'mixpanel', id: 'mp', project_id: 2195193, from_date: '2026-01-01',
  service_account: { username: '${env:MP_USER}', secret: '${env:MP_SECRET}' },
};
const env = { MP_USER: 'sa.user', MP_SECRET: 's3cret' };

describe('mixpanel config', () => {
  it('applies defaults and resolves the service account from the environment', () => {
    expect(resolveMixpanelSettings(section, env)).toEqual({
      sourceId: 'mp', projectId: '2195193', username: 'sa.user', secret: 's3cret', baseUrl: 'https://data.mixpanel.com',
      fromDate: '2026-01-01', events: null, lookbackDays: 2,
    });
  });

  it('picks the data-residency host, or base_url', () => {
    expect(resolveMixpanelSettings({ ...section, region: 'eu' }, env).baseUrl).toBe('https://data-eu.mixpanel.com');
    expect(resolveMixpanelSettings({ ...section, region: 'in' }, env).baseUrl).toBe('https://data-in.mixpanel.com');
    expect(resolveMixpanelSettings({ ...section, region: 'eu', base_url: 'http://127.0.0.1:9/' }, env).baseUrl).toBe('http://127.0.0.1:9');
  });

  it('refuses a literal secret, and the mapping-wide secret scan agrees', () => {
    const literal = { ...section, service_account: { username: 'sa.user', secret: 'hunter2' } };
    expect(() => resolveMixpanelSettings(literal, env)).toThrow(/service_account.secret: expected \$\{env:NAME\}/);
    expect(findLiteralSecrets(literal).map((finding) => finding.path.join('.'))).toEqual(['service_account.secret']);
  });

  it('reports every problem at once', () => {
    const bad = { ...section, region: 'apac', from_date: '01/02/2026', project_id: 'abc' };
    expect(() => resolveMixpanelSettings(bad, env)).toThrow(/project_id: .*; region: .*; from_date: expected a date like 2026-01-31/);
    expect(() => resolveMixpanelSettings({ ...section, from_date: '2026-02-30' }, env)).toThrow('from_date 2026-02-30 is not a calendar date');
  });

  it('names the unset environment variable', () => {
    expect(() => resolveMixpanelSettings(section, { MP_USER: 'u' })).toThrow('sources.mp.service_account.secret: environment variable MP_SECRET is not set (referenced as ${env:MP_SECRET})');
  });

  it('publishes as JSON Schema (no transforms)', async () => {
    const { z } = await import('zod');
    expect(() => z.toJSONSchema(MixpanelSourceSchema)).not.toThrow();
  });
});
