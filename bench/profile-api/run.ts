/**
 * The profile API's latency on loopback at 1M profiles, beside a route that
 * does no work on the same server, same run (the HTTP floor):
 *   npx tsx bench/profile-api/run.ts [--profiles 1000000] [--requests 20000] [--clients 4]
 * The snapshot is synthetic (what profile-snapshot.ts builds after a run: 3
 * keys a profile, 2 segments, 3 features), so this measures the request
 * path (auth, lookup, JSON) and not DuckDB. The clients run in a child
 * process, so their work and GC do not land on the server's event loop.
 * Target (issue 10): p99 ≤ 5 ms.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { registerProfileRoutes } from '../../cli/serve/profile-routes.js';
import { answerProfileRequest, type ProfileSnapshot, type SegmentRef, type ServedProfile } from '../../core/runtime/profile-lookup.js';

const { values } = parseArgs({ options: { profiles: { type: 'string', default: '1000000' }, requests: { type: 'string', default: '20000' }, clients: { type: 'string', default: '4' }, client: { type: 'string' }, path: { type: 'string' } } });
const PROFILES = Number(values.profiles);
const REQUESTS = Number(values.requests);
const CLIENTS = Number(values.clients);
const API_KEY = 'bench-profile-key';

function buildSnapshot(): ProfileSnapshot {
  const segments: SegmentRef[] = Array.from({ length: 12 }, (_, index) => ({ id: `segment_${index}`, name: `Segment ${index}` }));
  const byKey = new Map<string, ServedProfile>();
  for (let index = 0; index < PROFILES; index++) {
    const profile: ServedProfile = index % 50 === 0
      ? { profileId: `u:user-${index}`, withheld: 'consent' }
      : { profileId: `u:user-${index}`, segments: [segments[index % 12] as SegmentRef, segments[(index * 7) % 12] as SegmentRef], features: { frequency: index % 9, monetary: (index % 977) * 1.5, recency_days: index % 365 } };
    byKey.set(`u:user-${index}`, profile);
    byKey.set(`a:anon-${index}`, profile);
    if (index % 3 === 0) byKey.set(`e:${createHash('sha256').update(`user-${index}@example.com`).digest('hex')}`, profile);
  }
  return { runId: 'bench', builtAt: Date.now(), byKey, profiles: PROFILES, missingFeatures: [] };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function measure(port: number, path: (index: number) => string): Promise<{ p50: number; p99: number; perSecond: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const client = async () => {
    while (next < REQUESTS) {
      const index = next++;
      const begun = performance.now();
      await new Promise<void>((resolve, reject) => {
        const call = request({ host: '127.0.0.1', port, path: path(index), agent, headers: { authorization: `Bearer ${API_KEY}` } }, (response) => {
          response.resume();
          response.on('end', () => resolve());
        });
        call.on('error', reject);
        call.end();
      });
      latencies.push(performance.now() - begun);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), perSecond: REQUESTS / seconds };
}

type Measured = Awaited<ReturnType<typeof measure>>;
const random = (index: number) => (index * 2654435761) % PROFILES;
const PATHS: Record<string, (index: number) => string> = {
  floor: () => '/floor',
  lookups: (index) => (index % 2 === 0 ? `/v1/profiles/user-${random(index)}` : `/v1/profiles/anon-${random(index)}`),
};

// Client mode: measure one path against the server's port, print the figures as JSON.
if (values.client !== undefined) {
  process.stdout.write(JSON.stringify(await measure(Number(values.client), PATHS[values.path ?? 'floor'] as (index: number) => string)));
  process.exit(0);
}

function inChild(port: number, path: string): Promise<Measured> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--client', String(port), '--path', path, '--profiles', String(PROFILES), '--requests', String(REQUESTS), '--clients', String(CLIENTS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output) as Measured) : reject(new Error(`client exited ${code}`)))));
}

const buildStarted = performance.now();
const snapshot = buildSnapshot();
const buildMs = performance.now() - buildStarted;
const heapMb = process.memoryUsage().heapUsed / 1024 ** 2;
// The lookup alone, without HTTP: what the route adds to the floor.
const direct: number[] = [];
for (let index = 0; index < REQUESTS; index++) {
  const begun = performance.now();
  answerProfileRequest(snapshot, index % 2 === 0 ? `user-${random(index)}` : `anon-${random(index)}`);
  direct.push(performance.now() - begun);
}
direct.sort((a, b) => a - b);
const app = Fastify();
await registerProfileRoutes(app, { apiKeys: [API_KEY], snapshot: () => snapshot, onAnswer: () => undefined });
app.get('/floor', async () => ({ ok: true }));
await app.listen({ host: '127.0.0.1', port: 0 });
const port = (app.server.address() as { port: number }).port;
// Warm-up: the server's JIT, not measured.
await inChild(port, 'lookups');
const floor = await inChild(port, 'floor');
const lookups = await inChild(port, 'lookups');
await app.close();

const format = (ms: number) => `${ms.toFixed(3)} ms`;
process.stdout.write(`profile API, ${PROFILES.toLocaleString('en-US')} profiles (snapshot ${buildMs.toFixed(0)} ms to build, heap ${heapMb.toFixed(0)} MB), ${REQUESTS.toLocaleString('en-US')} requests, ${CLIENTS} keep-alive clients\n`);
process.stdout.write(`  lookup alone:     p50 ${format(percentile(direct, 50))}  p99 ${format(percentile(direct, 99))}\n`);
process.stdout.write(`  floor (no work):  p50 ${format(floor.p50)}  p99 ${format(floor.p99)}  ${floor.perSecond.toFixed(0)} req/s\n`);
process.stdout.write(`  GET /v1/profiles: p50 ${format(lookups.p50)}  p99 ${format(lookups.p99)}  ${lookups.perSecond.toFixed(0)} req/s\n`);
process.stdout.write(`  ratio to floor:   p50 ${(lookups.p50 / floor.p50).toFixed(2)}x  p99 ${(lookups.p99 / floor.p99).toFixed(2)}x  (target p99 ≤ 5 ms: ${lookups.p99 <= 5 ? 'met' : 'NOT met'})\n`);
