import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpotSimulator } from '../connectors/sinks/hubspot/index.js';
import { serveLogRedaction } from '../cli/serve/log-redaction.js';
import { basicAuth, INGEST_ENV, INGEST_MAPPING, startIngestServer } from './support/ingest-server.js';
import { EVERYONE_MAPPING, EVERYONE_SECTIONS, queryState, runMapping, temporaryDirectory, writeMapping } from './support/run-mapping.js';
import { segflow } from './support/segflow-cli.js';

/**
 * The canary test (issue 11): canary e-mails, phones, card numbers, a HubSpot
 * token and a Segment write key go into every input of end-to-end runs —
 * identify traits, event properties, broken source lines that end in
 * quarantine, vendor rejections that echo the address, ingest requests that
 * are refused — and then everything segflow produced is searched for them:
 * stdout and stderr of every command (with and without --json), the server's
 * log lines, the HTML report, the DLQ rows, the quarantine samples, every
 * file under the state directory and the message columns of the state
 * store. The event store's own data (events.duckdb: it holds the events,
 * legitimately), the ingest journals (the accepted events, before loading)
 * and the state store's sink bookkeeping (record keys and the parked change,
 * which a retry must resend) are the only places allowed to hold them.
 */
type Simulator = Awaited<ReturnType<typeof startHubSpotSimulator>>;

const EMAILS = {
  identified: 'canary-ident-7f3a@example.test',
  rejected: 'Canary-Rejected-91c2@Example.test',
  quarantined: 'canary-badline-5d10@example.test',
  ingest: 'canary-ingest-c0ff@example.test',
};
const PHONES = { mobile: '+49 151 2345 6789', landline: '(030) 1234-5678' };
const CARDS = { visa: '4111 1111 1111 1111', master: '5500-0000-0000-0004' };
const SEGMENT_WRITE_KEY = 'Sg7kQ2canaryWriteKey9xW3mN5pR8tV';

/** Every form a canary can take in output: as written, JSON-escaped, digits only, the local part of an address (a cut can keep just that). */
function forms(canary: string): string[] {
  const all = new Set([canary, JSON.stringify(canary).slice(1, -1)]);
  if (/^[\d\s()+-]+$/.test(canary)) all.add(canary.replace(/\D/g, ''));
  if (canary.includes('@')) all.add(canary.split('@')[0] as string);
  return [...all].map((form) => form.toLowerCase());
}

function canaries(hubspotToken: string): Map<string, string[]> {
  const planted = [...Object.values(EMAILS), ...Object.values(PHONES), ...Object.values(CARDS), hubspotToken, SEGMENT_WRITE_KEY];
  const found = new Map(planted.map((canary) => [canary, forms(canary)]));
  found.get(SEGMENT_WRITE_KEY)?.push(Buffer.from(`${SEGMENT_WRITE_KEY}:`).toString('base64').toLowerCase());
  return found;
}

/** `where: canary` for every canary form found in `text`. */
function hitsIn(where: string, text: string, planted: Map<string, string[]>): string[] {
  const lower = text.toLowerCase();
  const hits: string[] = [];
  for (const [canary, variants] of planted) {
    const variant = variants.find((form) => lower.includes(form));
    if (variant !== undefined) {
      const at = lower.indexOf(variant);
      hits.push(`${where}: ${canary} in …${text.slice(Math.max(0, at - 60), at + variant.length + 20).replace(/\s+/g, ' ')}…`);
    }
  }
  return hits;
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Identify traits and event properties full of canaries, and broken lines that must be quarantined. */
function eventLines(): string {
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 10, minute)).toISOString();
  const identify = (userId: string, email: string, minute: number) => ({
    type: 'identify', userId, messageId: `id-${userId}`, timestamp: at(minute),
    traits: { email, phone: PHONES.mobile, telephone: PHONES.landline, card_number: CARDS.visa, first_name: 'Canary', note: `call ${PHONES.landline} or mail ${email}` },
  });
  const viewed = (userId: string, email: string, minute: number) => ({
    type: 'track', event: 'Product Viewed', userId, messageId: `pv-${userId}-${minute}`, timestamp: at(minute),
    properties: { contact: email, callback: PHONES.mobile, paid_with: CARDS.master, note: `reach ${email} on ${PHONES.mobile}` },
  });
  const good = [
    identify('u-canary-1', EMAILS.identified, 0), identify('u-canary-2', EMAILS.rejected, 1),
    viewed('u-canary-1', EMAILS.identified, 2), viewed('u-canary-1', EMAILS.identified, 3), viewed('u-canary-2', EMAILS.rejected, 4), viewed('u-canary-2', EMAILS.rejected, 5),
  ].map((event) => JSON.stringify(event));
  const bad = [
    // Cut mid-record: not JSON.
    `{"type":"identify","userId":"u-bad-1","traits":{"email":"${EMAILS.quarantined}","mobile":"${PHONES.mobile}"`,
    // A userId that is an object holding PII, and a card under a key no list names.
    JSON.stringify({ type: 'track', event: 'Order Completed', userId: { email: EMAILS.quarantined, phone: PHONES.landline }, properties: { instrument: CARDS.visa } }),
    // The address after 190 characters: a sample cut before masking would keep half of it.
    JSON.stringify({ type: 'track', event: 'x'.repeat(170), userId: 42, properties: { contact: EMAILS.quarantined, free_text: `ring ${PHONES.landline}, card ${CARDS.master}` } }),
    JSON.stringify({ type: 'alias', userId: 'u-bad-4', note: `token=${SEGMENT_WRITE_KEY}` }),
  ];
  return `${[...good, ...bad].join('\n')}\n`;
}

