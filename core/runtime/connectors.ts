import type { Mapping } from '../config/mapping-schema.js';
import type { IngestSourceEntry } from '../ingest/ingest-runner.js';
import type { WiredSink } from '../sync/run-sync.js';

/**
 * What the runtime needs from connectors, handed in by the caller (the CLI
 * passes `connectors/registry.ts`): core never imports a vendor.
 */
export interface Connectors {
  /** Live sources for the mapping's source sections. */
  sources(mapping: Mapping): IngestSourceEntry[];
  /**
   * Live sinks for the mapping's sink sections (`only`: one of them).
   * Sections with `sandbox: true` get a simulator started for the call. The
   * caller closes what it got. Throws a config ConnectorError for a missing
   * secret before anything is started.
   */
  sinks(mapping: Mapping, options: { only?: string; env: NodeJS.ProcessEnv }): Promise<WiredSinks>;
}

export interface WiredSinks {
  sinks: WiredSink[];
  /** The simulators started for this call, for the user to see. */
  sandboxes: Array<{ sinkId: string; url: string }>;
  close(): Promise<void>;
}
