import type { CompiledTriggers, EventMatcher, TriggerDefinition } from './trigger-types.js';

/**
 * Which triggers an event can concern, by its name, computed once per rule
 * set: an event only reaches the triggers whose matchers name it (or that
 * take any event, like inactivity without an `activity` filter). The lists
 * keep the rules' order, so steps, holds and the frequency cap see the
 * triggers in the order they were declared, as without the index. A trigger
 * on a list still checks its conditions (`eventConcernsTrigger`); the index
 * only skips the ones whose names cannot match.
 */
export interface EventRouting {
  /** Event name → the rules it can concern, in rule order. */
  byName: ReadonlyMap<string, readonly TriggerDefinition[]>;
  /** The rules an event whose name no matcher names can concern (also an event without a name). */
  anyName: readonly TriggerDefinition[];
  /** Rules of kind `segment`, in rule order: the only ones a segment change reaches. */
  segmentRules: readonly TriggerDefinition[];
  /** Rule id → rule, for timers (they carry the trigger id). */
  byId: ReadonlyMap<string, TriggerDefinition>;
  /** The largest allowed lateness of any rule (how long seen ids must be kept at least). */
  largestLatenessMs: number;
}

const ROUTINGS = new WeakMap<CompiledTriggers, EventRouting>();

export function routingOf(triggers: CompiledTriggers): EventRouting {
  let routing = ROUTINGS.get(triggers);
  if (routing === undefined) {
    routing = buildRouting(triggers.rules);
    ROUTINGS.set(triggers, routing);
  }
  return routing;
}

function buildRouting(rules: readonly TriggerDefinition[]): EventRouting {
  const names = new Set<string>();
  const namesOf = rules.map((rule) => {
    const matchers = eventMatchersOf(rule);
    if (matchers === 'any') return 'any' as const;
    const ruleNames = new Set<string>();
    for (const matcher of matchers) for (const name of matcher.names) ruleNames.add(name);
    for (const name of ruleNames) names.add(name);
    return ruleNames;
  });
  const anyName = rules.filter((_, index) => namesOf[index] === 'any');
  const byName = new Map<string, readonly TriggerDefinition[]>();
  for (const name of names) {
    byName.set(
      name,
      rules.filter((_, index) => {
        const ruleNames = namesOf[index] as 'any' | Set<string>;
        return ruleNames === 'any' || ruleNames.has(name);
      }),
    );
  }
  return {
    byName,
    anyName,
    segmentRules: rules.filter((rule) => rule.kind === 'segment'),
    byId: new Map(rules.map((rule) => [rule.id, rule])),
    largestLatenessMs: rules.reduce((result, rule) => Math.max(result, rule.latenessMs), 0),
  };
}

/** The matchers whose names decide `eventConcernsTrigger`; 'any' when every event concerns the trigger. */
function eventMatchersOf(rule: TriggerDefinition): readonly EventMatcher[] | 'any' {
  switch (rule.kind) {
    case 'absence':
      return [rule.after, rule.absent];
    case 'repetition':
      return [rule.event];
    case 'sequence':
      return rule.without === undefined ? [rule.first, rule.then] : [rule.first, rule.then, rule.without];
    case 'segment':
      return [];
    case 'inactivity':
      return rule.activity === undefined ? 'any' : [rule.activity];
  }
}

/** The rules an event named `name` can concern. */
export function rulesForEvent(routing: EventRouting, name: string | null): readonly TriggerDefinition[] {
  if (name === null) return routing.anyName;
  return routing.byName.get(name) ?? routing.anyName;
}
