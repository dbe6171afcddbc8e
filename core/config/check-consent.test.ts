import { describe, expect, it } from 'vitest';
import { loadMapping } from '../../cli/commands/validate.js';
import { formatIssue } from './config-issue.js';
import { temporaryDirectory, writeMapping } from '../../test/support/run-mapping.js';

const mapping = (privacy: string) => `version: 1
sources:
  - id: web
    type: segment-files
    path: events.jsonl
features:
  include: [frequency, monetary]
segments:
  - id: all
    model: rules
    name: Everyone
    rule: frequency >= 0
sinks:
  - id: crm
    type: hubspot
    sandbox: true
    consent_categories: [Marketting]
triggers:
  rules:
    - id: again
      kind: repetition
      purpose: analytics
      event: Product Viewed
      at_least: 2
      within: 1h
      actions:
        - { sink: crm, kind: hubspot:event, target: again }
serve:
  profile_api:
    api_keys: ['\${env:PROFILE_KEY}']
    consent_categories: [Ads]
    features: [frequency, { name: monetary, consent: [Personalisation] }]
    segments: { consent: [Marketing] }
${privacy}`;

function issues(text: string): string[] {
  const file = writeMapping(temporaryDirectory('check-consent'), text);
  const loaded = loadMapping(file);
  return loaded.ok ? [] : loaded.issues.map(formatIssue).map((line) => line.slice(line.indexOf('mapping.yaml')));
}

describe('consent categories checked against privacy.consent.categories', () => {
  it('reports every unknown name at its line and column, with the declared list', () => {
    expect(issues(mapping('privacy:\n  consent:\n    categories: [Marketing, Analytics, Advertising]\n'))).toEqual([
      expect.stringMatching(/^mapping\.yaml:17:26 sinks\.0\.consent_categories\.0: sink "crm" names consent category "Marketting", which privacy\.consent\.categories does not declare \(declared: Marketing, Analytics, Advertising\)/),
      expect.stringMatching(/^mapping\.yaml:31:26 serve\.profile_api\.consent_categories\.0: serve\.profile_api names consent category "Ads"/),
      expect.stringMatching(/^mapping\.yaml:32:55 serve\.profile_api\.features\.1\.consent\.0: serve\.profile_api feature "monetary" names consent category "Personalisation"/),
    ]);
  });

  it('matches names case-insensitively (analytics is Analytics), as enforcement does', () => {
    expect(issues(mapping('privacy:\n  consent:\n    categories: [Marketing, marketting, Analytics, ads, Personalisation]\n'))).toEqual([]);
  });

  it('checks nothing when no categories are declared', () => {
    expect(issues(mapping('privacy:\n  consent:\n    required: true\n'))).toEqual([]);
    expect(issues(mapping(''))).toEqual([]);
  });
});
