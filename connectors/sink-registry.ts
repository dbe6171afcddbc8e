import type { z } from 'zod';
import type { Mapping } from '../core/config/mapping-schema.js';
import { resolveSecret, SECRET_REFERENCE } from '../core/config/secrets.js';
import { ConnectorError } from '../core/errors/connector-error.js';
import type { Sink, SinkPropertySpec } from '../core/sync/sink.js';
import type { WiredSink } from '../core/sync/run-sync.js';
import { SINKS } from './sinks.js';

/**
 * Wires a mapping's sink sections to live sinks. Secrets (`${env:NAME}`) are
 * resolved here, at the edge, and only for the sinks being run. A section
 * with `sandbox: true` gets a simulator of its vendor started for the run
 * (no credentials); the simulator starts empty, so the sink's acknowledged
 * state is reset to match.
 */
export interface RunningSandbox {
  url: string;
  /** Vendor fields that point the real client at the simulator (URLs, sandbox credentials). */
  sinkConfig: Record<string, unknown>;
  stop(): Promise<void>;
}

export interface SinkRegistration {
  schema: z.ZodObject;
  create(config: Record<string, unknown>): Sink;
  /**
   * Starts the vendor simulator. `fields` are the properties a mapping writes,
   * for vendors whose custom fields an admin creates beforehand (Salesforce).
   */
  startSandbox(options: { seed: number; port?: number; fields?: readonly SinkPropertySpec[] }): Promise<RunningSandbox>;
}

export function sinkSchemas(): z.ZodObject[] {
  return Object.values(SINKS).map((registration) => registration.schema);
}

export function sinkTypes(): string[] {
  return Object.keys(SINKS);
}

export interface WiredSinks {
  sinks: WiredSink[];
  /** Sink ids running against a fresh simulator: their acknowledged state must start empty. */
  sandboxed: Array<{ sinkId: string; url: string }>;
  close(): Promise<void>;
}

export async function wireSinks(mapping: Mapping, env: NodeJS.ProcessEnv, only?: string): Promise<WiredSinks> {
  const sinks: WiredSink[] = [];
  const sandboxes: RunningSandbox[] = [];
  const sandboxed: WiredSinks['sandboxed'] = [];
  try {
    for (const section of mapping.sinks) {
      if (only !== undefined && section.id !== only) continue;
      const registration = SINKS[section.type];
      if (!registration) throw new ConnectorError('config', 'sinks.unknown_type', `sink "${section.id}": unknown type "${section.type}" (known: ${sinkTypes().join(', ')})`);
      let config: Record<string, unknown>;
      if (section.sandbox) {
        const sandbox = await registration.startSandbox({ seed: 1, fields: sandboxFields(section) });
        sandboxes.push(sandbox);
        sandboxed.push({ sinkId: section.id, url: sandbox.url });
        config = { ...withoutSecrets(section), ...sandbox.sinkConfig };
      } else {
        config = resolveSecrets(section, env, `sinks.${section.id}`);
      }
      sinks.push({ mapping: section, sink: registration.create(config) });
    }
  } catch (error) {
    await Promise.all(sandboxes.map((sandbox) => sandbox.stop()));
    throw error;
  }
  return {
    sinks,
    sandboxed,
    close: async () => {
      for (const wired of sinks) await wired.sink.close?.();
      await Promise.all(sandboxes.map((sandbox) => sandbox.stop()));
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

/** The property kinds a sink section writes, as field specs (option lists are only known at sync time). */
export function sandboxFields(section: Mapping['sinks'][number]): SinkPropertySpec[] {
  return Object.entries(section.properties).map(([name, source]): SinkPropertySpec => {
    if ('segments' in source) return { name, label: name, type: 'enumeration', multiple: true };
    if ('segment_of' in source) return { name, label: name, type: 'enumeration' };
    if ('feature' in source) return { name, label: name, type: 'number' };
    return { name, label: name, type: 'string' };
  });
}
