import { SINKS } from '../../connectors/sinks.js';
import type { RunningSandbox } from '../../connectors/sink-registry.js';

/**
 * `segflow sandbox`: the vendor simulators on local ports, until Ctrl-C, so a
 * user can rehearse a sync with no credentials: point a sink's URL at the
 * printed address (or set `sandbox: true` to get a fresh one per run).
 */
export async function sandboxCommand(options: { port: string | undefined }): Promise<number> {
  const base = options.port === undefined ? 4010 : Number(options.port);
  if (!Number.isInteger(base) || base <= 0 || base > 65_000) {
    process.stderr.write(`segflow: --port must be a port number (got "${options.port}")\n`);
    return 2;
  }
  const running: Array<{ type: string; sandbox: RunningSandbox }> = [];
  let port = base;
  for (const [type, registration] of Object.entries(SINKS)) {
    running.push({ type, sandbox: await registration.startSandbox({ seed: 1, port: port++ }) });
  }
  for (const { type, sandbox } of running) {
    const fields = Object.entries(sandbox.sinkConfig).map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join(', ');
    process.stdout.write(`${type.padEnd(11)} ${sandbox.url}\n            sink fields: { ${fields} }\n`);
  }
  process.stdout.write('\nsimulators running with the vendors\' published limits; Ctrl-C to stop\n');
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await Promise.all(running.map(({ sandbox }) => sandbox.stop()));
  return 0;
}