function canaryMapping(simulator: Simulator): string {
  return `version: 1
name: canary
sources:
  - id: web
    type: segment-files
    path: events.jsonl
${EVERYONE_SECTIONS}sinks:
  - id: crm
    type: hubspot
    base_url: ${simulator.url}
    access_token: \${env:CANARY_HUBSPOT_TOKEN}
    properties:
      segflow_phone: { trait: phone }
      segflow_note: { trait: note }
    lists:
      - segment: all
triggers:
  rules:
    - id: keeps_looking
      kind: repetition
      purpose: Marketing
      event: Product Viewed
      at_least: 2
      within: 1h
      actions:
        - sink: crm
          kind: hubspot:event
          target: canary_interest
          payload:
            contact: event.properties.contact
            callback: event.properties.callback
            note: event.properties.note
`;
}

describe('no canary in any output', () => {
  const directory = temporaryDirectory('privacy-canary');
  const state = join(directory, 'state');
  const report = join(directory, 'report.html');
  let simulator: Simulator;
  let planted: Map<string, string[]>;
  let env: Record<string, string>;
  let mapping: string;

  beforeAll(async () => {
    simulator = await startHubSpotSimulator({ seed: 11, limits: { requests: 1_000, intervalMs: 10_000 } });
    const token = simulator.control.credentials.privateAppToken;
    planted = canaries(token);
    env = { CANARY_HUBSPOT_TOKEN: token, SEGFLOW_STATE: '' };
    writeFileSync(join(directory, 'events.jsonl'), eventLines());
    mapping = writeMapping(directory, canaryMapping(simulator));
    // HubSpot refuses this contact with a validation message that quotes its address.
    simulator.view.setFaults({ rejectKeys: new Set([EMAILS.rejected.toLowerCase(), EMAILS.rejected]) });
  });
  afterAll(async () => {
    await simulator?.stop();
  });

  it('prints, stores and reports none through the CLI: run, sync, dlq list, report, triggers test', async () => {
    const hits: string[] = [];
    const outputs = new Map<string, { code: number | null; stdout: string; stderr: string }>();
    /** `segflow <verb…> MAPPING --state STATE <options…>`, its output searched. */
    const command = async (verb: string[], options: string[] = []) => {
      const result = await segflow([...verb, mapping, '--state', state, ...options], env);
      const label = [...verb, ...options.map((option) => (option === report ? 'report.html' : option))].join(' ');
      outputs.set(label, result);
      hits.push(...hitsIn(`${label} stdout`, result.stdout, planted), ...hitsIn(`${label} stderr`, result.stderr, planted));
      return result;
    };
    const transcript = () => [...outputs].map(([label, result]) => `$ segflow ${label} → exit ${result.code}\n${result.stdout}\n${result.stderr}`).join('\n');
    // Run (text) ingests, quarantines, syncs and dead-letters; sync --json retries nothing (parked) and prints the summary as JSON.
    await command(['run']);
    await command(['sync'], ['--json']);
    // Read-only commands, side by side to keep the test short.
    const [, listed] = await Promise.all([command(['dlq', 'list']), command(['dlq', 'list'], ['--json']), command(['report'], ['--out', report])]);
    await command(['triggers', 'test'], ['--json']);

    // The runs did what the test needs: the rejection is parked with its (masked) reason, lines were quarantined, the trigger fired.
    expect(outputs.get('run')?.code, transcript()).toBe(3);
    const dlq = JSON.parse(listed.stdout) as Array<{ errorCode: string; errorMessage: string }>;
    expect(dlq.map((letter) => letter.errorMessage).join(' '), transcript()).toMatch(/INVALID_EMAIL: Email address <email> is invalid/);
    expect(outputs.get('triggers test --json')?.stdout).toMatch(/"would_fire": 2/);
    const quarantine = await queryState(state, 'SELECT * FROM quarantine');
    expect(quarantine.length).toBeGreaterThanOrEqual(4);
    hits.push(...hitsIn('quarantine rows', JSON.stringify(quarantine, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value)), planted));

    hits.push(...hitsIn('report.html', readFileSync(report, 'utf8'), planted));
    for (const file of filesUnder(state).filter((path) => !/events\.duckdb|state\.sqlite/.test(path))) {
      hits.push(...hitsIn(`state file ${relative(state, file)}`, readFileSync(file).toString('latin1'), planted));
    }
    hits.push(...stateStoreMessageHits(join(state, 'state.sqlite'), planted));
    expect(hits, transcript()).toEqual([]);
  }, 120_000);

  it('logs none from segflow serve, whatever the ingest API is sent', async () => {
    const serveDirectory = temporaryDirectory('privacy-canary-serve');
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const live = await startIngestServer(serveDirectory, { logger: pino({ ...serveLogRedaction, base: { mapping: 'live' } }, sink) }, INGEST_MAPPING, { ...INGEST_ENV, TEST_WRITE_KEY: SEGMENT_WRITE_KEY });
    const answers: string[] = [];
    const post = async (path: string, body: string, headers: Record<string, string>) => {
      const response = await fetch(`${live.server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      answers.push(`${path} ${response.status} ${await response.text()}`);
    };
    try {
      const auth = { authorization: basicAuth(SEGMENT_WRITE_KEY) };
      await post('/v1/identify', JSON.stringify({ userId: 'u-live', messageId: 'live-1', timestamp: '2026-11-20T10:00:00Z', traits: { email: EMAILS.ingest, phone: PHONES.mobile, card: CARDS.visa } }), auth);
      await post('/v1/batch', `{"batch":[{"type":"track","userId":"u-live","properties":{"email":"${EMAILS.ingest}","phone":"${PHONES.mobile}"`, auth);
      await post('/v1/batch', JSON.stringify({ batch: [{ type: 'identify', userId: { email: EMAILS.ingest }, traits: { card: CARDS.master } }] }), auth);
      await post('/v1/track', JSON.stringify({ event: 'x', userId: 'u', writeKey: `${SEGMENT_WRITE_KEY}-rotated`, properties: { email: EMAILS.ingest } }), {});
      await post(`/v1/batch?email=${encodeURIComponent(EMAILS.ingest)}&phone=${encodeURIComponent(PHONES.mobile)}`, '{}', { authorization: basicAuth(`${SEGMENT_WRITE_KEY}x`) });
      await post('/v1/nowhere', JSON.stringify({ email: EMAILS.ingest }), { authorization: `Bearer ${simulator.control.credentials.privateAppToken}`, 'x-signature': CARDS.visa });
      expect(answers.filter((answer) => / [45]\d\d /.test(answer)).length, answers.join('\n')).toBeGreaterThanOrEqual(4);
      expect(await live.count()).toBeGreaterThanOrEqual(1);
    } finally {
      await live.close();
    }
    expect(lines.join('').split('\n').filter((line) => /request refused/.test(line)).length).toBeGreaterThanOrEqual(4);
    const hits = [...hitsIn('serve log', lines.join(''), planted)];
    for (const file of filesUnder(join(serveDirectory, 'state')).filter((path) => !/events\.duckdb|state\.sqlite|[\\/]spool[\\/]|\.journal$/.test(path))) {
      hits.push(...hitsIn(`serve state file ${relative(serveDirectory, file)}`, readFileSync(file).toString('latin1'), planted));
    }
    expect(hits, lines.join('')).toEqual([]);
  }, 60_000);
});

describe('quarantine reasons', () => {
  // A rejection reason quotes the value it refused (`"timestamp" "ann@x.com …" is not an ISO-8601 date`): masked before it is cut and stored.
  it('quote no canary from the value they refused', async () => {
    const directory = temporaryDirectory('privacy-canary-reasons');
    writeFileSync(join(directory, 'events.jsonl'), `${JSON.stringify({ type: 'track', event: 'E', userId: 'u-1', timestamp: `${EMAILS.quarantined} ${PHONES.mobile}` })}\n`);
    const summary = await runMapping(writeMapping(directory, EVERYONE_MAPPING), join(directory, 'state'));
    expect(summary.events.quarantined).toBe(1);
    const stored = readFileSync(summary.quarantineFile as string, 'utf8');
    expect(stored).toMatch(/is not an ISO-8601 date/);
    expect(hitsIn('quarantine file', stored, canaries('pat-na1-unused'))).toEqual([]);
  }, 30_000);
});

/** The state store's columns that hold messages and summaries (not the sink bookkeeping a retry needs). */
function stateStoreMessageHits(file: string, planted: Map<string, string[]>): string[] {
  const database = new Database(file, { readonly: true });
  try {
    const hits: string[] = [];
    const tables = database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    // What the sink last acknowledged (key and values, to diff the next sync against) and the parked change a retry resends: PII at rest, by design.
    const bookkeeping = ['sink_acks', 'sink_records'].flatMap((table) => ['record_key', 'properties', 'pending_properties'].map((column) => `${table}.${column}`));
    const allowed = new Set([...bookkeeping, 'sink_dlq.change', 'dead_letters.change', 'dead_letters.record_key']);
    for (const { name } of tables) {
      const columns = database.prepare(`SELECT name FROM pragma_table_info(?)`).all(name) as Array<{ name: string }>;
      for (const column of columns) {
        if (allowed.has(`${name}.${column.name}`)) continue;
        const values = database.prepare(`SELECT "${column.name}" AS value FROM "${name}"`).all() as Array<{ value: unknown }>;
        hits.push(...hitsIn(`state.sqlite ${name}.${column.name}`, values.map((row) => String(row.value)).join('\n'), planted));
      }
    }
    return hits;
  } finally {
    database.close();
  }
}
