import type { LocatedProblem, PathSegment } from './located-problem.js';
import { resolveSecret, SECRET_REFERENCE } from './secrets.js';
import type { Mapping } from './mapping-schema.js';
import { checkTriggers } from './check-triggers.js';
import { checkConsentCategories } from './check-consent.js';
import { resolveFeatureName, FEATURE_CATALOG } from '../features/catalog.js';
import { parseRule, checkRule } from '../segments/index.js';
import { RFM_SEGMENTS, rfmOutputFeatures } from '../segments/rfm-names.js';
import { modelOutputFeatures } from './model-schema.js';
import { checkExperiments } from '../analysis/experiments/check-experiments.js';

/**
 * Checks that need more than the schema: references between sections,
 * duplicate ids, rule expressions. Returns every problem, located by path.
 */
export function checkMappingSemantics(input: unknown): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  // Runs on schema-valid data, and also (best effort) on a document the
  // schema rejected, so every problem is reported in one pass.
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const mapping = bestEffort(raw);
  duplicates(mapping.sources.map((source) => source.id), (index, id) =>
    problems.push({ path: ['sources', index, 'id'], message: `duplicate source id "${id}"` }));
  duplicates(mapping.segments.map((segment) => segment.id), (index, id) =>
    problems.push({ path: ['segments', index, 'id'], message: `duplicate segmentation id "${id}"` }));

  const features = new Map<string, 'number' | 'string' | 'boolean'>();
  mapping.features.include.forEach((name, index) => {
    const resolved = resolveFeatureName(name);
    if ('reason' in resolved) problems.push({ path: ['features', 'include', index], message: resolved.reason });
    else if (features.has(name)) problems.push({ path: ['features', 'include', index], message: `"${name}" is listed twice` });
    else features.set(name, 'number');
  });
  mapping.features.custom.forEach((custom, index) => {
    if ((custom.kind === 'sum' || custom.kind === 'distinct') && !custom.property) {
      problems.push({ path: ['features', 'custom', index, 'kind'], message: `a "${custom.kind}" feature needs "property" (which property to ${custom.kind === 'sum' ? 'sum' : 'count distinct'})` });
    }
    if (features.has(custom.name) || FEATURE_CATALOG.some((feature) => feature.name === custom.name)) {
      problems.push({ path: ['features', 'custom', index, 'name'], message: `"${custom.name}" clashes with a built-in or earlier feature` });
    }
    features.set(custom.name, 'number');
  });

  // RFM scores exist only after the segments stage: rules may use them,
  // the missing-value policy and scaling (features stage) may not.
  const rfmOutputs = new Map<string, 'number' | 'string'>();
  mapping.segments.forEach((segmentation, index) => {
    if (segmentation.model === 'rfm') {
      for (const role of ['recency', 'frequency', 'monetary'] as const) {
        const name = segmentation[role];
        const resolved = resolveFeatureName(name);
        if ('reason' in resolved && !features.has(name)) {
          problems.push({ path: ['segments', index, role], message: resolved.reason });
        } else features.set(name, 'number');
      }
      for (const [name, type] of rfmOutputFeatures(segmentation.id)) rfmOutputs.set(name, type);
    }
  });
  mapping.features.custom.forEach((custom, index) => {
    if (rfmOutputs.has(custom.name)) {
      problems.push({ path: ['features', 'custom', index, 'name'], message: `"${custom.name}" clashes with a column the RFM segmentation adds` });
    }
  });
  for (const name of Object.keys(mapping.features.missing)) {
    if (!features.has(name)) {
      problems.push({ path: ['features', 'missing', name], atKey: true, message: rfmOutputs.has(name)
        ? `"${name}" is an RFM score, computed after the missing-value policy runs; it cannot have one`
        : `missing-value policy for "${name}", which is not an included feature` });
    }
  }
  const scaling = mapping.features.scaling;
  scaling?.columns.forEach((name, index) => {
    if (!features.has(name)) {
      problems.push({ path: ['features', 'scaling', 'columns', index], message: rfmOutputs.has(name)
        ? `cannot scale "${name}": RFM scores are computed after scaling`
        : `cannot scale "${name}": it is not an included feature` });
    }
  });
  for (const name of scaling?.columns ?? []) features.set(`${name}_scaled`, 'number');
  for (const [name, type] of rfmOutputs) features.set(name, type);
  // Models run after RFM and before rules: they read features and RFM scores; rules may read their scores.
  mapping.segments.forEach((segmentation, index) => {
    if (segmentation.model === 'rfm' || segmentation.model === 'rules' || segmentation.model === 'audiences') return;
    problems.push(...checkModel(segmentation as unknown as Record<string, unknown>, index, features));
  });
  const modelIds = mapping.segments.filter((segmentation) => !NOT_MODELS.has(segmentation.model)).map((segmentation) => segmentation.id);
  mapping.segments.forEach((segmentation, index) => {
    for (const name of modelOutputFeatures(segmentation)) {
      if (features.has(name)) problems.push({ path: ['segments', index, 'id'], message: `this model adds the feature "${name}", which already exists; rename the segmentation or the feature` });
      features.set(name, 'number');
    }
    // Model segments are named <model id>-<n> at run time: another segmentation must not take such an id.
    const clash = modelIds.find((model) => model !== segmentation.id && new RegExp(`^${model}-(\\d+|anomalous)$`).test(segmentation.id));
    if (clash) problems.push({ path: ['segments', index, 'id'], message: `"${segmentation.id}" looks like a segment of model "${clash}" (its segments are ${clash}-1, ${clash}-2, …); choose another id` });
  });
  mapping.segments.forEach((segmentation, index) => {
    if (segmentation.model === 'rules') {
      if (segmentation.rule === '') return;
      const parsed = parseRule(segmentation.rule);
      const errors = parsed.ok ? checkRule(parsed.ast, features) : parsed.errors;
      for (const error of errors) {
        problems.push({ path: ['segments', index, 'rule'], message: error.message, offset: error.offset });
      }
    }
  });
  problems.push(...checkSinks(mapping, features));
  problems.push(...checkTriggers(raw, mapping.sinks, triggerSegmentProblem(mapping)));
  problems.push(...checkExperiments(raw));
  problems.push(...checkConsentCategories(raw));
  return problems;
}

