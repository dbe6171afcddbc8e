import { SANDBOXES, sandboxFields, type RunningSandbox } from '../../connectors/sandbox.js';
import type { SinkPropertySpec } from '../../core/sync/sink.js';
import { formatIssue } from '../../core/config/config-issue.js';
import { loadMapping } from './validate.js';

const SECRET_KEY = /(token|secret|password|private_?key|write_?key)/i;

/**
 * `segflow sandbox`: the vendor simulators on local ports, until Ctrl-C, so a
 * user can rehearse a sync with no credentials: point a sink's URL at the
 * printed address (or set `sandbox: true` to get a fresh one per run).
 */
export async function sandboxCommand(options: { port: string | undefined; file?: string }): Promise<number> {
  const base = options.port === undefined ? 4010 : Number(options.port);
  if (!Number.isInteger(base) || base <= 0 || base > 65_000) {
    process.stderr.write(`segflow: --port must be a port number (got "${options.port}")\n`);
    return 2;
  }
  // With a mapping, vendors whose fields an admin creates (Salesforce) start with the fields it writes.
  const fields = new Map<string, SinkPropertySpec[]>();
  if (options.file) {
    const loaded = loadMapping(options.file);
    if (!loaded.ok) {
      for (const issue of loaded.issues) process.stderr.write(`${formatIssue(issue)}\n`);
      return 1;
    }
    for (const sink of loaded.mapping.sinks) fields.set(sink.type, [...(fields.get(sink.type) ?? []), ...sandboxFields(sink)]);
  }
  const running: Array<{ type: string; sandbox: RunningSandbox }> = [];
  let port = base;
  try {
    for (const [type, start] of Object.entries(SANDBOXES)) {
      running.push({ type, sandbox: await start({ seed: 1, port: port++, fields: fields.get(type) ?? [] }) });
    }
  } catch (error) {
    // A taken port: stop the simulators already started, so the error ends the process.
    await Promise.all(running.map(({ sandbox }) => sandbox.stop()));
    throw error;
  }
  // Secrets go in the environment, never in a mapping (a literal token is a config error): print them as exports.
  const exports: string[] = [];
  for (const { type, sandbox } of running) {
    const fields = Object.entries(sandbox.sinkConfig).filter(([key]) => key !== 'type').map(([key, value]) => {
      if (typeof value === 'string' && SECRET_KEY.test(key)) {
        const variable = `SEGFLOW_SANDBOX_${type}_${key}`.toUpperCase();
        exports.push(`export ${variable}=${value}`);
        return `${key}: \${env:${variable}}`;
      }
      return `${key}: ${JSON.stringify(value)}`;
    });
    process.stdout.write(`${type.padEnd(11)} ${sandbox.url}\n            sink fields: { ${fields.join(', ')} }\n`);
  }
  process.stdout.write(`\n${exports.join('\n')}\n`);
  process.stdout.write('\nsimulators running with the vendors\' published limits; Ctrl-C to stop\n');
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await Promise.all(running.map(({ sandbox }) => sandbox.stop()));
  return 0;
}
