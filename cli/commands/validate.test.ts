import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { validateCommand } from './validate.js';

async function validate(text: string, env: Record<string, string> = {}, files: Record<string, string> = {}) {
  const directory = temporaryDirectory('validate');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(directory, name), content);
  const file = join(directory, 'mapping.yaml');
  writeFileSync(file, text);
  let output = '';
  const code = await validateCommand(file, (chunk) => (output += chunk), { env });
  return { code, lines: output.trimEnd().split('\n'), file };
}

const SEGMENTS = `features:
  include: [frequency]
segments:
  - id: all
    model: rules
    name: Everyone
    rule: frequency >= 0
`;

describe('segflow validate: what a run would meet first', () => {
  it('reports a source path that does not exist and a glob that matches nothing, at the path', async () => {
    const { code, lines, file } = await validate(`version: 1
sources:
  - id: web
    type: segment-files
    path: exports/events.jsonl
  - id: pos
    type: csv-orders
    path: "orders/*.csv"
    columns: { order_id: o, customer_id: c, timestamp: t, quantity: q, unit_price: p }
${SEGMENTS}`);
    expect(code).toBe(1);
    expect(lines[0]).toMatch(new RegExp(`^${file}:5:11 sources\\.0\\.path: source "web": .*exports/events\\.jsonl does not exist`));
    expect(lines[1]).toMatch(new RegExp(`^${file}:8:11 sources\\.1\\.path: source "pos": no \\.csv or \\.csv\\.gz file matches .*orders/\\*\\.csv`));
    expect(lines[2]).toBe(`2 problems in ${file}`);
  });

  it('reports a ${env:NAME} whose variable is unset, naming the sink and field; a sandbox sink needs none', async () => {
    const mapping = `version: 1
sources:
  - id: web
    type: segment-files
    path: events.jsonl
${SEGMENTS}sinks:
  - id: crm
    type: hubspot
    access_token: \${env:HUBSPOT_TOKEN}
    properties:
      segflow_segments: { segments: all }
  - id: rehearsal
    type: hubspot
    sandbox: true
    access_token: \${env:REHEARSAL_TOKEN}
    properties:
      segflow_segments: { segments: all }
`;
    const files = { 'events.jsonl': '' };
    const unset = await validate(mapping, {}, files);
    expect(unset.code).toBe(1);
    expect(unset.lines).toEqual([
      `${unset.file}:16:19 sinks.0.access_token: sink "crm" field access_token: environment variable HUBSPOT_TOKEN is not set (referenced as \${env:HUBSPOT_TOKEN}); export it before running`,
      `1 problem in ${unset.file}`,
    ]);
    const set = await validate(mapping, { HUBSPOT_TOKEN: 'pat-1' }, files);
    expect(set.lines).toEqual([`${set.file}: ok (1 source(s), 1 segmentation(s))`]);
    expect(set.code).toBe(0);
  });
});