/** Segmentations that are not clustering/scoring models (no features to check, no <id>-<n> segments). */
const NOT_MODELS: ReadonlySet<string> = new Set(['rfm', 'rules', 'audiences']);

/** A model's feature references: every feature exists, log1p/direction/weights name only the model's features. */
function checkModel(segmentation: Record<string, unknown>, index: number, known: ReadonlyMap<string, unknown>): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  const path = ['segments', index];
  const features = Array.isArray(segmentation.features) ? segmentation.features.filter((name): name is string => typeof name === 'string') : [];
  features.forEach((name, position) => {
    if (!known.has(name)) {
      const resolved = resolveFeatureName(name);
      problems.push({ path: [...path, 'features', position], message: 'reason' in resolved ? `${resolved.reason} (include it under features first)` : `"${name}" is not an included feature; add it to features.include` });
    }
  });
  duplicates(features, (position, name) => problems.push({ path: [...path, 'features', position], message: `"${name}" is listed twice` }));
  const inModel = new Set(features);
  const log1p = Array.isArray(segmentation.log1p) ? segmentation.log1p : [];
  log1p.forEach((name, position) => {
    if (typeof name === 'string' && !inModel.has(name)) problems.push({ path: [...path, 'log1p', position], message: `"${name}" is not one of this model's features (${features.join(', ')})` });
  });
  for (const key of ['direction', 'weights'] as const) {
    const map = segmentation[key];
    if (typeof map !== 'object' || map === null) continue;
    if (Object.keys(map).length === 0) problems.push({ path: [...path, key], message: key === 'direction' ? 'name at least one feature and which way is "more engaged", e.g. { frequency: up }' : 'give at least one feature a weight' });
    for (const name of Object.keys(map)) {
      if (!inModel.has(name)) problems.push({ path: [...path, key, name], atKey: true, message: `"${name}" is not one of this model's features (${features.join(', ')})` });
    }
  }
  if (typeof segmentation.where === 'string' && segmentation.where !== '') {
    const parsed = parseRule(segmentation.where);
    const errors = parsed.ok ? checkRule(parsed.ast, known as ReadonlyMap<string, 'number' | 'string' | 'boolean'>) : parsed.errors;
    for (const error of errors) problems.push({ path: [...path, 'where'], message: error.message, offset: error.offset });
  }
  if (segmentation.model === 'kmeans' && Array.isArray(segmentation.k_range)) {
    const [low, high] = segmentation.k_range as [number, number];
    if (low > high) problems.push({ path: [...path, 'k_range'], message: `k_range goes from ${low} down to ${high}; write it low to high` });
  }
  return problems;
}

