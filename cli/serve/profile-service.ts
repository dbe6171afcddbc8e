import type { ProfileApiConfig } from '../../core/config/serve-schema.js';
import { loadProfileSnapshot, type ProfileSnapshot, type Workspace } from '../../core/runtime/index.js';
import type { WorkQueue } from './work-queue.js';

/**
 * The profile API's current snapshot: built on start from the last run's
 * tables, rebuilt after each scheduled run, swapped in whole (a request sees
 * the old run or the new one, never a mix). A failed rebuild keeps serving
 * the previous snapshot.
 */
export interface ProfileService {
  snapshot(): ProfileSnapshot | null;
  /** Rebuilds now; call it inside the work queue (it reads DuckDB). */
  refresh(runId?: string): Promise<void>;
  /** Settles when the snapshot built on start is in place (or failed, logged). */
  readonly ready: Promise<void>;
}

export interface ProfileServiceOptions {
  queue: WorkQueue;
  log: (level: 'info' | 'warn', message: string, fields: object) => void;
  onBuilt: (snapshot: ProfileSnapshot) => void;
}

export function startProfileService(workspace: Workspace, config: ProfileApiConfig, options: ProfileServiceOptions): ProfileService {
  let current: ProfileSnapshot | null = null;
  const refresh = async (runId?: string) => {
    const started = performance.now();
    const next = await loadProfileSnapshot(workspace, config, runId ?? null);
    if (next === null) return;
    current = next;
    options.onBuilt(next);
    options.log('info', 'profile snapshot built', { profiles: next.profiles, keys: next.byKey.size, ms: Math.round(performance.now() - started), ...(runId ? { runId } : {}) });
    if (next.missingFeatures.length > 0) {
      options.log('warn', 'serve.profile_api.features names features the last run did not compute; they are left out of responses', { features: next.missingFeatures });
    }
  };
  const ready = options.queue.run(() => refresh()).catch((error: unknown) => {
    options.log('warn', 'profile snapshot failed; the profile API answers 503 until a run succeeds', { error: (error as Error).message });
  });
  return { snapshot: () => current, refresh, ready };
}
