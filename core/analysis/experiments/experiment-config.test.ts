import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatIssue } from '../../config/config-issue.js';
import { parseMappingText } from '../../config/load-mapping.js';
import { buildMappingSchema } from '../../config/mapping-schema.js';

// Stand-ins for the connectors' schemas: core never imports connectors.
const schema = buildMappingSchema(
  [z.strictObject({ type: z.literal('segment-files'), id: z.string(), path: z.string() })],
  [z.strictObject({ type: z.literal('hubspot') })],
);

const mapping = (experiments: string, properties = '      segflow_holdout_winback: { holdout: winback }') => `version: 1
sources:
  - id: web
    type: segment-files
    path: events.jsonl
features:
  include: [frequency, recency_days]
segments:
  - id: rfm
    model: rfm
  - id: lapsed
    model: rules
    name: Lapsed buyers
    rule: recency_days > 60
sinks:
  - id: crm
    type: hubspot
    properties:
${properties}
analysis:
  experiments:
${experiments}`;

function issues(text: string): string[] {
  const result = parseMappingText('m.yaml', text, schema);
  return result.ok ? [] : result.issues.map(formatIssue);
}

describe('analysis.experiments in the mapping', () => {
  it('fills in the defaults: a 10% holdout, a 30-day window; salt and conversion event fall back at run time', () => {
    const result = parseMappingText('m.yaml', mapping(`    - id: winback
      segment: rfm/at_risk
      start: "2026-05-01"`), schema);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.mapping.analysis?.experiments).toEqual([{ id: 'winback', segment: 'rfm/at_risk', start: '2026-05-01', holdout_share: 0.1, window: '30d' }]);
  });

  it.each(['rfm/at_risk', 'At Risk', 'rfm', 'lapsed', 'Lapsed buyers'])('accepts "%s" as the segment', (segment) => {
    expect(issues(mapping(`    - id: winback
      segment: "${segment}"
      start: "2026-05-01"`))).toEqual([]);
  });

  it('reports every mistake at its line and column', () => {
    const text = mapping(`    - id: winback
      segment: rfm/sleepers
      start: "2026-05-01"
    - id: winback
      segment: lapsed
      holdout_share: 1.5
      start: May 1
      window: a month
      covariate: monetary`, '      segflow_holdout_spring: { holdout: spring }');
    expect(issues(text)).toEqual([
      'm.yaml:19:42 sinks.0.properties.segflow_holdout_spring.holdout: unknown experiment "spring"; experiments: winback',
      'm.yaml:23:16 analysis.experiments.0.segment: unknown segment "rfm/sleepers"; known: rfm, lapsed (RFM segments as rfm/<slug> or by name, model segments as <model>-<n>)',
      'm.yaml:25:11 analysis.experiments.1.id: duplicate experiment id "winback"',
      'm.yaml:27:22 analysis.experiments.1.holdout_share: expected a share between 0 and 1, e.g. 0.1',
      'm.yaml:28:14 analysis.experiments.1.start: expected a date YYYY-MM-DD, e.g. "2026-05-01"',
      'm.yaml:29:15 analysis.experiments.1.window: expected a duration like "30m", "24h", "90d" or "2w"',
      'm.yaml:30:18 analysis.experiments.1.covariate: Invalid option: expected one of "revenue"|"conversions"',
    ]);
  });

  it('says to define the experiment when a sink names one and there are none', () => {
    const text = mapping('', '      segflow_holdout_winback: { holdout: winback }').replace(/analysis:\n {2}experiments:\n$/, '');
    expect(issues(text)).toEqual(['m.yaml:19:43 sinks.0.properties.segflow_holdout_winback.holdout: no experiment "winback": define it under analysis.experiments (id, segment, start)']);
  });
});
