import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ActionCapability, ActionTargetSpec, ChangeResult, Sink, SinkAction, SinkCapabilities, SinkContext } from '../../../core/sync/sink.js';
import { requestFor } from './webhook-body.js';
import { withoutQuery } from './webhook-errors.js';
import { postSigned, type PostOutcome } from './webhook-post.js';
import { resolveWebhookConfig } from './webhook-sink-config.js';

/**
 * Webhook sink: trigger actions (`webhook:post`) POSTed as signed JSON to
 * an endpoint the user runs. It holds no records, so it offers no record
 * operation (`capabilities().operations` is empty) and `apply` refuses any
 * change it is handed. Delivery is at-least-once: a retry after a timeout or
 * a lost answer carries the same Idempotency-Key (the action id), and the
 * receiver drops the repeat (README.md).
 */
export interface WebhookSinkOptions {
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Overrides the config's `timeout` (tests use a fraction of a second). */
  timeoutMs?: number;
  /** Where unresolved `${env:NAME}` references are looked up. @default process.env */
  env?: NodeJS.ProcessEnv;
}

export const WEBHOOK_POST = 'webhook:post';
const CONNECTOR = 'sink:webhook';

export function createWebhookSink(rawConfig: unknown, options: WebhookSinkOptions = {}): Sink {
  const resolved = resolveWebhookConfig(rawConfig, options.env);
  const config = { ...resolved, timeoutMs: options.timeoutMs ?? resolved.timeoutMs };
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const endpoint = withoutQuery(config.url);

  const capabilities: SinkCapabilities = {
    operations: {},
    // The endpoint is the user's: no published limit; its 429s pace us.
    rateLimit: null,
    concurrency: config.concurrency,
    membershipNeedsVendorId: false,
    triggerKinds: [WEBHOOK_POST],
  };

  async function deliver(actions: readonly SinkAction[], context: SinkContext): Promise<ChangeResult[]> {
    const results: Array<ChangeResult | undefined> = actions.map(() => undefined);
    const sendable: number[] = [];
    actions.forEach((action, index) => {
      if (action.kind === WEBHOOK_POST) sendable.push(index);
      else results[index] = { status: 'failed', error: unknownKind(action.kind) };
    });
    const posts: number[][] = [];
    for (let from = 0; from < sendable.length; from += config.maxBatch) posts.push(sendable.slice(from, from + config.maxBatch));
    const outcomes = await Promise.all(posts.map((indexes) => postSigned(requestFor(indexes.map((index) => actions[index] as SinkAction), config.maxBatch > 1), config, context, fetchImpl)));
    const whole = sendable.length === actions.length ? wholeCallFailure(outcomes) : undefined;
    if (whole) throw whole;
    posts.forEach((indexes, position) => {
      const outcome = outcomes[position] as PostOutcome;
      for (const index of indexes) results[index] = outcome.delivered ? { status: 'applied' } : { status: 'failed', error: outcome.error };
    });
    return results.map((result) => result as ChangeResult);
  }

  const actionCapability: ActionCapability = {
    kinds: [WEBHOOK_POST],
    maxBatch: config.maxBatch,
    // The endpoint has nothing to create, and probing it would be a POST it must then ignore: only the targets are checked.
    prepare: async (targets) => {
      checkTargets(targets);
    },
    deliver: (actions, context) => (actions.length === 0 ? Promise.resolve([]) : deliver(actions, context)),
  };

  return {
    kind: CONNECTOR,
    account: `webhook:${endpoint}`,
    identify: () => Promise.resolve(`webhook:${endpoint}`),
    actions: actionCapability,
    capabilities: () => capabilities,
    prepare: async (spec) => {
      if (spec.properties.length > 0 || spec.lists.length > 0) {
        throw new ConnectorError('config', 'webhook.no_records', `The webhook sink for ${endpoint} delivers trigger actions only; remove its properties and lists.`, { connector: CONNECTOR });
      }
    },
    apply: (batch) =>
      Promise.resolve(
        batch.changes.map((change): ChangeResult => ({
          status: 'failed',
          error: new ConnectorError('permanent', 'webhook.operation_unsupported', `The webhook sink for ${endpoint} cannot ${change.op} profile ${change.record.profileId}: it delivers trigger actions (webhook:post) only, never record changes.`, { connector: CONNECTOR }),
        })),
      ),
  };
}

/**
 * The error to throw when the call failed as a whole, so delivery can act on
 * it once: a single POST that failed (a batch refused as permanent is then
 * bisected), or every POST failed and none for good (a throttle pauses the
 * account, bad credentials stop the run).
 */
function wholeCallFailure(outcomes: readonly PostOutcome[]): ConnectorError | undefined {
  const errors = outcomes.flatMap((outcome) => (outcome.delivered ? [] : [outcome.error]));
  if (errors.length === 0 || errors.length < outcomes.length) return undefined;
  if (outcomes.length > 1 && errors.some((error) => error.kind === 'permanent')) return undefined;
  return errors[0];
}

function checkTargets(targets: readonly ActionTargetSpec[]): void {
  const problems = targets.flatMap((spec) => {
    if (spec.kind !== WEBHOOK_POST) return [`"${spec.target}" uses kind ${spec.kind}; the webhook sink sends ${WEBHOOK_POST} only`];
    if (spec.target.trim() === '') return [`a ${WEBHOOK_POST} action has an empty target; it becomes the body's "type", so name the event`];
    return [];
  });
  if (problems.length > 0) throw new ConnectorError('config', 'webhook.target_invalid', `Webhook sink: ${problems.join('; ')}.`, { connector: CONNECTOR });
}

function unknownKind(kind: string): ConnectorError {
  return new ConnectorError('permanent', 'webhook.kind_unsupported', `The webhook sink cannot deliver a "${kind}" action; it sends ${WEBHOOK_POST} only.`, { connector: CONNECTOR });
}
