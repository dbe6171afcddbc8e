import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkspace } from '../core/runtime/index.js';
import { createConnectors } from '../connectors/wiring.js';
import { loadMapping } from '../cli/commands/validate.js';
import { EVERYONE_MAPPING, REPO_ROOT, temporaryDirectory, writeMapping } from './support/run-mapping.js';

/**
 * The command line as a user meets it: help and version, and every mistake
 * answered with one line and the documented exit code (2 for a wrong command
 * line, 1 for a failure), never a stack trace. Each case spawns the CLI
 * through tsx (~1 s), so they run concurrently.
 */
interface Outcome { code: number | null; stdout: string; stderr: string }

function segflow(...args: string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'cli', 'main.ts'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, SEGFLOW_DEBUG: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function lines(text: string): string[] {
  return text.trimEnd().split('\n').filter((line) => line !== '');
}

/** A usage error: exit 2, one `segflow: …` line on stderr naming what was wrong, nothing on stdout. */
function expectUsageError(outcome: Outcome, mentions: string): void {
  expect(outcome.code).toBe(2);
  expect(lines(outcome.stderr)).toHaveLength(1);
  expect(outcome.stderr).toMatch(/^segflow: /);
  expect(outcome.stderr).toContain(mentions);
  expect(outcome.stdout).toBe('');
}

describe('segflow command line', () => {
  it.concurrent('--help lists every command and the exit codes', async () => {
    const { code, stdout } = await segflow('--help');
    expect(code).toBe(0);
    for (const command of ['run', 'plan', 'sync', 'dlq', 'forget', 'sandbox', 'validate', 'generate', 'schema']) {
      expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
    expect(stdout).toContain('exit codes:');
    for (const exitCode of [0, 1, 2, 3]) expect(stdout).toMatch(new RegExp(`^  ${exitCode}  \\w`, 'm'));
  });

  it.concurrent("--version prints package.json's version", async () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const { code, stdout } = await segflow('--version');
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(manifest.version);
  });

  it.concurrent('each command has its own help', async () => {
    const [run, discard] = await Promise.all([segflow('run', '--help'), segflow('dlq', 'discard', '--help')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: segflow run');
    expect(run.stdout).toContain('--state');
    expect(discard.code).toBe(0);
    expect(discard.stdout).toContain('--id');
  });

  it.concurrent('an unknown option is one line naming it, exit 2', async () => {
    const outcome = await segflow('run', 'x.yaml', '--bogus');
    expectUsageError(outcome, "'--bogus'");
    expect(outcome.stderr).toContain('segflow run --help');
  });

  it.concurrent('an unknown command is one line, exit 2', async () => {
    expectUsageError(await segflow('frobnicate'), "'frobnicate'");
  });

  it.concurrent('a missing mapping argument is one line, exit 2', async () => {
    const [run, dlq] = await Promise.all([segflow('run'), segflow('dlq', 'list')]);
    expectUsageError(run, 'file');
    expectUsageError(dlq, 'segflow dlq list --help');
  });

  it.concurrent('bad option values and missing required options are usage errors', async () => {
    const [users, out, forget] = await Promise.all([
      segflow('generate', '--out', 'x.jsonl', '--users', 'lots'),
      segflow('generate', '--users', '10'),
      segflow('forget', 'x.yaml'),
    ]);
    expectUsageError(users, "'lots'");
    expectUsageError(out, '--out');
    expectUsageError(forget, '--email');
  });

  it.concurrent('a mapping file that does not exist is one line naming it, exit 1', async () => {
    const { code, stdout, stderr } = await segflow('run', 'does-not-exist.yaml');
    expect(code).toBe(1);
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toContain('does-not-exist.yaml');
    expect(stderr).not.toMatch(/^ {4}at /m);
    expect(stdout).toBe('');
  });

  it.concurrent('with --json, a failure is also a JSON error object on stdout', async () => {
    const [missing, usage] = await Promise.all([segflow('run', 'does-not-exist.yaml', '--json'), segflow('run', 'x.yaml', '--json', '--bogus')]);
    expect(missing.code).toBe(1);
    const body = JSON.parse(missing.stdout) as { error: { kind: string; message: string } };
    expect(body.error.kind).toBe('user');
    expect(body.error.message).toContain('does-not-exist.yaml');
    expect(lines(missing.stderr)).toHaveLength(1);
    expect(usage.code).toBe(2);
    expect((JSON.parse(usage.stdout) as { error: { kind: string } }).error.kind).toBe('usage');
  });

  it.concurrent('a sink that is not in the mapping, a corrupt state file and a bad mapping: one line each, exit 1', async () => {
    const folder = temporaryDirectory('cli-errors');
    const mapping = writeMapping(folder, `${EVERYONE_MAPPING}sinks:
  - id: crm
    type: hubspot
    sandbox: true
    properties:
      segflow_frequency: { feature: frequency }
`, 'shop.yaml');
    const corrupt = join(folder, 'corrupt');
    mkdirSync(corrupt);
    writeFileSync(join(corrupt, 'state.sqlite'), 'this is not a database, just bytes '.repeat(200));
    const broken = writeMapping(folder, 'version: 1\nsources: []\n', 'broken.yaml');
    const [nope, damaged, invalid] = await Promise.all([
      segflow('dlq', 'list', mapping, '--sink', 'nope'),
      segflow('plan', mapping, '--state', corrupt),
      segflow('run', broken, '--json'),
    ]);
    expect(nope.code).toBe(1);
    expect(lines(nope.stderr)).toEqual([expect.stringMatching(/^segflow: no sink "nope" in .*shop\.yaml \(sinks: crm\)$/)]);
    expect(damaged.code).toBe(1);
    expect(lines(damaged.stderr)).toEqual([expect.stringMatching(/^segflow: .*corrupt\/state\.sqlite is not a readable segflow state file .*: restore it from a backup, or move it away/)]);
    expect(invalid.code).toBe(1);
    const body = JSON.parse(invalid.stdout) as { error: { kind: string; message: string } };
    expect(body.error.kind).toBe('config');
    expect(body.error.message).toMatch(/broken\.yaml:\d+:\d+ /);
  });

  it.concurrent('while another process owns the event store (as `segflow serve` will), a run says so in one line', async () => {
    const folder = temporaryDirectory('cli-owned');
    writeFileSync(join(folder, 'events.jsonl'), '');
    const mapping = writeMapping(folder, EVERYONE_MAPPING, 'owned.yaml');
    const loaded = loadMapping(mapping);
    if (!loaded.ok) throw new Error('mapping');
    const owner = await openWorkspace({ mapping: loaded.mapping, mappingFile: mapping, connectors: createConnectors(), stateDir: join(folder, 'state') });
    try {
      await owner.events();
      const second = await segflow('run', mapping, '--state', join(folder, 'state'));
      expect(second.code).toBe(1);
      expect(lines(second.stderr)).toEqual([expect.stringMatching(new RegExp(`^segflow: .*events\\.duckdb is in use by another segflow process \\(PID ${process.pid}\\): wait for it to finish; if it is \`segflow serve\``))]);
    } finally {
      await owner.close();
    }
  });

  it.concurrent('segflow alone prints the help on stderr, exit 2', async () => {
    const { code, stdout, stderr } = await segflow();
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: segflow');
    expect(stderr).toContain('exit codes:');
  });
});