/** Sink sections: unique ids, and every segment, segmentation and feature they name exists. */
function checkSinks(mapping: Pick<Mapping, 'segments' | 'sinks'>, features: ReadonlyMap<string, unknown>): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  duplicates(mapping.sinks.map((sink) => sink.id), (index, id) => problems.push({ path: ['sinks', index, 'id'], message: `duplicate sink id "${id}"` }));
  const segmentations = new Set(mapping.segments.map((segmentation) => segmentation.id));
  const segmentIds = segmentIdsOf(mapping);
  const known = segmentKnown(mapping);
  const hint = () => `known: ${[...segmentations].join(', ')} (RFM segments as rfm/<slug>, e.g. rfm/champions)`;
  mapping.sinks.forEach((sink, sinkIndex) => {
    for (const [property, source] of Object.entries(sink.properties)) {
      const path = ['sinks', sinkIndex, 'properties', property];
      if ('segments' in source && Array.isArray(source.segments)) {
        source.segments.forEach((id, index) => {
          if (!known(id)) problems.push({ path: [...path, 'segments', index], message: `unknown segment "${id}"; ${hint()}` });
        });
      } else if ('segment_of' in source && !segmentations.has(source.segment_of)) {
        problems.push({ path: [...path, 'segment_of'], message: `unknown segmentation "${source.segment_of}"; ${hint()}` });
      } else if ('feature' in source && !features.has(source.feature)) {
        problems.push({ path: [...path, 'feature'], message: `unknown feature "${source.feature}": include it under features first` });
      }
    }
    sink.lists.forEach((list, index) => {
      if (!known(list.segment)) problems.push({ path: ['sinks', sinkIndex, 'lists', index, 'segment'], message: `unknown segment "${list.segment}"; ${hint()}` });
      else if (list.name !== undefined && segmentations.has(list.segment) && !segmentIds.has(list.segment)) {
        problems.push({ path: ['sinks', sinkIndex, 'lists', index, 'name'], message: `"${list.segment}" has several segments (one list each); a fixed name fits a single segment only` });
      }
    });
  });
  return problems;
}

/** Segment ids known before a run: RFM segments, rule segments, listed audiences. */
function segmentIdsOf(mapping: Pick<Mapping, 'segments'>): Set<string> {
  return new Set(mapping.segments.flatMap((segmentation) =>
    segmentation.model === 'rfm' ? RFM_SEGMENTS.map((named) => `${segmentation.id}/${named.slug}`)
      : segmentation.model === 'audiences' && segmentation.audiences ? segmentation.audiences.map((key) => `${segmentation.id}/${key}`) : [segmentation.id]));
}

/** Whether a sink, list or trigger may name this segment (or segmentation) id. */
function segmentKnown(mapping: Pick<Mapping, 'segments'>): (id: string) => boolean {
  const segmentations = new Set(mapping.segments.map((segmentation) => segmentation.id));
  const segmentIds = segmentIdsOf(mapping);
  // Audiences not listed are whatever keys arrive: any <id>/<key> is accepted for them.
  const openAudiences = mapping.segments.filter((segmentation) => segmentation.model === 'audiences' && !segmentation.audiences).map((segmentation) => `${segmentation.id}/`);
  // Model segments get ids at run time (<segmentation>-<n>, stable across runs); their segmentation is known now.
  const models = mapping.segments.filter((segmentation) => !NOT_MODELS.has(segmentation.model)).map((segmentation) => segmentation.id);
  return (id) => segmentIds.has(id) || segmentations.has(id) || openAudiences.some((prefix) => id.startsWith(prefix) && id.length > prefix.length)
    || models.some((model) => new RegExp(`^${model}-(\\d+|anomalous)$`).test(id));
}

/** A segment trigger needs one segment: a segmentation of several (RFM, a model, audiences) is named by one of its segments. */
function triggerSegmentProblem(mapping: Pick<Mapping, 'segments'>): (id: string) => string | undefined {
  const known = segmentKnown(mapping);
  const several = new Map(mapping.segments.filter((segmentation) => segmentation.model !== 'rules').map((segmentation) => [segmentation.id, segmentation.model]));
  return (id) => {
    const model = several.get(id);
    if (model !== undefined) return `"${id}" is a ${model} segmentation with several segments; name one of them (e.g. ${model === 'rfm' ? `${id}/champions` : model === 'audiences' ? `${id}/<audience key>` : `${id}-1`})`;
    return known(id) ? undefined : `unknown segment "${id}"; name a segment of segments: (RFM segments as rfm/<slug>, e.g. rfm/champions)`;
  };
}

