import { describe, expect, it } from 'vitest';
import { parseSoql } from './simulator/soql-parser.js';
import { campaignMembersQuery, chunkForSoqlIn, recordsByExternalIdQuery, soqlString } from './soql.js';

describe('SOQL built by the sink', () => {
  it('escapes quotes and backslashes so a key cannot break out of its literal', () => {
    expect(soqlString("o'neil\\x")).toBe("'o\\'neil\\\\x'");
    // The simulator's strict parser reads back exactly the values the sink meant.
    const query = parseSoql(recordsByExternalIdQuery('Contact', 'Segflow_Id__c', ["o'neil\\x", "' OR Id != '"]));
    expect(query.conditions).toEqual([{ field: 'Segflow_Id__c', values: ["o'neil\\x", "' OR Id != '"] }]);
  });

  it('emits the membership lookup in the shape the simulator accepts', () => {
    expect(parseSoql(campaignMembersQuery('701A', 'ContactId', ['003A', '003B']))).toEqual({
      fields: ['Id', 'ContactId'],
      object: 'CampaignMember',
      conditions: [
        { field: 'CampaignId', values: ['701A'] },
        { field: 'ContactId', values: ['003A', '003B'] },
      ],
    });
  });

  it('splits IN lists at 200 values and at a URL budget for long keys', () => {
    expect(chunkForSoqlIn(Array.from({ length: 450 }, (_, index) => `u:${index}`)).map((chunk) => chunk.length)).toEqual([200, 200, 50]);
    const long = Array.from({ length: 200 }, (_, index) => `${'x'.repeat(200)}${index}`);
    const chunks = chunkForSoqlIn(long);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.flat()).toEqual(long);
    for (const chunk of chunks) expect(encodeURIComponent(recordsByExternalIdQuery('Contact', 'Segflow_Id__c', chunk)).length).toBeLessThan(16_000);
  });
});

describe('simulator SOQL parser', () => {
  it('accepts LIMIT and boolean literals, rejects what a sync never sends', () => {
    expect(parseSoql("SELECT Id FROM Campaign WHERE IsActive = true AND Name = 'x' LIMIT 5")).toMatchObject({ limit: 5, conditions: [{ values: [true] }, { values: ['x'] }] });
    for (const bad of ['SELECT Id FROM Contact ORDER BY Id', 'SELECT Account.Name FROM Contact', "SELECT Id FROM Contact WHERE Name != 'x'", 'SELECT FROM Contact', "SELECT Id FROM Contact WHERE Name = 'open"]) {
      expect(() => parseSoql(bad), bad).toThrow();
    }
  });
});
