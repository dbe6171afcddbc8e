import type { Mapping } from '../core/config/mapping-schema.js';
import { resolveSecret, SECRET_REFERENCE } from '../core/config/secrets.js';
import { ConnectorError } from '../core/errors/connector-error.js';
import type { Connectors, WiredSinks } from '../core/runtime/connectors.js';
import type { WiredSink } from '../core/sync/run-sync.js';
import { SINKS, sinkTypes, wireSources } from './registry.js';
import { sandboxFields, type RunningSandbox, type SandboxStarter } from './sandbox.js';

/**
 * The runtime's connectors: production sinks from the registry, with
 * secrets (`${env:NAME}`) resolved here, at the edge, and only for the sinks
 * being run. When `sandboxes` is given, a section with `sandbox: true` gets
 * a simulator of its vendor started for the call (no credentials needed).
 */
export function createConnectors(options: { sandboxes?: Readonly<Record<string, SandboxStarter>> } = {}): Connectors {
  return {
    sources: (mapping) => wireSources(mapping),
    sinks: (mapping, wiring) => wireSinks(mapping, wiring.env, wiring.only, options.sandboxes),
  };
}

async function wireSinks(mapping: Mapping, env: NodeJS.ProcessEnv, only: string | undefined, sandboxStarters: Readonly<Record<string, SandboxStarter>> | undefined): Promise<WiredSinks> {
  const sinks: WiredSink[] = [];
  const started: RunningSandbox[] = [];
  const sandboxes: WiredSinks['sandboxes'] = [];
  const sections = mapping.sinks.filter((section) => only === undefined || section.id === only);
  try {
    // Every secret first: a missing one stops the call before any simulator or client starts.
    const configs = sections.map((section) => (section.sandbox ? withoutSecrets(section) : resolveSecrets(section, env, `sinks.${section.id}`)));
    for (const [index, section] of sections.entries()) {
      const registration = SINKS[section.type];
      if (!registration) throw new ConnectorError('config', 'sinks.unknown_type', `sink "${section.id}": unknown type "${section.type}" (known: ${sinkTypes().join(', ')})`);
      let config = configs[index] as Record<string, unknown>;
      if (section.sandbox) {
        const start = sandboxStarters?.[section.type];
        if (!start) throw new ConnectorError('config', 'sinks.no_sandbox', `sink "${section.id}": sandbox: true is not available here (no ${section.type} simulator)`);
        const sandbox = await start({ seed: 1, fields: sandboxFields(section) });
        started.push(sandbox);
        sandboxes.push({ sinkId: section.id, url: sandbox.url });
        config = { ...config, ...sandbox.sinkConfig };
      }
      sinks.push({ mapping: section, sink: registration.create(config), ...(section.sandbox ? { sandbox: true } : {}) });
    }
  } catch (error) {
    await Promise.all(started.map((sandbox) => sandbox.stop()));
    throw error;
  }
  return {
    sinks,
    sandboxes,
    close: async () => {
      for (const wired of sinks) await wired.sink.close?.();
      await Promise.all(started.map((sandbox) => sandbox.stop()));
    },
  };
}

function resolveSecrets(section: Record<string, unknown>, env: NodeJS.ProcessEnv, where: string): Record<string, unknown> {
  const resolved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(section)) {
    if (typeof value === 'string' && SECRET_REFERENCE.test(value)) {
      try {
        resolved[key] = resolveSecret(value, env, `${where}.${key}`);
      } catch (error) {
        throw new ConnectorError('config', 'sinks.secret_missing', (error as Error).message);
      }
    } else resolved[key] = value;
  }
  return resolved;
}

/** A sandbox run never needs the real credentials: unresolved references are dropped, not required. */
function withoutSecrets(section: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(section).filter(([, value]) => !(typeof value === 'string' && SECRET_REFERENCE.test(value))));
}
