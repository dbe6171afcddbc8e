import type { LocatedProblem } from './located-problem.js';

/**
 * The `triggers:` checks the schema cannot make: rule ids unique, every
 * action names a sink of the mapping and a kind of that sink's vendor, a
 * segment trigger names a segment that exists, the quiet-hours zone is a
 * real IANA zone. Runs best effort on a document the schema may have
 * rejected, so one pass reports everything. Whether the vendor has the
 * kind's target (a HubSpot event definition, a Marketo campaign) is checked
 * against the vendor when the triggers start (ActionCapability.prepare).
 */
export function checkTriggers(
  raw: Record<string, unknown>,
  sinks: ReadonlyArray<{ id: string; type: string }>,
  segmentProblem: (id: string) => string | undefined,
): LocatedProblem[] {
  const section = asObject(raw.triggers);
  if (section === undefined) return [];
  const problems: LocatedProblem[] = [];
  const sinkTypes = new Map(sinks.map((sink) => [sink.id, sink.type]));
  const zone = asObject(section.quiet_hours)?.default_timezone;
  if (typeof zone === 'string' && !isTimeZone(zone)) {
    problems.push({ path: ['triggers', 'quiet_hours', 'default_timezone'], message: `unknown time zone "${zone}"; expected an IANA name such as Europe/Berlin or America/New_York` });
  }
  const seen = new Set<string>();
  rulesOf(section).forEach((rule, ruleIndex) => {
    const path = ['triggers', 'rules', ruleIndex] as const;
    if (typeof rule.id === 'string') {
      if (seen.has(rule.id)) problems.push({ path: [...path, 'id'], message: `duplicate trigger id "${rule.id}"` });
      seen.add(rule.id);
    }
    const segmentIssue = rule.kind === 'segment' && typeof rule.segment === 'string' ? segmentProblem(rule.segment) : undefined;
    if (segmentIssue !== undefined) problems.push({ path: [...path, 'segment'], message: segmentIssue });
    (Array.isArray(rule.actions) ? rule.actions : []).forEach((value, actionIndex) => {
      const action = asObject(value);
      if (action === undefined || typeof action.sink !== 'string') return;
      const actionPath = [...path, 'actions', actionIndex] as const;
      const type = sinkTypes.get(action.sink);
      if (type === undefined) {
        const known = [...sinkTypes.keys()];
        problems.push({ path: [...actionPath, 'sink'], message: `unknown sink "${action.sink}"; ${known.length === 0 ? 'the mapping has no sinks' : `known: ${known.join(', ')}`}` });
        return;
      }
      if (typeof action.kind === 'string' && !action.kind.startsWith(`${type}:`)) {
        problems.push({ path: [...actionPath, 'kind'], message: `sink "${action.sink}" is a ${type} sink: its action kinds start with "${type}:" (e.g. ${exampleKind(type)})` });
      }
      if (action.target === undefined && typeof action.kind === 'string' && action.kind !== 'webhook:post') {
        problems.push({ path: [...actionPath], message: `"${action.kind}" needs a target: the event, campaign or list it names in ${type}` });
      }
    });
  });
  return problems;
}

function rulesOf(section: Record<string, unknown>): Array<Record<string, unknown>> {
  return Array.isArray(section.rules) ? section.rules.map((rule) => asObject(rule) ?? {}) : [];
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const EXAMPLE_KINDS: Record<string, string> = {
  hubspot: 'hubspot:event',
  salesforce: 'salesforce:platform-event',
  marketo: 'marketo:campaign',
  webhook: 'webhook:post',
};

function exampleKind(type: string): string {
  return EXAMPLE_KINDS[type] ?? `${type}:<kind>`;
}
