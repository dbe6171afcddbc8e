import { describe, expect, it } from 'vitest';
import { mapBulkResults, toBulkCsv } from './bulk-results.js';

describe('Bulk API CSV', () => {
  it('writes the key first, quotes what needs it, clears with #N/A and leaves unset columns empty', () => {
    const csv = toBulkCsv(
      [
        { key: 'u:1', properties: { Note__c: 'a, "b"\nc', Score__c: 3, Opt_In__c: true } },
        { key: 'u:2', properties: { Note__c: null, Score__c: '' } },
      ],
      'Segflow_Id__c',
    );
    expect(csv).toBe('Segflow_Id__c,Note__c,Score__c,Opt_In__c\nu:1,"a, ""b""\nc",3,true\nu:2,#N/A,#N/A,\n');
  });
});

describe('Bulk API results', () => {
  const rows = [
    { key: 'a', profileId: 'u:a' },
    { key: 'b', profileId: 'u:b' },
    { key: 'c', profileId: 'u:c' },
    { key: 'd', profileId: 'u:d' },
  ];

  it('gives one result per row in row order, and never success for a row that also failed', () => {
    const results = mapBulkResults(rows, 'Ext__c', 'Contact', {
      successful: [
        { sf__Id: '003A', sf__Created: 'true', Ext__c: 'a' },
        { sf__Id: '003B', sf__Created: 'false', Ext__c: 'b' },
      ],
      failed: [{ sf__Id: '', sf__Error: 'DUPLICATE_VALUE:duplicate value found:Ext__c --', Ext__c: 'b' }],
      unprocessed: [{ Ext__c: 'c' }],
      state: 'Failed',
      errorMessage: 'InternalServerError',
    });
    expect(results[0]).toEqual({ status: 'applied', vendorId: '003A', created: true });
    expect(results[1]).toMatchObject({ status: 'failed', error: { kind: 'permanent', code: 'salesforce.DUPLICATE_VALUE' } });
    expect(results[2]).toMatchObject({ status: 'failed', error: { kind: 'retryable', code: 'salesforce.bulk_unprocessed' } });
    expect(results[3]).toMatchObject({ status: 'failed', error: { kind: 'retryable', code: 'salesforce.bulk_result_missing' } });
  });
});
