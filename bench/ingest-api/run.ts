/**
 * The ingest API's throughput and latency on loopback, beside the file path
 * on the same events, same machine, same run:
 *   npx tsx bench/ingest-api/run.ts [--events 200000] [--clients 8] [--batch 100]
 * The server runs as `segflow serve` in its own process (durability on: each
 * 200 waits for an fsync); clients are plain keep-alive HTTP posting Segment
 * batches. Then the same events, written as one JSONL file, go through
 * `segflow run`'s file ingest. Targets (issue 9): ≥ 50k events/s, p99 ≤ 50 ms.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Agent, request } from 'node:http';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WRITE_KEY = 'bench-write-key';

const { values } = parseArgs({ options: { events: { type: 'string', default: '200000' }, clients: { type: 'string', default: '8' }, batch: { type: 'string', default: '100' } } });
const EVENTS = Number(values.events);
const CLIENTS = Number(values.clients);
const BATCH = Number(values.batch);

function event(index: number): Record<string, unknown> {
  const timestamp = new Date(Date.UTC(2026, 10, 1) + index * 100).toISOString();
  return index % 5 === 0
    ? { type: 'identify', userId: `user-${index % 20000}`, messageId: `b-${index}`, timestamp, traits: { plan: 'pro' } }
    : { type: 'track', event: index % 2 ? 'Product Viewed' : 'Product Added', userId: `user-${index % 20000}`, messageId: `b-${index}`, timestamp, properties: { sku: `S${index % 500}`, price: (index % 97) + 0.99 }, context: { library: { name: 'bench' } } };
}

function mapping(source: string): string {
  return `version: 1\nname: bench\nsources:\n${source}\nfeatures:\n  include: [frequency]\nsegments:\n  - id: all\n    model: rules\n    name: Everyone\n    rule: frequency >= 0\n`;
}

async function startServe(file: string, stateDir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []), '--import', 'tsx', 'cli/main.ts', 'serve', file, '--port', '0', '--state', stateDir], {
    cwd: REPO_ROOT, env: { ...process.env, BENCH_WRITE_KEY: WRITE_KEY }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"msg":"listening"/.test(output) ? /"url":"([^"]+)"/.exec(output) : null;
      if (match) resolveUrl(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${output}`)));
  });
  return {
    url,
    stop: () => new Promise<void>((done) => {
      child.once('exit', () => done());
      child.kill('SIGTERM');
    }),
  };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function benchApi(work: string): Promise<{ seconds: number; p50: number; p99: number; drainSeconds: number }> {
  const file = join(work, 'api.yaml');
  writeFileSync(file, mapping("  - id: web\n    type: segment-api\n    write_keys: ['${env:BENCH_WRITE_KEY}']"));
  const server = await startServe(file, join(work, 'api-state'));
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const target = new URL(`${server.url}/v1/batch`);
  const post = (body: Buffer) => new Promise<number>((done, reject) => {
    const call = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } }, (response) => {
      response.resume();
      response.on('end', () => done(response.statusCode ?? 0));
    });
    call.on('error', reject);
    call.end(body);
  });
  const bodies: Buffer[] = [];
  for (let start = 0; start < EVENTS; start += BATCH) {
    bodies.push(Buffer.from(JSON.stringify({ batch: Array.from({ length: Math.min(BATCH, EVENTS - start) }, (_, offset) => event(start + offset)), writeKey: WRITE_KEY })));
  }
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      for (;;) {
        const sent = performance.now();
        const status = await post(body);
        if (status === 200) {
          latencies.push(performance.now() - sent);
          break;
        }
        if (status !== 429) throw new Error(`HTTP ${status}`);
        await new Promise((wait) => setTimeout(wait, 200));
      }
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const drainStarted = performance.now();
  await server.stop();
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { seconds, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), drainSeconds: (performance.now() - drainStarted) / 1000 };
}

async function benchFile(work: string): Promise<number> {
  const events = join(work, 'events.jsonl');
  let text = '';
  for (let index = 0; index < EVENTS; index++) text += `${JSON.stringify({ ...event(index), receivedAt: new Date().toISOString() })}\n`;
  writeFileSync(events, text);
  const file = join(work, 'file.yaml');
  writeFileSync(file, mapping(`  - id: web\n    type: segment-files\n    path: ${events}`));
  const started = performance.now();
  await new Promise<void>((done, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'run', file, '--quiet', '--state', join(work, 'file-state')], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => (code === 0 ? done() : reject(new Error(`segflow run exited ${code}`))));
  });
  return (performance.now() - started) / 1000;
}

const work = mkdtempSync(join(tmpdir(), 'segflow-bench-api-'));
try {
  const api = await benchApi(work);
  const fileSeconds = await benchFile(work);
  const rate = EVENTS / api.seconds;
  const fileRate = EVENTS / fileSeconds;
  const row = (name: string, value: string, target: string) => `${name.padEnd(38)} ${value.padStart(14)}   ${target}\n`;
  process.stdout.write(`ingest API: ${EVENTS.toLocaleString('en-US')} events, ${CLIENTS} clients, batches of ${BATCH}, fsync before 200\n`);
  process.stdout.write(row('API accepted (events/s)', Math.round(rate).toLocaleString('en-US'), `target ≥ 50,000 → ${(rate / 50_000).toFixed(2)}×`));
  process.stdout.write(row('API request latency p50 (ms)', api.p50.toFixed(1), ''));
  process.stdout.write(row('API request latency p99 (ms)', api.p99.toFixed(1), `target ≤ 50 → ${api.p99 <= 50 ? 'met' : 'missed'}`));
  process.stdout.write(row('journal → store on shutdown (s)', api.drainSeconds.toFixed(1), ''));
  process.stdout.write(row('file path: segflow run (events/s)', Math.round(fileRate).toLocaleString('en-US'), `API / file = ${(rate / fileRate).toFixed(2)}× (run includes identity, features, segments)`));
} finally {
  rmSync(work, { recursive: true, force: true });
}
