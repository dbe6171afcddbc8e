import { durationMs } from '../config/durations.js';
import type { MatcherConfig, TriggerRuleConfig, TriggersConfig } from '../config/trigger-schema.js';
import type { ActionTemplate, CompiledTriggers, Condition, EventMatcher, FieldSource, JsonValue, TriggerDefinition } from './trigger-types.js';

/**
 * The normalization step after the schema (the schema has no transforms):
 * durations to ms, matcher shorthands to one shape, the payload's `event.*`
 * paths collected so pending matches keep only those fields.
 */
export function compileTriggers(config: TriggersConfig): CompiledTriggers {
  const defaultLateness = durationMs(config.allowed_lateness);
  return {
    rules: config.rules.map((rule) => compileRule(rule, defaultLateness)),
    guards: {
      frequencyCap: config.frequency_cap === undefined ? undefined : { max: config.frequency_cap.max, perMs: durationMs(config.frequency_cap.per) },
      quietHours:
        config.quiet_hours === undefined
          ? undefined
          : {
              startMinute: clockMinute(config.quiet_hours.start),
              endMinute: clockMinute(config.quiet_hours.end),
              defaultTimeZone: config.quiet_hours.default_timezone,
            },
    },
  };
}

function compileRule(rule: TriggerRuleConfig, defaultLateness: number): TriggerDefinition {
  const actions = rule.actions.map(
    (action): ActionTemplate => ({
      sink: action.sink,
      kind: action.kind,
      target: action.target,
      payload: Object.fromEntries(
        Object.entries(action.payload).map(([field, source]): [string, FieldSource] => [
          field,
          typeof source === 'string' ? { from: 'path', path: source } : { from: 'value', value: source.value },
        ]),
      ),
    }),
  );
  const eventPaths = [
    ...new Set(actions.flatMap((action) => Object.values(action.payload).flatMap((source) => (source.from === 'path' && source.path.startsWith('event.') ? [source.path] : [])))),
  ];
  const common = {
    id: rule.id,
    purpose: rule.purpose,
    cooldownMs: rule.cooldown === undefined ? 0 : durationMs(rule.cooldown),
    latenessMs: rule.allowed_lateness === undefined ? defaultLateness : durationMs(rule.allowed_lateness),
    actions,
    eventPaths,
  };
  switch (rule.kind) {
    case 'absence':
      return { ...common, kind: 'absence', after: compileMatcher(rule.after), absent: compileMatcher(rule.absent), withinMs: durationMs(rule.within), key: rule.key };
    case 'repetition':
      return {
        ...common,
        kind: 'repetition',
        event: compileMatcher(rule.event),
        atLeast: rule.at_least,
        window: rule.within === 'session' ? { type: 'session', gapMs: durationMs(rule.session_gap) } : { type: 'sliding', ms: durationMs(rule.within) },
        key: rule.key,
      };
    case 'sequence':
      return {
        ...common,
        kind: 'sequence',
        first: compileMatcher(rule.first),
        then: compileMatcher(rule.then),
        without: rule.without === undefined ? undefined : compileMatcher(rule.without),
        withinMs: durationMs(rule.within),
        key: rule.key,
      };
    case 'segment':
      return { ...common, kind: 'segment', segment: rule.segment, on: rule.on };
    case 'inactivity':
      return { ...common, kind: 'inactivity', inactiveForMs: durationMs(rule.inactive_for), activity: rule.activity === undefined ? undefined : compileMatcher(rule.activity) };
  }
}

export function compileMatcher(config: MatcherConfig): EventMatcher {
  if (typeof config === 'string') return { names: new Set([config]), conditions: [] };
  if (Array.isArray(config)) return { names: new Set(config), conditions: [] };
  const names = typeof config.event === 'string' ? [config.event] : config.event;
  const conditions: Condition[] = [];
  for (const [path, expected] of Object.entries(config.where ?? {})) {
    if (expected === null || typeof expected !== 'object') {
      conditions.push({ path, op: 'eq', value: expected });
      continue;
    }
    if (expected.eq !== undefined) conditions.push({ path, op: 'eq', value: expected.eq });
    if (expected.ne !== undefined) conditions.push({ path, op: 'ne', value: expected.ne });
    if (expected.gt !== undefined) conditions.push({ path, op: 'gt', value: expected.gt });
    if (expected.gte !== undefined) conditions.push({ path, op: 'gte', value: expected.gte });
    if (expected.lt !== undefined) conditions.push({ path, op: 'lt', value: expected.lt });
    if (expected.lte !== undefined) conditions.push({ path, op: 'lte', value: expected.lte });
    if (expected.in !== undefined) conditions.push({ path, op: 'in', values: expected.in as JsonValue[] });
    if (expected.exists !== undefined) conditions.push({ path, op: 'exists', value: expected.exists });
  }
  return { names: new Set(names), conditions };
}

function clockMinute(text: string): number {
  const [hours, minutes] = text.split(':').map(Number);
  return (hours as number) * 60 + (minutes as number);
}
