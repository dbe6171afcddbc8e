/**
 * One vendor simulator in its own process, for bench/sync: in the same
 * process it would share the event loop with the client it measures (each
 * 200-record call costs both sides CPU, and calls finishing in lockstep
 * queue behind each other), which is not how a remote vendor behaves.
 * Prints one JSON line {url, sinkConfig, control}; `control` serves
 * GET /stats and POST /reset. Before printing, it plays the admin's setup
 * (Salesforce fields, HubSpot properties, lists) for the scenario.
 *
 *   node --import tsx bench/sync/simulator-process.ts <vendor> '<limits json>'
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HARNESSES } from '../../connectors/sinks/harnesses.js';
import { scenarioSpec } from '../../core/sync/simulation/index.js';

const [vendor, limitsJson] = process.argv.slice(2);
const harness = HARNESSES.find((candidate) => candidate.name === vendor);
if (!harness) throw new Error(`unknown vendor ${vendor}`);
const simulator = await harness.startSimulator({ seed: 1, ...(limitsJson ? { limits: JSON.parse(limitsJson) as Record<string, number> } : {}) });
const setup = harness.createSink(simulator.sinkConfig);
const spec = { ...scenarioSpec(harness.fields), lists: [] };
await setup.prepare(spec, { request: (_label, call) => call(), signal: new AbortController().signal, now: Date.now });
await setup.close?.();
const control = createServer((request, response) => {
  if (request.method === 'POST' && request.url === '/reset') simulator.view.resetStats();
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(simulator.view.stats()));
});
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
process.stdout.write(`${JSON.stringify({ url: simulator.url, sinkConfig: simulator.sinkConfig, control: `http://127.0.0.1:${(control.address() as AddressInfo).port}` })}\n`);
process.on('SIGTERM', () => {
  control.close();
  void simulator.stop().then(() => process.exit(0));
});
