import { describe, expect, it } from 'vitest';
import { suppressionOriginWarnings, type SuppressionOrigins } from './fresh-state-warning.js';

const base: SuppressionOrigins = {
  newState: true, stateHashes: 0, stateDriver: 'sqlite', stateLocation: '/s/state.sqlite',
  file: { path: '/m/segflow-suppressions.jsonl', configured: false, present: false, hashes: 0, variable: 'SEGFLOW_SUPPRESSION_FILE' },
};

describe('what a new state says about suppression lists kept elsewhere', () => {
  it('says nothing when there is no list anywhere, or the state is not new', () => {
    expect(suppressionOriginWarnings(base)).toEqual([]);
    expect(suppressionOriginWarnings({ ...base, newState: false, file: { ...base.file, present: true, hashes: 3 } })).toEqual([]);
    // A SQLite state with its own list is not empty.
    expect(suppressionOriginWarnings({ ...base, stateHashes: 2, file: { ...base.file, present: true, hashes: 3 } })).toEqual([]);
  });

  it('names the shared PostgreSQL list a new event store applies', () => {
    const warnings = suppressionOriginWarnings({ ...base, stateDriver: 'postgres', stateLocation: 'postgres://db/segflow', stateHashes: 5 });
    expect(warnings).toEqual(['this machine\'s event store is new, and the shared state postgres://db/segflow holds a suppression list (5 hash(es)); it is applied: those people\'s events are dropped at ingest and never synced']);
  });

  it('says which list is applied when the configured file is missing but the shared state has one', () => {
    const warnings = suppressionOriginWarnings({ ...base, stateDriver: 'postgres', stateHashes: 1, file: { ...base.file, configured: true } });
    expect(warnings[0]).toMatch(/which does not exist: only the shared state's list is applied, not that file/);
    expect(warnings).toHaveLength(2);
  });
});
