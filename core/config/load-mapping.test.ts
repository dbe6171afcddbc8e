import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatIssue } from './config-issue.js';
import { parseMappingText } from './load-mapping.js';
import { buildMappingSchema } from './mapping-schema.js';

// A stand-in source schema: core never imports connectors.
const schema = buildMappingSchema([
  z.strictObject({ type: z.literal('segment-files'), id: z.string(), path: z.string(), api_key: z.string().optional() }),
]);

const GOOD = `version: 1
sources:
  - id: web
    type: segment-files
    path: events.jsonl
features:
  include: [recency_days, frequency_90d]
segments:
  - id: rfm
    model: rfm
  - id: lapsed
    model: rules
    name: Lapsed
    rule: recency_days > 60 and frequency_90d >= 3
`;

describe('mapping loader', () => {
  it('accepts a valid mapping and applies defaults', () => {
    const result = parseMappingText('good.yaml', GOOD, schema);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.mapping.sessions.gap).toBe('30m');
    expect(result.mapping.features.as_of).toBe('latest');
    expect(result.mapping.identity.merge_user_ids).toBe('alias_only');
  });

  it('reports five mistakes as five located errors, in file order', () => {
    const text = `version: 1
sources:
  - id: web
    type: segment-files
    path: events.jsonl
    api_key: sk_live_123
features:
  include: [recency_days, frequncy_90d]
sesions:
  gap: 30m
segments:
  - id: lapsed
    model: rules
    name: Lapsed
    rule: recency_days > 60 and monetary_90d >=
  - id: Bad Id
    model: rules
    name: x
    rule: recency_days > 1
`;
    const result = parseMappingText('mappings/bad.yaml', text, schema);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.issues.map(formatIssue);
    expect(lines).toEqual([
      expect.stringMatching(/^mappings\/bad\.yaml:6:14 sources\.0\.api_key: "api_key" holds a literal secret; put it in an environment variable/),
      expect.stringMatching(/^mappings\/bad\.yaml:8:27 features\.include\.1: unknown feature "frequncy_90d"; did you mean "frequency_90d"\?/),
      expect.stringMatching(/^mappings\/bad\.yaml:9:1 sesions: unknown key "sesions"/),
      // The rule's own column (38) maps to the file's column: 11 + 37.
      expect.stringMatching(/^mappings\/bad\.yaml:15:48 segments\.0\.rule: expected an expression after ">=" at column 38/),
      expect.stringMatching(/^mappings\/bad\.yaml:16:9 segments\.1\.id: expected a lowercase id/),
    ]);
  });

  it('points at an unknown feature inside a rule and at a secret given as ${env:NAME} not at all', () => {
    const text = GOOD.replace('frequency_90d >= 3', 'frequency_90d >= 3 and monetry > 10').replace('path: events.jsonl', 'path: events.jsonl\n    api_key: ${env:SEGMENT_KEY}');
    const result = parseMappingText('m.yaml', text, schema);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map(formatIssue)).toEqual([expect.stringMatching(/^m\.yaml:15:56 segments\.1\.rule: unknown feature "monetry" at column 46; did you mean "monetary"?/)]);
  });

  it('checks that scaled columns are included features', () => {
    const text = GOOD.replace('  include: [recency_days, frequency_90d]', '  include: [recency_days, frequency_90d]\n  scaling:\n    method: robust\n    columns: [recency_days, tenure_days]');
    const result = parseMappingText('m.yaml', text, schema);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map(formatIssue)).toEqual(['m.yaml:10:29 features.scaling.columns.1: cannot scale "tenure_days": it is not an included feature']);
  });

  it('lets rules use RFM scores but not the features stage, which runs before RFM', () => {
    const text = GOOD.replace('  include: [recency_days, frequency_90d]', '  include: [recency_days, frequency_90d]\n  missing:\n    rfm_m: zero')
      .replace('rule: recency_days > 60 and frequency_90d >= 3', "rule: rfm_segment = 'champions' and rfm_m >= 4");
    const result = parseMappingText('m.yaml', text, schema);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map(formatIssue)).toEqual(['m.yaml:9:5 features.missing.rfm_m: "rfm_m" is an RFM score, computed after the missing-value policy runs; it cannot have one']);
  });

  it('points at a multi-line rule (block scalar) itself, with the column inside the rule', () => {
    const text = GOOD.replace('    rule: recency_days > 60 and frequency_90d >= 3', '    rule: >-\n      recency_days > 60\n      and frequncy_90d >= 3');
    const result = parseMappingText('m.yaml', text, schema);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map(formatIssue)).toEqual([expect.stringMatching(/^m\.yaml:14:11 segments\.1\.rule: unknown feature "frequncy_90d" at column 23/)]);
  });

  it('locates trigger mistakes: an unknown sink, a kind of another vendor, an unknown segment, a duplicate id, a bad zone', () => {
    const text = `${GOOD}sinks:
  - id: crm
    type: hubspot
triggers:
  quiet_hours: { start: "21:00", end: "08:00", default_timezone: Europe/Berlinn }
  rules:
    - id: cart
      kind: absence
      purpose: marketing
      after: Product Added
      absent: Order Completed
      within: 30m
      actions:
        - { sink: mail, kind: hubspot:event, target: cart_abandoned }
    - id: cart
      kind: segment
      purpose: marketing
      segment: vips
      on: entered
      actions:
        - { sink: crm, kind: marketo:campaign, target: Welcome }
`;
    const withSink = buildMappingSchema(
      [z.strictObject({ type: z.literal('segment-files'), id: z.string(), path: z.string() })],
      [z.strictObject({ type: z.literal('hubspot') })],
    );
    const result = parseMappingText('m.yaml', text, withSink);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map(formatIssue)).toEqual([
      expect.stringMatching(/^m\.yaml:19:66 triggers\.quiet_hours\.default_timezone: unknown time zone "Europe\/Berlinn"/),
      expect.stringMatching(/^m\.yaml:28:19 triggers\.rules\.0\.actions\.0\.sink: unknown sink "mail"; known: crm/),
      expect.stringMatching(/^m\.yaml:29:11 triggers\.rules\.1\.id: duplicate trigger id "cart"/),
      expect.stringMatching(/^m\.yaml:32:16 triggers\.rules\.1\.segment: unknown segment "vips"/),
      expect.stringMatching(/^m\.yaml:35:30 triggers\.rules\.1\.actions\.0\.kind: sink "crm" is a hubspot sink/),
    ]);
  });

  it('locates model and sink mistakes: unknown feature, log1p outside the model, a bad where, an unknown segment in a sink', () => {
    const text = `${GOOD}  - id: behavior
    model: kmeans
    features: [recency_days, frequncy_90d]
    log1p: [monetary]
    where: frequency_90d >>= 1
sinks:
  - id: crm
    type: hubspot
    properties:
      tags: { segments: [lapsed, vips] }
`;
    const withSink = buildMappingSchema(
      [z.strictObject({ type: z.literal('segment-files'), id: z.string(), path: z.string() })],
      [z.strictObject({ type: z.literal('hubspot') })],
    );
    const result = parseMappingText('m.yaml', text, withSink);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const messages = result.issues.map(formatIssue);
    expect(messages).toEqual([
      expect.stringMatching(/^m\.yaml:17:30 segments\.2\.features\.1: unknown feature "frequncy_90d".*frequency_90d/),
      expect.stringMatching(/^m\.yaml:18:13 segments\.2\.log1p\.0: "monetary" is not one of this model's features/),
      expect.stringMatching(/^m\.yaml:19:26 segments\.2\.where: ">>=" is not an operator/),
      expect.stringMatching(/^m\.yaml:24:34 sinks\.0\.properties\.tags\.segments\.1: unknown segment "vips"/),
    ]);
  });

  it('rejects ids and features that would collide with what models add at run time', () => {
    const text = `${GOOD}  - id: behavior
    model: kmeans
    features: [recency_days]
  - id: behavior-1
    model: rules
    name: Clash
    rule: recency_days > 1
  - id: eng
    model: pca
    features: [recency_days]
    direction: {}
`;
    const result = parseMappingText('m.yaml', text, schema);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((issue) => issue.message)).toEqual([
      '"behavior-1" looks like a segment of model "behavior" (its segments are behavior-1, behavior-2, …); choose another id',
      'name at least one feature and which way is "more engaged", e.g. { frequency: up }',
    ]);
  });
});
