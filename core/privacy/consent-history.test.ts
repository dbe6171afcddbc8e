import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { foldConsentHistory, loadConsentHistory } from './consent-history.js';

const DAY = 86_400_000;
const consent = (preferences: Record<string, boolean>) => JSON.stringify({ categoryPreferences: preferences });

describe('consent history', () => {
  it('records each change per category, and nothing for a repeated answer', () => {
    const changes = foldConsentHistory([
      { profileId: 'u:ana', at: 3 * DAY, consent: consent({}) },
      { profileId: 'u:ana', at: 1 * DAY, consent: consent({ Marketing: true, Analytics: true }) },
      { profileId: 'u:ana', at: 2 * DAY, consent: consent({ marketing: true, Analytics: true }) },
      { profileId: 'u:ana', at: 4 * DAY, consent: '{"mixpanelOptIn":true}' },
    ]);
    expect(changes).toEqual([
      { profileId: 'u:ana', category: 'Marketing', granted: true, since: 1 * DAY },
      { profileId: 'u:ana', category: 'Analytics', granted: true, since: 1 * DAY },
      // An empty object withdraws everything granted before.
      { profileId: 'u:ana', category: 'Marketing', granted: false, since: 3 * DAY },
      { profileId: 'u:ana', category: 'Analytics', granted: false, since: 3 * DAY },
      // A consent without categories: not enforced from then on.
      { profileId: 'u:ana', category: 'Marketing', granted: null, since: 4 * DAY },
      { profileId: 'u:ana', category: 'Analytics', granted: null, since: 4 * DAY },
    ]);
  });

  it('states declared categories a profile never named as not granted', () => {
    expect(foldConsentHistory([{ profileId: 'u:bo', at: DAY, consent: consent({ Analytics: true }) }], ['Marketing'])).toEqual([
      { profileId: 'u:bo', category: 'Marketing', granted: false, since: DAY },
      { profileId: 'u:bo', category: 'Analytics', granted: true, since: DAY },
    ]);
  });

  it('reads the history from the event store, per profile of the identity map', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const duck = await instance.connect();
    try {
      await duck.run(`CREATE TABLE events (id_key VARCHAR, ts TIMESTAMP, consent VARCHAR);
        CREATE TABLE identity_map (id_key VARCHAR, profile_id VARCHAR);
        INSERT INTO identity_map VALUES ('u:ana', 'u:ana'), ('a:dev', 'u:ana'), ('u:bo', 'u:bo');
        INSERT INTO events VALUES
          ('a:dev', TIMESTAMP '2025-01-01', '{"categoryPreferences":{"Marketing":true}}'),
          ('u:ana', TIMESTAMP '2025-01-02', NULL),
          ('u:ana', TIMESTAMP '2025-02-01', '{"categoryPreferences":{"Marketing":false}}'),
          ('u:bo', TIMESTAMP '2025-01-05', '{"categoryPreferences":{"Marketing":true}}')`);
      expect(await loadConsentHistory(duck, { profileIds: ['u:ana'] })).toEqual([
        { profileId: 'u:ana', category: 'Marketing', granted: true, since: Date.UTC(2025, 0, 1) },
        { profileId: 'u:ana', category: 'Marketing', granted: false, since: Date.UTC(2025, 1, 1) },
      ]);
      expect((await loadConsentHistory(duck)).map((change) => change.profileId)).toEqual(['u:ana', 'u:ana', 'u:bo']);
    } finally {
      duck.closeSync();
      instance.closeSync();
    }
  });
});
