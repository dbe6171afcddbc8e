import { pino } from 'pino';
import { Writable } from 'node:stream';
import { formatIssue } from '../../core/config/config-issue.js';
import { openWorkspace, type Workspace } from '../../core/runtime/index.js';
import { createConnectors } from '../../connectors/wiring.js';
import { loadMapping } from '../../cli/commands/validate.js';
import { startServer, type RunningServer, type ServeOptions } from '../../cli/serve/serve-app.js';
import { EVERYONE_SECTIONS, writeMapping } from './run-mapping.js';

export const WRITE_KEY = 'wk_test_0123456789';
export const SECOND_WRITE_KEY = 'wk_test_ios_98765';
export const WEBHOOK_SECRET = 'whsec_test_abcdef';
export const INGEST_ENV = { ...process.env, SEGFLOW_STATE: '', TEST_WRITE_KEY: WRITE_KEY, TEST_WRITE_KEY_IOS: SECOND_WRITE_KEY, TEST_WEBHOOK_SECRET: WEBHOOK_SECRET };

/** A mapping whose only source is the ingest API (two write keys, a webhook secret). */
export const INGEST_MAPPING = `version: 1
name: live
sources:
  - id: web
    type: segment-api
    write_keys: ['\${env:TEST_WRITE_KEY}', '\${env:TEST_WRITE_KEY_IOS}']
    webhook_secret: '\${env:TEST_WEBHOOK_SECRET}'
${EVERYONE_SECTIONS}`;

export interface IngestServer {
  server: RunningServer;
  workspace: Workspace;
  /** Every log line the server wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  /** Loads the journal, then counts rows in the event store. */
  count(sql?: string): Promise<number>;
  close(): Promise<void>;
}

/** `segflow serve` in-process on a free loopback port, logs captured. */
export async function startIngestServer(directory: string, options: Partial<ServeOptions> = {}, mappingText = INGEST_MAPPING, env: NodeJS.ProcessEnv = INGEST_ENV, now?: () => number): Promise<IngestServer> {
  const file = writeMapping(directory, mappingText);
  const loaded = loadMapping(file);
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  const workspace = await openWorkspace({ mapping: loaded.mapping, mappingFile: file, connectors: createConnectors(), env, stateDir: `${directory}/state`, ...(now ? { now } : {}) });
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const server = await startServer(workspace, { host: '127.0.0.1', port: 0, loadIntervalMs: 50, logger: pino(sink), ...options });
  let closed = false;
  return {
    server, workspace, logs,
    async count(sql = 'SELECT count(*) FROM events') {
      await server.loader.loadNow();
      const reader = await (await workspace.events()).connection.runAndReadAll(sql);
      return Number(reader.getRows()[0]?.[0] ?? 0);
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await server.close();
      } finally {
        await workspace.close();
      }
    },
  };
}

export function basicAuth(key: string): string {
  return `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
}
