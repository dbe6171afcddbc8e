import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatIssue } from '../../../core/config/config-issue.js';
import { parseMappingText } from '../../../core/config/load-mapping.js';
import { buildMappingSchema } from '../../../core/config/mapping-schema.js';
import { resolveWebhookConfig, WebhookSinkSchema } from './webhook-sink-config.js';

const schema = buildMappingSchema([z.strictObject({ type: z.literal('segment-files'), id: z.string(), path: z.string() })], [WebhookSinkSchema]);

const mapping = (sink: string) => `version: 1
sources:
  - id: web
    type: segment-files
    path: events.jsonl
features:
  include: [recency_days]
segments:
  - id: lapsed
    model: rules
    name: Lapsed
    rule: recency_days > 60
sinks:
  - id: hooks
    type: webhook
${sink}`;

function issuesOf(text: string): string[] {
  const result = parseMappingText('mappings/hooks.yaml', text, schema);
  return result.ok ? [] : result.issues.map(formatIssue);
}

describe('webhook sink section', () => {
  it('accepts an https URL with a ${env:…} secret, and http only on the loopback', () => {
    expect(issuesOf(mapping('    url: https://hooks.example.com/segflow\n    secret: ${env:HOOK_SECRET}\n    max_batch: 100\n    timeout: 10s\n'))).toEqual([]);
    expect(issuesOf(mapping('    url: http://127.0.0.1:8080/hooks\n    secret: ${env:HOOK_SECRET}\n'))).toEqual([]);
    expect(issuesOf(mapping('    url: http://localhost/hooks\n    secret: ${env:HOOK_SECRET}\n'))).toEqual([]);
  });

  it('refuses plain http elsewhere with a located error that says what is allowed', () => {
    expect(issuesOf(mapping('    url: http://hooks.example.com/segflow?token=abc\n    secret: ${env:HOOK_SECRET}\n'))).toEqual([
      'mappings/hooks.yaml:16:10 sinks.0.url: expected an https:// URL, got http://hooks.example.com: actions carry profile data and a signature, so they travel over TLS; plain http is allowed only for http://127.0.0.1 or http://localhost (tests and the sandbox)',
    ]);
  });

  it('reports a literal secret, a batch over 100, a reserved header and a bad timeout, all at once', () => {
    const issues = issuesOf(mapping('    url: https://hooks.example.com/x\n    secret: hunter2\n    max_batch: 500\n    timeout: 5 seconds\n    headers:\n      Idempotency-Key: fixed\n'));
    expect(issues).toEqual([
      expect.stringMatching(/^mappings\/hooks\.yaml:17:13 sinks\.0\.secret: "secret" holds a literal secret/),
      expect.stringMatching(/^mappings\/hooks\.yaml:17:13 sinks\.0\.secret: expected \$\{env:NAME\}/),
      'mappings/hooks.yaml:18:16 sinks.0.max_batch: expected at most 100 actions per POST',
      expect.stringMatching(/^mappings\/hooks\.yaml:19:14 sinks\.0\.timeout: expected a duration like "30m"/),
      'mappings/hooks.yaml:21:24 sinks.0.headers.Idempotency-Key: "Idempotency-Key" is set by segflow (signing, idempotency); remove it from headers',
    ]);
  });

  it('resolves defaults and ${env:…} header values when the sink is created', () => {
    const config = resolveWebhookConfig(
      { type: 'webhook', id: 'hooks', url: 'https://hooks.example.com/x', secret: 'resolved-by-the-engine', headers: { Authorization: '${env:HOOK_TOKEN}' }, properties: {}, lists: [] },
      { HOOK_TOKEN: 'Bearer t0k' },
    );
    expect(config).toEqual({ url: 'https://hooks.example.com/x', secret: 'resolved-by-the-engine', headers: { Authorization: 'Bearer t0k' }, timeoutMs: 5_000, maxBatch: 1, concurrency: 4 });
    expect(() => resolveWebhookConfig({ type: 'webhook', url: 'ftp://hooks.example.com', secret: 'x' })).toThrow(/url: expected an https:\/\/ URL, got ftp:\/\/hooks\.example\.com/);
  });
});
