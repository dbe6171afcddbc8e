import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { findLiteralSecrets } from '../../../core/config/secrets.js';
import { Ga4BigQuerySourceSchema, resolveGa4BigQuerySettings } from './ga4-bigquery-config.js';
import { Ga4FilesSourceSchema } from './ga4-files-config.js';

const valid = { type: 'ga4-bigquery', id: 'ga4', project: 'my-shop', dataset: 'analytics_153293282', credentials: '${env:GA4_CREDENTIALS}', start_date: '2024-01-31' };
const problems = (input: unknown) => Ga4BigQuerySourceSchema.safeParse(input).error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];

describe('GA4 source configs', () => {
  it('publish as JSON Schema (editor autocompletion) with their defaults', () => {
    const schema = z.toJSONSchema(Ga4BigQuerySourceSchema) as { properties: Record<string, { default?: unknown }> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['project', 'dataset', 'credentials', 'start_date', 'late_days', 'intraday', 'api_endpoint']));
    expect(schema.properties.late_days?.default).toBe(3);
    expect(() => z.toJSONSchema(Ga4FilesSourceSchema)).not.toThrow();
  });

  it('applies defaults in one step and turns start_date into the tables\' YYYYMMDD', () => {
    expect(resolveGa4BigQuerySettings(Ga4BigQuerySourceSchema.parse(valid))).toMatchObject({
      startDay: '20240131', lateDays: 3, intraday: false, pageSize: 5000, checkpointEvery: 50_000, apiEndpoint: null, credentials: '${env:GA4_CREDENTIALS}',
    });
  });

  it('reports every problem at once: a literal key, a dataset that is not an export, an impossible date', () => {
    expect(problems({ ...valid, credentials: '{"private_key": "…"}', dataset: 'events', start_date: '2024-02-30' })).toEqual([
      expect.stringMatching(/^dataset: expected the export dataset/),
      expect.stringMatching(/^credentials: expected a secret reference/),
      'start_date: not a calendar date',
    ]);
    // The mapping loader's own secret check flags the key too.
    expect(findLiteralSecrets({ sources: [{ ...valid, credentials: 'inline-key' }] })).toHaveLength(1);
  });
});
