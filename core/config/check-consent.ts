import type { LocatedProblem, PathSegment } from './located-problem.js';

/**
 * Every consent category the mapping names, checked against
 * `privacy.consent.categories` when it is declared: a sink's
 * `consent_categories`, a trigger rule's `purpose`, and the profile API's
 * `consent_categories`, per-feature `consent` and `segments.consent`. A
 * misspelt category would otherwise withhold a sink or a trigger from
 * everyone without a word (no profile ever grants a name the CMP never
 * sends). Names match case-insensitively, as consent-decision.ts reads
 * them. Best effort on a document the schema may have rejected, so one
 * `validate` pass reports everything.
 */
export function checkConsentCategories(raw: Record<string, unknown>): LocatedProblem[] {
  const declared = declaredCategories(raw);
  if (declared === undefined) return [];
  const known = new Set(declared.map((name) => name.toLowerCase()));
  const problems: LocatedProblem[] = [];
  for (const { path, name, use } of namedCategories(raw)) {
    if (known.has(name.toLowerCase())) continue;
    problems.push({
      path,
      message: `${use} names consent category "${name}", which privacy.consent.categories does not declare (declared: ${declared.join(', ')}); fix the name or add it to the list`,
    });
  }
  return problems;
}

interface NamedCategory {
  path: PathSegment[];
  name: string;
  /** Who names it, for the message. */
  use: string;
}

function declaredCategories(raw: Record<string, unknown>): string[] | undefined {
  const categories = asObject(asObject(raw.privacy)?.consent)?.categories;
  if (!Array.isArray(categories)) return undefined;
  const names = categories.filter((name): name is string => typeof name === 'string' && name !== '');
  return names.length > 0 ? names : undefined;
}

function namedCategories(raw: Record<string, unknown>): NamedCategory[] {
  const found: NamedCategory[] = [];
  const list = (value: unknown, path: PathSegment[], use: string) => {
    if (!Array.isArray(value)) return;
    value.forEach((name, index) => {
      if (typeof name === 'string') found.push({ path: [...path, index], name, use });
    });
  };
  arrayOf(raw.sinks).forEach((sink, index) => {
    const id = typeof sink?.id === 'string' ? sink.id : String(index);
    list(sink?.consent_categories, ['sinks', index, 'consent_categories'], `sink "${id}"`);
  });
  arrayOf(asObject(raw.triggers)?.rules).forEach((rule, index) => {
    const id = typeof rule?.id === 'string' ? rule.id : String(index);
    if (typeof rule?.purpose === 'string') found.push({ path: ['triggers', 'rules', index, 'purpose'], name: rule.purpose, use: `trigger "${id}" (purpose)` });
  });
  const api = asObject(asObject(raw.serve)?.profile_api);
  if (api !== undefined) {
    const base: PathSegment[] = ['serve', 'profile_api'];
    list(api.consent_categories, [...base, 'consent_categories'], 'serve.profile_api');
    list(asObject(api.segments)?.consent, [...base, 'segments', 'consent'], 'serve.profile_api segments');
    arrayOf(api.features).forEach((feature, index) => {
      const name = typeof feature?.name === 'string' ? feature.name : String(index);
      list(feature?.consent, [...base, 'features', index, 'consent'], `serve.profile_api feature "${name}"`);
    });
  }
  return found;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Array items as objects (a string item, as in the plain-feature form, becomes undefined). */
function arrayOf(value: unknown): Array<Record<string, unknown> | undefined> {
  return Array.isArray(value) ? value.map(asObject) : [];
}
