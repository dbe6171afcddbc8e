import { describe, expect, it } from 'vitest';
import { salesforceCapabilities } from './salesforce-sink.js';
import { resolveSalesforceSettings } from './salesforce-sink-config.js';

const base = { type: 'salesforce', login_url: 'https://acme.my.salesforce.com/', client_id: 'id', client_secret: 'secret' };

describe('Salesforce sink config', () => {
  it('defaults to Contact, Segflow_Id__c, API 62.0, Bulk from 2,000 records, 10 concurrent calls and no request pacing', () => {
    const settings = resolveSalesforceSettings({ ...base, id: 'crm', mode: 'sync' });
    expect(settings).toMatchObject({ loginUrl: 'https://acme.my.salesforce.com', object: 'Contact', externalIdField: 'Segflow_Id__c', apiVersion: '62.0', bulkThreshold: 2000, concurrency: 10, rateLimit: null });
    expect(salesforceCapabilities(settings)).toMatchObject({
      operations: { upsert: { maxBatch: 10_000 }, update: { maxBatch: 10_000 }, 'list-add': { maxBatch: 200 }, 'list-remove': { maxBatch: 200 }, delete: { maxBatch: 200 } },
      rateLimit: null,
      concurrency: 10,
      membershipNeedsVendorId: true,
    });
  });

  it('caps record batches at 200 when Bulk is off (0 or null)', () => {
    for (const off of [0, null]) {
      expect(salesforceCapabilities(resolveSalesforceSettings({ ...base, bulk_threshold: off })).operations.upsert?.maxBatch).toBe(200);
    }
  });

  it('takes a limits override', () => {
    const settings = resolveSalesforceSettings({ ...base, limits: { requests: 50, interval_ms: 1000, concurrency: 4 } });
    expect(salesforceCapabilities(settings)).toMatchObject({ rateLimit: { requests: 50, intervalMs: 1000 }, concurrency: 4 });
  });

  it('reports every invalid field at once as a config error', () => {
    expect(() => resolveSalesforceSettings({ ...base, object: 'Account', external_id_field: 'bad name' })).toThrow(/object: .*; external_id_field: expected a Salesforce API name/);
  });

  it('needs a username with a private key (JWT bearer)', () => {
    expect(() => resolveSalesforceSettings({ type: 'salesforce', client_id: 'id', private_key: 'pem' })).toThrow(/username/);
  });
});
