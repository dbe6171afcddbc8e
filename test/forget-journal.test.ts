import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { basicAuth, INGEST_ENV, startIngestServer, WRITE_KEY } from './support/ingest-server.js';
import { temporaryDirectory } from './support/run-mapping.js';
import { CANARY, occurrences } from './forget-fixture.test-support.js';
import { segflowInProcess as segflow } from './support/in-process-cli.js';

/**
 * The ingest API's journal keeps the raw messages of the file it is
 * writing, after they are loaded. `segflow forget` blanks the person's lines
 * there in place, so the bytes are gone and the journal's cursors stay
 * valid: the next server loads what arrives after as before.
 */
describe('segflow forget and the ingest journal', () => {
  it('leaves no byte of the person in the journal, and the journal keeps loading', async () => {
    const directory = temporaryDirectory('forget-journal');
    const message = (index: number, person: { userId: string; email: string; anonymousId: string }) => ({
      type: 'identify', messageId: `m-${person.userId}-${index}`, userId: person.userId, anonymousId: person.anonymousId,
      timestamp: '2026-05-20T10:00:00Z', traits: { email: person.email },
    });
    const others = Array.from({ length: 5 }, (_, index) => ({ userId: `user-${index}`, email: `user-${index}@shop.test`, anonymousId: `anon-${index}` }));
    const post = async (url: string, batch: unknown[]) => {
      const response = await fetch(`${url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(WRITE_KEY) }, body: JSON.stringify({ batch }) });
      expect(response.status).toBe(200);
    };
    let server = await startIngestServer(directory);
    await post(server.server.url, [message(1, CANARY), ...others.map((person) => message(1, person)), message(2, CANARY)]);
    expect(await server.count()).toBe(7);
    await server.close();

    const state = join(directory, 'state');
    const identifiers = [CANARY.email, CANARY.userId, CANARY.anonymousId];
    expect(occurrences(join(state, 'spool'), identifiers)).not.toEqual({});
    const forget = await segflow(['forget', join(directory, 'mapping.yaml'), '--state', state, '--email', CANARY.email], INGEST_ENV as Record<string, string>);
    expect(forget.code, forget.stderr).toBe(0);
    expect(occurrences(state, identifiers)).toEqual({});

    server = await startIngestServer(directory);
    await post(server.server.url, others.map((person) => message(2, person)));
    expect(await server.count()).toBe(10);
    expect(await server.count("SELECT count(*) FROM quarantine")).toBe(0);
    await server.close();
  });
});
