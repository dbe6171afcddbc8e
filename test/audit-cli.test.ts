import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forgetJob, openWorkspace } from '../core/runtime/index.js';
import { SANDBOXES } from '../connectors/sandbox.js';
import { createConnectors } from '../connectors/wiring.js';
import { loadMapping } from '../cli/commands/validate.js';
import { EVERYONE_MAPPING, REPO_ROOT, runMapping, temporaryDirectory, writeMapping } from './support/run-mapping.js';

/**
 * The audit trail as a DPO meets it: runs, syncs, a changed mapping and an
 * erasure are recorded by the jobs themselves; `segflow audit verify` passes
 * on the untouched state file, and after one byte of one entry is flipped in
 * that file it exits 1 naming the entry; `segflow audit export` writes the
 * trail as JSONL ending with the head hash, without the erased address.
 */
interface Outcome { code: number | null; stdout: string; stderr: string }

function segflow(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'cli', 'main.ts'), ...args], { cwd: REPO_ROOT, env: { ...process.env, SEGFLOW_DEBUG: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const ERASED = 'canary-audit@example.com';
const EVENTS = ['ann@example.com', ERASED, 'cy@example.com'].map((email, index) => JSON.stringify({
  type: 'identify', userId: `user-${index}`, messageId: `m-${index}`, timestamp: '2026-11-01T00:00:00Z', traits: { email },
})).join('\n');

const SINK = `sinks:
  - id: crm
    type: hubspot
    sandbox: true
    properties:
      segflow_frequency: { feature: frequency }
`;

async function forget(file: string, stateDir: string, env: NodeJS.ProcessEnv) {
  const loaded = loadMapping(file);
  if (!loaded.ok) throw new Error('mapping');
  const workspace = await openWorkspace({ mapping: loaded.mapping, mappingFile: file, connectors: createConnectors({ sandboxes: SANDBOXES }), stateDir, env });
  try {
    return await forgetJob(workspace, { email: ERASED }, new AbortController().signal);
  } finally {
    await workspace.close();
  }
}

describe('segflow audit', () => {
  it('records runs, syncs, a mapping change and an erasure; verify passes, then names the entry a flipped byte changed', async () => {
    const folder = temporaryDirectory('audit-cli');
    const stateDir = join(folder, 'state');
    const env = { ...process.env, SEGFLOW_STATE: '', SEGFLOW_AUDIT_ACTOR: 'test-worker' };
    writeFileSync(join(folder, 'events.jsonl'), `${EVENTS}\n`);
    const mapping = writeMapping(folder, `${EVERYONE_MAPPING}${SINK}`, 'shop.yaml');
    const first = await runMapping(mapping, stateDir, Date.now, env);
    writeMapping(folder, `${EVERYONE_MAPPING}  - id: again\n    model: rules\n    name: Everyone again\n    rule: frequency >= 0\n${SINK}`, 'shop.yaml');
    await runMapping(mapping, stateDir, Date.now, env);
    await forget(mapping, stateDir, env);

    const out = join(folder, 'trail.jsonl');
    const [intact, exported, since] = await Promise.all([
      segflow(env, 'audit', 'verify', mapping, '--state', stateDir),
      segflow(env, 'audit', 'export', mapping, '--state', stateDir, '--out', out),
      segflow(env, 'audit', 'export', mapping, '--state', stateDir, '--since', 'now'),
    ]);
    expect(intact.stderr).toBe('');
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/^audit trail intact: 7 entries, head #7 [0-9a-f]{64} \(hash chain only/);

    expect(exported.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.slice(0, -1).map((line) => line.kind)).toEqual(['sync', 'run', 'sync', 'config_changed', 'run', 'sync', 'erasure']);
    expect(lines.slice(0, -1).every((line) => line.actor === 'test-worker')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ head: { seq: 7, hash: lines[6]?.hash, intact: true } });
    expect(lines[1]?.detail).toMatchObject({ runId: first.runId, status: 'succeeded', profiles: 3, segments: { all: 3 } });
    expect(lines[0]?.detail).toMatchObject({ sinks: [{ sinkId: 'crm', applied: 3, deadLettered: 0 }] });
    expect(lines[6]?.detail).toMatchObject({ profiles: 1, sinksDone: ['crm'], sinksPending: [] });
    expect(text).not.toContain(ERASED);
    expect(since.stdout.trimEnd().split('\n')).toHaveLength(1);

    // One byte of the first run's entry, changed in the file itself (no SQL, no trigger in the way).
    const file = join(stateDir, 'state.sqlite');
    const bytes = readFileSync(file);
    const marker = Buffer.from(`"runId":"${first.runId}","segments"`);
    const at = bytes.indexOf(marker);
    expect(at).toBeGreaterThan(0);
    const flipAt = at + marker.indexOf(Buffer.from(first.runId)) + first.runId.length - 1;
    bytes[flipAt] = (bytes[flipAt] as number) ^ 0x01;
    writeFileSync(file, bytes);

    const broken = await segflow(env, 'audit', 'verify', mapping, '--state', stateDir);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe('');
    expect(broken.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(broken.stderr).toContain('audit trail broken at entry #2: entry #2 was edited');
  });
});
