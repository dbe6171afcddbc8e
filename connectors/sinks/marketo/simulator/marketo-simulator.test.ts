import { afterEach, describe, expect, it } from 'vitest';
import { startMarketoSimulator, type MarketoSimulatorOptions, type RunningMarketoSimulator } from './marketo-simulator.js';

/** Raw HTTP against the simulator: what Marketo enforces, seen from the wire. */
const running: RunningMarketoSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((simulator) => simulator.stop()));
});

async function start(options: Partial<MarketoSimulatorOptions> = {}): Promise<RunningMarketoSimulator> {
  const simulator = await startMarketoSimulator({ seed: 7, ...options });
  running.push(simulator);
  return simulator;
}

interface Envelope {
  success: boolean;
  result?: Array<Record<string, unknown>>;
  errors?: Array<{ code: string; message: string }>;
}

async function tokenOf(simulator: RunningMarketoSimulator): Promise<{ access_token: string; expires_in: number }> {
  const response = await fetch(`${simulator.url}/identity/oauth/token?grant_type=client_credentials&client_id=segflow-sandbox-client&client_secret=segflow-sandbox-secret`);
  expect(response.status).toBe(200);
  return (await response.json()) as { access_token: string; expires_in: number };
}

async function call(simulator: RunningMarketoSimulator, token: string, method: string, path: string, json?: unknown): Promise<Envelope> {
  const response = await fetch(`${simulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Envelope;
}

const errorCode = (envelope: Envelope) => envelope.errors?.[0]?.code;
const upsert = (emails: string[], action = 'createOrUpdate') => ({ action, lookupField: 'email', input: emails.map((email) => ({ email })) });

describe('Marketo simulator: identity', () => {
  it('returns the same token with its remaining life until it expires, and 401 for bad credentials', async () => {
    let clock = Date.parse('2026-11-25T12:00:00Z');
    const simulator = await start({ now: () => clock });
    const first = await tokenOf(simulator);
    expect(first).toMatchObject({ token_type: 'bearer', expires_in: 3599 });
    expect(first.access_token).toMatch(/^[0-9a-f-]{36}:ab$/);
    clock += 600_000;
    const again = await tokenOf(simulator);
    expect(again.access_token).toBe(first.access_token);
    expect(again.expires_in).toBe(2999);
    clock += 3_000_000;
    expect((await tokenOf(simulator)).access_token).not.toBe(first.access_token);
    const bad = await fetch(`${simulator.url}/identity/oauth/token?grant_type=client_credentials&client_id=x&client_secret=y`);
    expect(bad.status).toBe(401);
  });

  it('accepts the token only in the Authorization header: a query-param token answers 601', async () => {
    const simulator = await start();
    const { access_token: token } = await tokenOf(simulator);
    const viaQuery = (await (await fetch(`${simulator.url}/rest/v1/leads/describe.json?access_token=${token}`)).json()) as Envelope;
    expect(viaQuery.success).toBe(false);
    expect(errorCode(viaQuery)).toBe('601');
    expect((await call(simulator, token, 'GET', '/rest/v1/leads/describe.json')).success).toBe(true);
  });

  it('answers 602 after expireTokens(), and Identity then issues a new token', async () => {
    const simulator = await start();
    const { access_token: token } = await tokenOf(simulator);
    simulator.view.expireTokens();
    const expired = await call(simulator, token, 'GET', '/rest/v1/leads/describe.json');
    expect(expired).toMatchObject({ success: false, errors: [{ code: '602', message: 'Access token expired' }] });
    const fresh = await tokenOf(simulator);
    expect(fresh.access_token).not.toBe(token);
    expect((await call(simulator, fresh.access_token, 'GET', '/rest/v1/leads/describe.json')).success).toBe(true);
  });
});

describe('Marketo simulator: limits', () => {
  it('throttles the 101st call in 20 s with 606 (HTTP 200), not counting 601/602, and recovers when the window rolls', async () => {
    let clock = Date.parse('2026-11-25T12:00:00Z');
    const simulator = await start({ now: () => clock });
    const { access_token: token } = await tokenOf(simulator);
    await call(simulator, 'not-a-token', 'GET', '/rest/v1/leads/describe.json');
    for (let index = 0; index < 100; index += 1) {
      expect((await call(simulator, token, 'GET', '/rest/v1/leads/describe.json')).success).toBe(true);
    }
    const throttled = await call(simulator, token, 'GET', '/rest/v1/leads/describe.json');
    expect(errorCode(throttled)).toBe('606');
    expect(simulator.view.stats().rateLimited).toBe(1);
    clock += 20_000;
    expect((await call(simulator, token, 'GET', '/rest/v1/leads/describe.json')).success).toBe(true);
  });

  it('answers the 11th concurrent call with 615', async () => {
    const simulator = await start({ limits: { latencyMs: 1_000 } });
    const { access_token: token } = await tokenOf(simulator);
    const answers = await Promise.all(Array.from({ length: 11 }, () => call(simulator, token, 'GET', '/rest/v1/leads/describe.json')));
    expect(answers.filter((answer) => answer.success)).toHaveLength(10);
    expect(answers.filter((answer) => errorCode(answer) === '615')).toHaveLength(1);
  });

  it('answers 607 once the daily quota is used up', async () => {
    const simulator = await start({ limits: { dailyQuota: 3 } });
    const { access_token: token } = await tokenOf(simulator);
    for (let index = 0; index < 3; index += 1) await call(simulator, token, 'GET', '/rest/v1/leads/describe.json');
    expect(errorCode(await call(simulator, token, 'GET', '/rest/v1/leads/describe.json'))).toBe('607');
  });

  it('rejects a batch over 300 records as a whole, with a request-level 1003', async () => {
    const simulator = await start();
    const { access_token: token } = await tokenOf(simulator);
    const emails = Array.from({ length: 301 }, (_, index) => `u${index}@example.com`);
    const answer = await call(simulator, token, 'POST', '/rest/v1/leads.json', upsert(emails));
    expect(answer).toMatchObject({ success: false, errors: [{ code: '1003' }] });
    expect(simulator.view.records().size).toBe(0);
  });

  it('injects a throttle storm (606) and server faults (HTTP 503 or 611/608/713), counted apart', async () => {
    const simulator = await start();
    const { access_token: token } = await tokenOf(simulator);
    simulator.view.setFaults({ throttleUntil: Date.now() + 60_000 });
    expect(errorCode(await call(simulator, token, 'GET', '/rest/v1/leads/describe.json'))).toBe('606');
    simulator.view.setFaults({ serverErrorRate: 1 });
    const seen = new Set<string>();
    for (let index = 0; index < 20; index += 1) {
      const response = await fetch(`${simulator.url}/rest/v1/leads/describe.json`, { headers: { authorization: `Bearer ${token}` } });
      seen.add(response.status === 503 ? '503' : (errorCode((await response.json()) as Envelope) ?? 'none'));
    }
    expect([...seen].every((code) => ['503', '611', '608', '713'].includes(code))).toBe(true);
    expect(seen.size).toBeGreaterThan(1);
    expect(simulator.view.stats()).toMatchObject({ injectedThrottles: 1, serverErrors: 20, rateLimited: 0 });
  });
});

describe('Marketo simulator: leads and lists', () => {
  it('reports per-record status in input order: created, updated, 1004 on updateOnly, 1003 for a rejected key', async () => {
    const simulator = await start();
    const { access_token: token } = await tokenOf(simulator);
    simulator.view.setFaults({ rejectKeys: new Set(['bad@example.com']) });
    await call(simulator, token, 'POST', '/rest/v1/leads.json', upsert(['a@example.com']));
    const answer = await call(simulator, token, 'POST', '/rest/v1/leads.json', upsert(['A@example.com', 'b@example.com', 'bad@example.com']));
    expect(answer.result?.map((record) => record.status)).toEqual(['updated', 'created', 'skipped']);
    expect(answer.result?.[2]).toMatchObject({ reasons: [{ code: '1003', message: "Value for field 'email' failed validation" }] });
    const update = await call(simulator, token, 'POST', '/rest/v1/leads.json', upsert(['missing@example.com'], 'updateOnly'));
    expect(update.result?.[0]).toMatchObject({ status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] });
    expect(simulator.view.stats().rejectedRecords).toBe(1);
    // Email lookup is case-insensitive; the update wrote the new spelling.
    expect([...simulator.view.records().keys()].sort()).toEqual(['A@example.com', 'b@example.com']);
  });

  it('creates a duplicate when two upserts with the same new email are in flight at once', async () => {
    const simulator = await start({ limits: { latencyMs: 200 } });
    const { access_token: token } = await tokenOf(simulator);
    await Promise.all([call(simulator, token, 'POST', '/rest/v1/leads.json', upsert(['race@example.com'])), call(simulator, token, 'POST', '/rest/v1/leads.json', upsert(['race@example.com']))]);
    expect(simulator.view.duplicateKeys()).toEqual(['race@example.com']);
    const third = await call(simulator, token, 'POST', '/rest/v1/leads.json', upsert(['race@example.com']));
    expect(third.result?.[0]).toMatchObject({ status: 'skipped', reasons: [{ code: '1007' }] });
  });

  it('keeps static lists unique by name (709) and reports added / 1015 / 1004 per lead', async () => {
    const simulator = await start();
    const { access_token: token } = await tokenOf(simulator);
    const create = async () => {
      const response = await fetch(`${simulator.url}/rest/asset/v1/staticLists.json`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ name: 'segflow: VIP', folder: JSON.stringify({ id: simulator.folderId, type: 'Folder' }) }).toString(),
      });
      return (await response.json()) as Envelope;
    };
    const created = await create();
    expect(created.success).toBe(true);
    expect(errorCode(await create())).toBe('709');
    const listId = created.result?.[0]?.id as number;
    const lead = (await call(simulator, token, 'POST', '/rest/v1/leads.json', upsert(['m@example.com']))).result?.[0]?.id as number;
    const added = await call(simulator, token, 'POST', `/rest/v1/lists/${listId}/leads.json`, { input: [{ id: lead }, { id: 999_999 }] });
    expect(added.result).toEqual([
      { id: lead, status: 'added' },
      { id: 999_999, status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
    ]);
    expect(simulator.view.listMembers('segflow: VIP')).toEqual(new Set(['m@example.com']));
    await call(simulator, token, 'DELETE', `/rest/v1/lists/${listId}/leads.json`, { input: [{ id: lead }] });
    const again = await call(simulator, token, 'DELETE', `/rest/v1/lists/${listId}/leads.json`, { input: [{ id: lead }] });
    expect(again.result?.[0]).toMatchObject({ status: 'skipped', reasons: [{ code: '1015', message: 'Lead not in list' }] });
    const byName = await call(simulator, token, 'GET', `/rest/v1/lists.json?name=${encodeURIComponent('segflow: VIP')}`);
    expect(byName.result?.map((list) => list.id)).toEqual([listId]);
  });

  it('answers 612 for a non-JSON body and 609 for broken JSON', async () => {
    const simulator = await start();
    const { access_token: token } = await tokenOf(simulator);
    const send = async (contentType: string, body: string) =>
      (await (await fetch(`${simulator.url}/rest/v1/leads.json`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body })).json()) as Envelope;
    expect(errorCode(await send('text/plain', 'hello'))).toBe('612');
    expect(errorCode(await send('application/json', '{"input": ['))).toBe('609');
  });
});

describe('Marketo simulator: lead field schema', () => {
  const createFields = (simulator: RunningMarketoSimulator, token: string, input: unknown[]) => call(simulator, token, 'POST', '/rest/v1/leads/schema/fields.json', { input });
  const describedField = async (simulator: RunningMarketoSimulator, token: string, name: string) =>
    (await call(simulator, token, 'GET', '/rest/v1/leads/describe.json')).result?.find((field) => (field.rest as { name: string }).name === name);

  it('refuses a dataType outside the Create Lead Fields enum (text) for the whole request, with 1003 and HTTP 200, creating nothing', async () => {
    const simulator = await start();
    const { access_token: token } = await tokenOf(simulator);
    const answer = await createFields(simulator, token, [
      { name: 'segflowTier', displayName: 'segflow tier', dataType: 'string' },
      { name: 'segflowSegments', displayName: 'segflow segments', dataType: 'text' },
    ]);
    expect(answer.success).toBe(false);
    expect(answer.result).toBeUndefined();
    expect(answer.errors).toEqual([{ code: '1003', message: expect.stringMatching(/^Invalid data: .*dataType 'text'/) as string }]);
    expect(await describedField(simulator, token, 'segflowSegments')).toBeUndefined();
    expect(await describedField(simulator, token, 'segflowTier')).toBeUndefined();
  });

  it('creates every documented type, a string field with length 255', async () => {
    const simulator = await start();
    const { access_token: token } = await tokenOf(simulator);
    const types = ['boolean', 'currency', 'date', 'datetime', 'email', 'float', 'integer', 'percent', 'phone', 'score', 'string', 'url'];
    const answer = await createFields(simulator, token, types.map((dataType) => ({ name: `f_${dataType}`, displayName: `F ${dataType}`, dataType })));
    expect(answer.result?.map((field) => field.status)).toEqual(types.map(() => 'created'));
    expect(await describedField(simulator, token, 'f_string')).toMatchObject({ dataType: 'string', length: 255 });
    expect(await describedField(simulator, token, 'f_currency')).toMatchObject({ dataType: 'currency' });
  });

  it('skips a lead whose value is longer than a string field holds (1003), and keeps a Text Area field (admin-made) open to long values', async () => {
    const simulator = await start({ customFields: [{ name: 'notes', dataType: 'text' }] });
    const { access_token: token } = await tokenOf(simulator);
    await createFields(simulator, token, [{ name: 'segflowSegments', displayName: 'segflow segments', dataType: 'string' }]);
    const answer = await call(simulator, token, 'POST', '/rest/v1/leads.json', {
      input: [
        { email: 'fits@example.com', segflowSegments: 'é'.repeat(255) },
        { email: 'long@example.com', segflowSegments: 'x'.repeat(256) },
        { email: 'notes@example.com', notes: 'x'.repeat(1_000) },
      ],
    });
    expect(answer.result?.map((record) => record.status)).toEqual(['created', 'skipped', 'created']);
    expect(answer.result?.[1]).toMatchObject({ reasons: [{ code: '1003', message: "Invalid value for field 'segflowSegments'" }] });
    expect([...simulator.view.records().keys()].sort()).toEqual(['fits@example.com', 'notes@example.com']);
  });
});