/** The parts of a possibly invalid document the checks need, with bad shapes dropped. */
function bestEffort(raw: Record<string, unknown>): Pick<Mapping, 'sources' | 'segments' | 'features' | 'sinks'> {
  const array = (value: unknown): Record<string, unknown>[] =>
    Array.isArray(value) ? value.map((item) => (typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {})) : [];
  const features = (typeof raw.features === 'object' && raw.features !== null ? raw.features : {}) as Record<string, unknown>;
  const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);
  return {
    sources: array(raw.sources).map((source) => ({ ...source, id: text(source.id, ''), type: text(source.type, '') })),
    sinks: array(raw.sinks).map((sink) => ({
      ...sink,
      id: text(sink.id, ''),
      properties: (typeof sink.properties === 'object' && sink.properties !== null && !Array.isArray(sink.properties) ? sink.properties : {}) as Record<string, never>,
      lists: array(sink.lists).filter((list) => typeof list.segment === 'string'),
    })) as unknown as Mapping['sinks'],
    segments: array(raw.segments).map((segment) => ({
      ...segment,
      id: text(segment.id, ''),
      model: text(segment.model, ''),
      name: text(segment.name, ''),
      rule: text(segment.rule, ''),
      recency: text(segment.recency, 'recency_days'),
      frequency: text(segment.frequency, 'frequency'),
      monetary: text(segment.monetary, 'monetary'),
    })) as unknown as Mapping['segments'],
    features: {
      include: Array.isArray(features.include) ? features.include.filter((name): name is string => typeof name === 'string') : [],
      custom: array(features.custom).map((custom) => ({ ...custom, name: text(custom.name, ''), kind: text(custom.kind, 'count') })) as unknown as Mapping['features']['custom'],
      missing: (typeof features.missing === 'object' && features.missing !== null ? features.missing : {}) as Mapping['features']['missing'],
      scaling: (typeof features.scaling === 'object' && features.scaling !== null && Array.isArray((features.scaling as { columns?: unknown }).columns)
        ? { method: 'zscore', ...features.scaling, columns: ((features.scaling as { columns: unknown[] }).columns).filter((name): name is string => typeof name === 'string') }
        : undefined) as Mapping['features']['scaling'],
    } as Mapping['features'],
  };
}

function duplicates(values: readonly string[], report: (index: number, value: string) => void): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) report(index, value);
    seen.add(value);
  });
}

/**
 * Every `${env:NAME}` reference whose variable is unset or empty, so
 * `segflow validate` says so before a run fails on it late. A sink with
 * `sandbox: true` never reads its credentials (wiring drops them), so its
 * references are not required. Pure: the environment is passed in.
 */
export function checkSecretsSet(document: unknown, env: Readonly<Record<string, string | undefined>>): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  const visit = (value: unknown, path: PathSegment[]): void => {
    if (Array.isArray(value)) value.forEach((item, index) => visit(item, [...path, index]));
    else if (typeof value === 'object' && value !== null) {
      if (path.length === 2 && path[0] === 'sinks' && (value as { sandbox?: unknown }).sandbox === true) return;
      for (const [key, child] of Object.entries(value)) visit(child, [...path, key]);
    } else if (typeof value === 'string') {
      const reference = SECRET_REFERENCE.exec(value);
      const name = reference?.[1];
      if (name !== undefined && (env[name] ?? '') === '') {
        problems.push({ path, message: `${owner(document, path)}: environment variable ${name} is not set (referenced as ${value}); export it before running` });
      }
      // A secret file is checked as the server will read it: present, a file, private, not empty.
      if (reference?.[2] !== undefined) {
        try {
          resolveSecret(value, env, owner(document, path));
        } catch (error) {
          problems.push({ path, message: (error as Error).message });
        }
      }
    }
  };
  visit(document, []);
  return problems;
}

/** `sink "hubspot" field access_token`, `source "web" field path`, or the dotted path elsewhere. */
function owner(document: unknown, path: readonly PathSegment[]): string {
  const [section, index, ...rest] = path;
  if ((section === 'sinks' || section === 'sources') && typeof index === 'number') {
    const item = (document as Record<string, unknown[]>)[section]?.[index] as { id?: unknown } | undefined;
    const id = typeof item?.id === 'string' ? item.id : String(index);
    return `${section === 'sinks' ? 'sink' : 'source'} "${id}" field ${rest.join('.')}`;
  }
  return path.join('.');
}
