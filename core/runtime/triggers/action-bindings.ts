import type { CompiledTriggers } from '../../triggers/trigger-types.js';
import type { ActionSinkBinding } from '../../triggers/deliver-actions.js';
import type { TriggerProfileLookup } from '../../triggers/trigger-engine.js';
import { UserError } from '../../errors/user-error.js';
import { ConnectorError } from '../../errors/connector-error.js';
import { AccountQueue } from '../../sync/delivery/account-queue.js';
import type { RetryPolicy } from '../../sync/delivery/retry-policy.js';
import { normalizeKey } from '../../sync/desired-state.js';
import type { WiredSink } from '../../sync/run-sync.js';
import type { ActionTargetSpec, SinkContext, SinkRecordRef } from '../../sync/sink.js';
import { withRetries } from '../../sync/sync-sink.js';
import type { StateStore } from '../../store/state/state-store.js';

/**
 * The sinks the mapping's triggers send to, ready for delivery: each with
 * its account queue, the vendor's account (whose acknowledged records give
 * the vendor id), and what the actions name checked against the vendor
 * (ActionCapability.prepare) before anything fires. A sink that cannot fire
 * the kind a trigger asks for is refused here with the trigger's id.
 */
export interface BindOptions {
  triggers: CompiledTriggers;
  sinks: readonly WiredSink[];
  state: StateStore;
  profiles: TriggerProfileLookup;
  policy: RetryPolicy;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  signal: AbortSignal;
}

export async function bindActionSinks(options: BindOptions): Promise<{ bindings: Map<string, ActionSinkBinding>; close(): Promise<void> }> {
  const used = usedTargets(options.triggers);
  const bindings = new Map<string, ActionSinkBinding>();
  const queues: AccountQueue[] = [];
  try {
    for (const [sinkId, targets] of used) {
      const wired = options.sinks.find((candidate) => candidate.mapping.id === sinkId);
      if (wired === undefined) throw new UserError(`trigger action names sink "${sinkId}", which is not in the mapping`);
      const capability = wired.sink.actions;
      const kinds = capability?.kinds ?? [];
      for (const target of targets) {
        if (!kinds.includes(target.kind)) {
          throw new UserError(`trigger "${target.triggerId}": sink "${sinkId}" (${wired.mapping.type}) has no action kind "${target.kind}"; ${kinds.length === 0 ? 'it cannot fire actions' : `it has: ${kinds.join(', ')}`}`);
        }
      }
      const queue = new AccountQueue(wired.sink.capabilities());
      queues.push(queue);
      const context: SinkContext = { request: (label, call) => queue.request(label, call), signal: options.signal, now: options.now };
      const retry = { policy: options.policy, random: options.random, sleep: options.sleep, queue, now: options.now };
      const account = wired.sandbox ? undefined : wired.sink.identify ? await withRetries(() => wired.sink.identify!(context), retry) : wired.sink.account;
      if (capability?.prepare) {
        const specs: ActionTargetSpec[] = targets.map(({ kind, target, fields }) => ({ kind, target, fields }));
        await withRetries(() => capability.prepare!(dedupe(specs), context), retry).catch((error: unknown) => {
          throw error instanceof ConnectorError ? new UserError(`sink "${sinkId}": ${error.message}`) : error;
        });
      }
      // A sink that holds no records (a webhook) needs no vendor key: the profile id is what it sends.
      const identifyBy = Object.keys(wired.sink.capabilities().operations).length === 0 ? 'profile_id' : wired.mapping.identify_by;
      bindings.set(sinkId, {
        sinkId,
        actions: capability!,
        queue,
        missing: identifyBy === 'profile_id' ? 'no profile id' : `the profile has no ${identifyBy} (the sink's identify_by)`,
        // A sandbox's simulator lives for this process only: no acknowledged state to read from.
        records: (profileIds) => recordsFor(profileIds, identifyBy, account === undefined ? undefined : options.state, account, options.profiles),
      });
    }
  } catch (error) {
    await Promise.all(queues.map((queue) => queue.close()));
    throw error;
  }
  return { bindings, close: async () => void (await Promise.all(queues.map((queue) => queue.close()))) };
}

async function recordsFor(profileIds: readonly string[], identifyBy: string, state: StateStore | undefined, account: string | undefined, profiles: TriggerProfileLookup): Promise<Map<string, SinkRecordRef>> {
  const acked = state !== undefined && account !== undefined ? await state.account(account).recordsOf(profileIds) : new Map<string, { key: string; vendorId?: string }>();
  const result = new Map<string, SinkRecordRef>();
  const rest = profileIds.filter((profileId) => {
    const record = acked.get(profileId);
    if (record !== undefined) result.set(profileId, { profileId, ...record });
    return record === undefined;
  });
  if (rest.length === 0) return result;
  // Not synced yet: the key comes from the profile's traits as a sync would compute it.
  const looked = await profiles.lookup(rest);
  for (const profileId of rest) {
    const raw = identifyBy === 'profile_id' ? profileId : identifyBy === 'user_id' ? (profileId.startsWith('u:') ? profileId.slice(2) : null) : looked.get(profileId)?.traits[identifyBy];
    const key = normalizeKey(identifyBy, typeof raw === 'string' ? raw : null);
    if (key !== null) result.set(profileId, { profileId, key });
  }
  return result;
}

interface UsedTarget extends ActionTargetSpec {
  triggerId: string;
}

function usedTargets(triggers: CompiledTriggers): Map<string, UsedTarget[]> {
  const used = new Map<string, UsedTarget[]>();
  for (const rule of triggers.rules) {
    for (const action of rule.actions) {
      const list = used.get(action.sink) ?? [];
      list.push({ triggerId: rule.id, kind: action.kind, target: action.target ?? '', fields: Object.keys(action.payload) });
      used.set(action.sink, list);
    }
  }
  return used;
}

/** One spec per (kind, target), with the union of the fields every trigger fills. */
function dedupe(specs: readonly ActionTargetSpec[]): ActionTargetSpec[] {
  const merged = new Map<string, { kind: string; target: string; fields: Set<string> }>();
  for (const spec of specs) {
    const key = `${spec.kind}\u001f${spec.target}`;
    const entry = merged.get(key) ?? { kind: spec.kind, target: spec.target, fields: new Set<string>() };
    for (const field of spec.fields) entry.fields.add(field);
    merged.set(key, entry);
  }
  return [...merged.values()].map((entry) => ({ kind: entry.kind, target: entry.target, fields: [...entry.fields] }));
}
