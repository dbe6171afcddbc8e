import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requestedErasures } from '../core/privacy/requested-erasures.js';
import { basicAuth, INGEST_ENV, startIngestServer, WEBHOOK_SECRET, WRITE_KEY, type IngestServer } from './support/ingest-server.js';
import { temporaryDirectory } from './support/run-mapping.js';
import { segflowInProcess } from './support/in-process-cli.js';
import { occurrences } from './forget-fixture.test-support.js';

/**
 * Segment forwards a user deletion to destinations as a `type: "delete"`
 * message with the userId. `segflow serve` takes it on the Tracking API and
 * the webhook receiver as an erasure request: answered 200 only once the
 * person is suppressed (their later events are dropped) and the request is
 * recorded, never stored as an event, audited; the next `segflow run`
 * erases them, and `segflow forget --resume` too, bytes included.
 */
const ada = { userId: 'ada-user-5521', anonymousId: 'ada-anon-5521', email: 'ada.5521@shop.test' };
const bob = { userId: 'bob-user-6632', anonymousId: 'bob-anon-6632', email: 'bob.6632@shop.test' };
const others = Array.from({ length: 4 }, (_, index) => ({ userId: `user-${index}`, anonymousId: `anon-${index}`, email: `user-${index}@shop.test` }));

function messages(person: typeof ada, tag: string): Record<string, unknown>[] {
  return [
    { type: 'identify', messageId: `${tag}-i`, userId: person.userId, anonymousId: person.anonymousId, traits: { email: person.email }, timestamp: '2026-11-20T10:00:00Z' },
    { type: 'page', messageId: `${tag}-p`, anonymousId: person.anonymousId, name: 'Home', timestamp: '2026-11-20T09:00:00Z' },
    { type: 'track', messageId: `${tag}-t`, userId: person.userId, event: 'Order Completed', properties: { revenue: 12 }, timestamp: '2026-11-20T11:00:00Z' },
  ];
}

async function post(live: IngestServer, path: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${live.server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const batch = (live: IngestServer, items: unknown[]) => post(live, '/v1/batch', Buffer.from(JSON.stringify({ batch: items })), { authorization: basicAuth(WRITE_KEY) });

async function auditKinds(live: IngestServer): Promise<string[]> {
  return (await live.workspace.state.audit.entries()).map((entry) => entry.kind);
}

describe("Segment's delete messages through segflow serve", { timeout: 60_000 }, () => {
  it('suppress at once, are kept as hashed requests, and are executed by the next run and by forget --resume', async () => {
    const directory = temporaryDirectory('ingest-delete');
    let live = await startIngestServer(directory);
    expect((await batch(live, [...messages(ada, 'ada'), ...messages(bob, 'bob'), ...others.flatMap((person, index) => messages(person, `o${index}`))])).status).toBe(200);
    expect(await live.count()).toBe(18);
    // They really are there before (else the end proves nothing).
    expect(Object.keys(occurrences(join(directory, 'state'), [ada.userId, bob.userId]))).toEqual(expect.arrayContaining([expect.stringMatching(/^spool\//)]));

    const deletion = { type: 'delete', userId: ada.userId, messageId: 'segment-delete-1', context: { library: { name: 'segment' } } };
    const accepted = await batch(live, [deletion]);
    expect(accepted).toEqual({ status: 200, body: { success: true } });
    // Durable when answered: the shared file holds a hash of the id, the state the request (hashes only), the trail the entry.
    const shared = readFileSync(join(directory, 'segflow-suppressions.jsonl'), 'utf8');
    expect(shared.trim().split('\n')).toHaveLength(2);
    expect(shared).not.toContain(ada.userId);
    const requests = await requestedErasures(live.workspace.state.meta);
    expect(requests).toEqual([{ requestId: expect.stringMatching(/^delete-[0-9a-f]{16}$/) as string, requestedAt: expect.any(String) as string, via: 'segment-delete:web', identifierHashes: [expect.stringMatching(/^[0-9a-f]{64}$/) as string] }]);
    expect(JSON.stringify(requests)).not.toContain(ada.userId);
    expect(await auditKinds(live)).toContain('erasure_requested');
    // Segment retries with the same messageId: still one request.
    expect((await batch(live, [deletion])).status).toBe(200);
    expect(await requestedErasures(live.workspace.state.meta)).toHaveLength(1);
    // Never an event, never a journal line; a delete naming nobody is refused.
    expect(await live.count("SELECT count(*) FROM events WHERE type = 'delete' OR message_id = 'segment-delete-1'")).toBe(0);
    expect(occurrences(join(directory, 'state', 'spool'), ['segment-delete-1'])).toEqual({});
    expect((await batch(live, [{ type: 'delete', messageId: 'nobody' }])).status).toBe(400);
    // From now on, what arrives for them is dropped at load.
    expect((await batch(live, [{ type: 'track', messageId: 'ada-late', userId: ada.userId, event: 'Product Viewed', timestamp: '2026-11-21T10:00:00Z' }])).status).toBe(200);
    expect(await live.count("SELECT count(*) FROM events WHERE message_id = 'ada-late'")).toBe(0);
    await live.close();

    // The next run executes the request: every identifier of the person (the anonymous page too) leaves the stores.
    const mapping = join(directory, 'mapping.yaml');
    const run = await segflowInProcess(['run', mapping, '--state', join(directory, 'state')], INGEST_ENV as Record<string, string>);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/executed 1 erasure request\(s\) received through the ingest API \(Segment delete messages\): erased 1 profile\(s\) and 3 event\(s\)/);
    live = await startIngestServer(directory);
    expect(await live.count(`SELECT count(*) FROM events WHERE user_id = '${ada.userId}' OR anonymous_id = '${ada.anonymousId}'`)).toBe(0);
    expect(await live.count()).toBe(15);
    expect(await requestedErasures(live.workspace.state.meta)).toEqual([]);

    // Through the webhook receiver (Segment's Webhooks destination), signed like any event.
    const text = JSON.stringify({ type: 'delete', userId: bob.userId, messageId: 'segment-delete-2' });
    const hooked = await post(live, '/webhooks/segment/web', Buffer.from(text), { 'x-signature': createHmac('sha1', WEBHOOK_SECRET).update(text).digest('hex') });
    expect(hooked.status).toBe(200);
    expect(await requestedErasures(live.workspace.state.meta)).toHaveLength(1);
    await live.close();

    const forget = await segflowInProcess(['forget', mapping, '--state', join(directory, 'state'), '--resume'], INGEST_ENV as Record<string, string>);
    expect(forget.code, forget.stderr).toBe(0);
    expect(forget.stderr).toMatch(/executed 1 erasure request\(s\) received through the ingest API \(Segment delete messages\): erased 1 profile\(s\) and 3 event\(s\)/);
    const raw = [ada.userId, ada.anonymousId, ada.email, bob.userId, bob.anonymousId, bob.email];
    expect(occurrences(join(directory, 'state'), raw)).toEqual({});
    for (const value of raw) expect(forget.stderr + run.stderr + run.stdout).not.toContain(value);
  });
});
