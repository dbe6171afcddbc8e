import type { LocatedProblem } from '../../config/located-problem.js';
import { RFM_SEGMENTS } from '../../segments/rfm-names.js';

/**
 * The references of `analysis.experiments` the schema cannot check: unique
 * ids, a `segment` that names a segment, segmentation or segment name the
 * mapping defines, and sink properties `{ holdout: <id> }` that name an
 * experiment. Works on a possibly invalid document (plain data), so one pass
 * of the loader reports every problem.
 */
export function checkExperiments(input: Record<string, unknown>): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  const analysis = record(input.analysis);
  const experiments = Array.isArray(analysis.experiments) ? analysis.experiments.map(record) : [];
  const ids = new Set<string>();
  const known = knownSegments(Array.isArray(input.segments) ? input.segments.map(record) : []);
  experiments.forEach((experiment, index) => {
    const path = ['analysis', 'experiments', index];
    if (typeof experiment.id === 'string') {
      if (ids.has(experiment.id)) problems.push({ path: [...path, 'id'], message: `duplicate experiment id "${experiment.id}"` });
      ids.add(experiment.id);
    }
    if (typeof experiment.segment === 'string' && !known.matches(experiment.segment)) {
      problems.push({ path: [...path, 'segment'], message: `unknown segment "${experiment.segment}"; ${known.hint}` });
    }
  });
  const sinks = Array.isArray(input.sinks) ? input.sinks.map(record) : [];
  sinks.forEach((sink, sinkIndex) => {
    for (const [name, source] of Object.entries(record(sink.properties))) {
      const holdout = record(source).holdout;
      if (typeof holdout === 'string' && !ids.has(holdout)) {
        problems.push({
          path: ['sinks', sinkIndex, 'properties', name, 'holdout'],
          message: ids.size === 0
            ? `no experiment "${holdout}": define it under analysis.experiments (id, segment, start)`
            : `unknown experiment "${holdout}"; experiments: ${[...ids].join(', ')}`,
        });
      }
    }
  });
  return problems;
}

/**
 * What an experiment's segment may name before any run: rule segment ids
 * and names, RFM segments (rfm/<slug> or their names), segmentation ids,
 * and model segments by id (<model>-<n>; their names are chosen at run time).
 */
function knownSegments(segmentations: ReadonlyArray<Record<string, unknown>>): { matches: (reference: string) => boolean; hint: string } {
  const names = new Set<string>();
  const ids = new Set<string>();
  const models: string[] = [];
  for (const segmentation of segmentations) {
    if (typeof segmentation.id !== 'string') continue;
    ids.add(segmentation.id);
    if (segmentation.model === 'rfm') {
      for (const named of RFM_SEGMENTS) {
        ids.add(`${segmentation.id}/${named.slug}`);
        names.add(named.name);
      }
    } else if (segmentation.model === 'rules') {
      if (typeof segmentation.name === 'string') names.add(segmentation.name);
    } else models.push(segmentation.id);
  }
  return {
    matches: (reference) => ids.has(reference) || names.has(reference) || models.some((model) => new RegExp(`^${model}-(\\d+|anomalous)$`).test(reference)),
    hint: `known: ${segmentations.map((segmentation) => segmentation.id).filter((id) => typeof id === 'string').join(', ')} (RFM segments as rfm/<slug> or by name, model segments as <model>-<n>)`,
  };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
