import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVERYONE_MAPPING, runMapping, temporaryDirectory, writeMapping } from './support/run-mapping.js';
import { basicAuth, startIngestServer, WRITE_KEY } from './support/ingest-server.js';

/** The state directory holds data about people: owner-only, whatever the umask. */
const mode = (path: string) => statSync(path).mode & 0o777;

describe('state files are owner-only', () => {
  it('creates the state directory 0700 and its stores and quarantine files 0600', async () => {
    const previous = process.umask(0o022);
    try {
      const directory = temporaryDirectory('state-permissions');
      writeFileSync(join(directory, 'events.jsonl'), `${JSON.stringify({ type: 'track', event: 'Viewed', userId: 'u1', messageId: 'm1', timestamp: '2026-05-01T00:00:00Z' })}\nnot json\n`);
      const state = join(directory, 'state');
      await runMapping(writeMapping(directory, EVERYONE_MAPPING), state);
      expect(mode(state)).toBe(0o700);
      expect(mode(join(state, 'state.sqlite'))).toBe(0o600);
      expect(mode(join(state, 'events.duckdb'))).toBe(0o600);
      const quarantine = readdirSync(join(state, 'quarantine'));
      expect(quarantine).toHaveLength(1);
      expect(mode(join(state, 'quarantine', quarantine[0] as string))).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it('writes the ingest API journal 0600', async () => {
    const directory = temporaryDirectory('journal-permissions');
    const server = await startIngestServer(directory);
    try {
      const response = await fetch(`${server.server.url}/v1/track`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(WRITE_KEY) },
        body: JSON.stringify({ event: 'Viewed', userId: 'u1', messageId: 'm1' }),
      });
      expect(response.status).toBe(200);
      const journal = join(directory, 'state', 'spool', 'web');
      const files = readdirSync(journal).filter((name) => name.endsWith('.jsonl'));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) expect(mode(join(journal, file))).toBe(0o600);
    } finally {
      await server.close();
    }
  });
});
