import { afterEach, describe, expect, it } from 'vitest';
import { secretFingerprint } from '../core/audit/index.js';
import { basicAuth, SECOND_WRITE_KEY, startIngestServer, WRITE_KEY, type IngestServer } from './support/ingest-server.js';
import { temporaryDirectory } from './support/run-mapping.js';

/**
 * Ingest logins in the audit trail (issue 11, "API logins"): the Tracking
 * API's write keys are named by fingerprint, the same name a key gets
 * everywhere else in the trail; refused credentials are counted, never
 * named; no key appears in the trail.
 */
let server: IngestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const event = (index: number) => ({ type: 'track', event: 'Product Viewed', userId: 'user-1', messageId: `m-${index}`, timestamp: '2026-11-20T10:00:00Z' });

async function post(key: string, index: number): Promise<number> {
  const response = await fetch(`${server!.server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(key) }, body: JSON.stringify({ batch: [event(index)] }) });
  await response.body?.cancel();
  return response.status;
}

describe('ingest logins in the audit trail', () => {
  it('records each write key\'s first acceptance by fingerprint, folds the rest, and counts refusals without naming them', async () => {
    server = await startIngestServer(temporaryDirectory('ingest-logins'));
    expect(await post(WRITE_KEY, 1)).toBe(200);
    expect(await post(WRITE_KEY, 2)).toBe(200);
    expect(await post(SECOND_WRITE_KEY, 3)).toBe(200);
    expect(await post('wk_guess_000000000', 4)).toBe(401);
    expect(await post('wk_guess_111111111', 5)).toBe(401);
    // Stopping writes what was folded.
    await server.server.close();
    const logins = (await server.workspace.state.audit.entries()).filter((entry) => entry.kind === 'api_login').map((entry) => JSON.parse(entry.detail) as Record<string, unknown>);
    const ingest = logins.filter((login) => login.endpoint === 'ingest');
    const accepted = (key: string) => ingest.filter((login) => login.outcome === 'accepted' && login.keyFingerprint === secretFingerprint(key));
    expect(accepted(WRITE_KEY).reduce((sum, login) => sum + Number(login.count), 0)).toBe(2);
    expect(accepted(WRITE_KEY)[0]?.count).toBe(1);
    expect(accepted(SECOND_WRITE_KEY).map((login) => login.count)).toEqual([1]);
    const refused = ingest.filter((login) => login.outcome === 'refused');
    expect(refused.reduce((sum, login) => sum + Number(login.count), 0)).toBe(2);
    for (const login of refused) expect(login.keyFingerprint).toBeUndefined();
    const trail = JSON.stringify(await server.workspace.state.audit.entries());
    for (const key of [WRITE_KEY, SECOND_WRITE_KEY, 'wk_guess_000000000']) expect(trail).not.toContain(key);
  });
});
