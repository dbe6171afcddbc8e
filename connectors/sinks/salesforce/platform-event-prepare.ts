import { z } from 'zod';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ActionTargetSpec, SinkContext } from '../../../core/sync/sink.js';
import { vendorCall, type SalesforceRuntime } from './salesforce-runtime.js';
import { SALESFORCE_CONNECTOR } from './salesforce-sink-config.js';

const EventDescribeSchema = z.object({ name: z.string(), fields: z.array(z.object({ name: z.string(), createable: z.boolean().optional() }).loose()) }).loose();

/**
 * Checks that every Platform Event the triggers name exists with the fields
 * their payloads fill, plus the action id field. segflow cannot create a
 * Platform Event or its fields (that is the Metadata API, an admin's job),
 * so every problem is named at once with what to create in Setup. The
 * writable fields found are kept, so `deliver` fails an action with an
 * unknown field by itself instead of failing its whole batch.
 */
export async function preparePlatformEvents(runtime: SalesforceRuntime, context: SinkContext, targets: readonly ActionTargetSpec[]): Promise<void> {
  const { actionIdField } = runtime.settings;
  const wanted = new Map<string, Set<string>>();
  for (const spec of targets) wanted.set(spec.target, new Set([...(wanted.get(spec.target) ?? []), ...spec.fields, actionIdField]));
  const problems = await Promise.all(
    [...wanted].map(async ([target, fields]): Promise<string | undefined> => {
      const fieldList = [...fields].map((field) => (field === actionIdField ? `${field} (Text(255): segflow's action id, the dedupe key for subscribers)` : field)).join(', ');
      if (!/^[A-Za-z][A-Za-z0-9_]*__e$/.test(target)) return `"${target}" is not a Platform Event API name (those end in __e, e.g. Cart_Abandoned__e)`;
      const described = await describeEvent(runtime, context, target);
      if (described === undefined) return `${target} does not exist (or the integration user cannot see it): create it in Setup → Platform Events with the fields ${fieldList}`;
      const missing = [...fields].filter((field) => !described.has(field));
      runtime.platformEvents.set(target, described);
      if (missing.length === 0) return undefined;
      return `${target} lacks the field(s) ${missing.map((field) => (field === actionIdField ? `${field} (Text(255): segflow's action id, the dedupe key for subscribers)` : field)).join(', ')}: add them in Setup → Platform Events → ${target} → Custom Fields & Relationships`;
    }),
  );
  const found = problems.filter((problem): problem is string => problem !== undefined);
  if (found.length > 0) {
    throw new ConnectorError('config', 'salesforce.platform_event_missing', `Salesforce is not ready for this mapping's triggers: ${found.join('; ')}. segflow cannot create Platform Events or their fields (that needs the Metadata API).`, { connector: SALESFORCE_CONNECTOR });
  }
}

/** The event's writable field names, or undefined when Salesforce does not know the event. */
async function describeEvent(runtime: SalesforceRuntime, context: SinkContext, target: string): Promise<Set<string> | undefined> {
  let answer: unknown;
  try {
    answer = await vendorCall(runtime, context, 'salesforce.platform-event.describe', `describing Platform Event ${target}`, (connection) => connection.describe(target));
  } catch (error) {
    if (error instanceof ConnectorError && (error.code === 'salesforce.not_found' || error.code === 'salesforce.invalid_type')) return undefined;
    throw error;
  }
  const parsed = EventDescribeSchema.safeParse(answer);
  if (!parsed.success) throw new ConnectorError('retryable', 'salesforce.unexpected_response', `Salesforce describe of ${target}: unexpected answer`, { connector: SALESFORCE_CONNECTOR });
  return new Set(parsed.data.fields.filter((field) => field.createable !== false).map((field) => field.name));
}
