import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateCommand } from '../cli/commands/validate.js';
import { exportTrail } from '../core/audit/index.js';
import { openWorkspace } from '../core/runtime/index.js';
import { SANDBOXES } from '../connectors/sandbox.js';
import { createConnectors } from '../connectors/wiring.js';
import { loadMapping } from '../cli/commands/validate.js';
import { segflow } from './support/segflow-cli.js';
import { EVERYONE_MAPPING, runMapping, temporaryDirectory, writeMapping } from './support/run-mapping.js';

/**
 * Key rotation as an operator does it: a run with key k1 keeps the synced
 * e-mails sealed in state.sqlite; `segflow keys rotate` with "k2,k1" prints
 * what it re-encrypted per table and records a key_rotation entry in the
 * audit trail; with k1 removed from the environment the next run reads the
 * sink state back (nothing is re-created at the vendor's side of the
 * state); without any key, validate says once that PII at rest is unencrypted.
 */
const K1 = `k1:${Buffer.alloc(32, 11).toString('base64')}`;
const K2 = `k2:${Buffer.alloc(32, 22).toString('base64')}`;
const EMAILS = ['canary-rotate-1@example.com', 'canary-rotate-2@example.com'];
const EVENTS = EMAILS.map((email, index) => JSON.stringify({
  type: 'identify', userId: `user-${index}`, messageId: `m-${index}`, timestamp: '2026-11-01T00:00:00Z', traits: { email },
})).join('\n');
const SINK = `sinks:
  - id: crm
    type: hubspot
    sandbox: true
    properties:
      email: { trait: email }
`;

function stateFileBytes(stateDir: string): Buffer {
  return Buffer.concat(readdirSync(stateDir).filter((name) => name.startsWith('state.sqlite')).map((name) => readFileSync(join(stateDir, name))));
}

describe('segflow keys rotate', () => {
  it('re-encrypts the state under the new key, records it, and the old key can go', async () => {
    const folder = temporaryDirectory('keys-rotate');
    const stateDir = join(folder, 'state');
    writeFileSync(join(folder, 'events.jsonl'), `${EVENTS}\n`);
    const mapping = writeMapping(folder, `${EVERYONE_MAPPING}${SINK}`, 'shop.yaml');
    const env = (keys: string) => ({ ...process.env, SEGFLOW_STATE: '', SEGFLOW_PII_ENCRYPTION_KEYS: keys });

    const first = await runMapping(mapping, stateDir, () => Date.parse('2026-11-02T00:00:00Z'), env(K1));
    expect(first.sync?.[0]?.execution?.applied).toBeGreaterThan(0);
    const bytes = stateFileBytes(stateDir);
    for (const email of EMAILS) expect(bytes.includes(email), email).toBe(false);

    const rotated = await segflow(['keys', 'rotate', mapping, '--state', stateDir], { SEGFLOW_STATE: '', SEGFLOW_DEBUG: '', SEGFLOW_PII_ENCRYPTION_KEYS: `${K2},${K1}` });
    expect(rotated.stderr).toBe('');
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/^ {2}sink_acks +2 row\(s\): 4 value\(s\) re-encrypted, 0 encrypted from plaintext$/m);
    expect(rotated.stdout).toMatch(/every encrypted value is under key "k2" \(audit entry #\d+\); k1 can now leave SEGFLOW_PII_ENCRYPTION_KEYS/);

    const loaded = loadMapping(mapping);
    if (!loaded.ok) throw new Error('mapping');
    const workspace = await openWorkspace({ mapping: loaded.mapping, mappingFile: mapping, connectors: createConnectors({ sandboxes: SANDBOXES }), stateDir, env: env(K2) });
    try {
      const trail = await exportTrail(workspace.state, workspace.env, { now: () => Date.now() });
      expect(trail.verdict.intact).toBe(true);
      const rotation = trail.text.split('\n').map((line) => (line === '' ? {} : JSON.parse(line) as { kind?: string; detail?: Record<string, unknown> })).find((entry) => entry.kind === 'key_rotation');
      expect(rotation?.detail).toMatchObject({ name: 'SEGFLOW_PII_ENCRYPTION_KEYS', reencrypted: 4 });
      expect(rotation?.detail?.newFingerprint).not.toBe(rotation?.detail?.previousFingerprint);
      expect(trail.text).not.toContain(Buffer.alloc(32, 22).toString('base64'));
      const acked = await workspace.state.account((await workspace.state.sql.get<{ account: string }>('SELECT account FROM sink_acks LIMIT 1'))?.account ?? '').loadAcked();
      expect([...acked.values()].map((record) => record.key).sort()).toEqual(EMAILS);
    } finally {
      await workspace.close();
    }
    // The old key gone from the environment: a second run reads its state and completes.
    const second = await runMapping(mapping, stateDir, () => Date.parse('2026-11-03T00:00:00Z'), env(K2));
    expect(second.sync?.[0]?.error).toBeUndefined();
  });

  it('validate says once, on its note channel, that PII at rest is unencrypted without a key', async () => {
    const folder = temporaryDirectory('keys-note');
    writeFileSync(join(folder, 'events.jsonl'), `${EVENTS}\n`);
    const mapping = writeMapping(folder, EVERYONE_MAPPING, 'shop.yaml');
    const notes: string[] = [];
    const out: string[] = [];
    expect(await validateCommand(mapping, (text) => out.push(text), { env: {}, note: (text) => notes.push(text) })).toBe(0);
    expect(notes).toEqual([expect.stringMatching(/^segflow: note: PII at rest is unencrypted .*SEGFLOW_PII_ENCRYPTION_KEYS=<id>:<base64 key>.*\n$/)]);
    notes.length = 0;
    expect(await validateCommand(mapping, (text) => out.push(text), { env: { SEGFLOW_PII_ENCRYPTION_KEYS: K1 }, note: (text) => notes.push(text) })).toBe(0);
    expect(notes).toEqual([]);
    await expect(validateCommand(mapping, () => undefined, { env: { SEGFLOW_PII_ENCRYPTION_KEYS: 'k1:short' }, note: () => undefined })).rejects.toThrow('SEGFLOW_PII_ENCRYPTION_KEYS: key "k1" must be 32 bytes for AES-256, not 3');
  });
});
