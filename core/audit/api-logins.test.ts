import { afterEach, describe, expect, it } from 'vitest';
import { openEphemeralStateStore } from '../store/state/open-state-store.js';
import type { StateStore } from '../store/state/state-store.js';
import { loginAudit, recordApiLogin } from './api-logins.js';
import { parseDetail, type AuditDetail } from './audit-entry.js';
import { verifyTrail } from './audit-trail.js';

const WRITE_KEY = 'wk_live_0123456789abcdef';

describe('API logins in the audit trail', () => {
  let state: StateStore;
  let clock = 0;
  afterEach(async () => {
    await state.close();
  });
  const details = async () => (await state.audit.entries()).map((entry): AuditDetail => ({ actor: entry.actor, ...(parseDetail(entry.detail) ?? {}) }));

  it('names the key by fingerprint, never the key itself', async () => {
    state = openEphemeralStateStore();
    await recordApiLogin({ state, env: {} }, { credential: WRITE_KEY, endpoint: 'ingest', outcome: 'accepted', scope: 'ingest' });
    await recordApiLogin({ state, env: {} }, { endpoint: 'profile', outcome: 'refused', reason: 'missing' });
    const [accepted, refused] = await details();
    expect(accepted).toMatchObject({ endpoint: 'ingest', outcome: 'accepted', scope: 'ingest', count: 1, keyFingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) as string });
    expect(accepted?.actor).toBe(`api-key:${accepted?.keyFingerprint as string}`);
    expect(refused).toMatchObject({ actor: 'api-key:none', outcome: 'refused', reason: 'missing' });
    expect(JSON.stringify(await state.audit.entries())).not.toContain(WRITE_KEY);
  });

  it("records a key's first acceptance at once and folds the rest and the refusals into one entry per group at each flush", async () => {
    state = openEphemeralStateStore();
    const audit = loginAudit({ state, env: {} }, { now: () => clock, windowMs: 60_000 });
    const accepted = { credential: WRITE_KEY, endpoint: 'ingest', outcome: 'accepted', scope: 'ingest' } as const;
    await audit.note(accepted);
    await audit.note(accepted);
    await audit.note(accepted);
    for (const guess of ['a', 'b', 'c', 'c']) await audit.note({ credential: `${WRITE_KEY}${guess}`, endpoint: 'ingest', outcome: 'refused', reason: 'unknown key' });
    await audit.note({ credential: WRITE_KEY, knownKey: true, endpoint: 'profile', outcome: 'refused', reason: 'wrong scope' });
    expect(await details()).toHaveLength(1);
    await audit.flush();
    const [first, ...folded] = await details();
    expect(first).toMatchObject({ outcome: 'accepted', count: 1 });
    expect(folded).toEqual([
      { actor: first?.actor, endpoint: 'ingest', outcome: 'accepted', keyFingerprint: first?.keyFingerprint, scope: 'ingest', count: 2 },
      { actor: 'api-key:unknown', endpoint: 'ingest', outcome: 'refused', reason: 'unknown key', count: 4, distinctCredentials: 3 },
      { actor: first?.actor, endpoint: 'profile', outcome: 'refused', keyFingerprint: first?.keyFingerprint, reason: 'wrong scope', count: 1 },
    ]);
    await audit.flush();
    expect(await details()).toHaveLength(4);
    // A new window: the key's next acceptance is written at once again.
    clock += 60_000;
    await audit.flush();
    await audit.note(accepted);
    expect(await details()).toHaveLength(5);
    expect(await verifyTrail(state, {})).toMatchObject({ intact: true, entries: 5 });
  });
});
