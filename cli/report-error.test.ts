import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/config/config-issue.js';
import { ConnectorError, UserError } from '../core/errors/index.js';
import { reportError } from './report-error.js';
import { UsageError } from './usage-error.js';

function systemError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

function report(error: unknown, options: { json?: boolean; debug?: boolean } = {}): { exitCode: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const exitCode = reportError(error, {
    json: options.json ?? false,
    debug: options.debug ?? false,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { exitCode, stdout, stderr };
}

describe('reportError', () => {
  it('prints a usage error with a pointer to the help of its command, exit 2', () => {
    expect(report(new UsageError("unknown option '--bogus'", 'segflow run'))).toEqual({
      exitCode: 2, stdout: '', stderr: "segflow: unknown option '--bogus' (see segflow run --help)\n",
    });
  });

  it('prints user, config and connector errors as their message, exit 1', () => {
    expect(report(new UserError('no state in /tmp/s: nothing has been synced yet')).stderr).toBe('segflow: no state in /tmp/s: nothing has been synced yet\n');
    const config = new ConfigError([{ file: 'm.yaml', line: 3, column: 5, path: 'sources.0', message: 'unknown type' }]);
    expect(report(config)).toMatchObject({ exitCode: 1, stderr: `segflow: ${config.message}\n` });
    const connector = new ConnectorError('config', 'hubspot.auth_failed', 'HubSpot rejected the token: renew it');
    expect(JSON.parse(report(connector, { json: true }).stdout)).toEqual({
      error: { kind: 'connector', message: 'HubSpot rejected the token: renew it', code: 'hubspot.auth_failed' },
    });
  });

  it('turns system errors a user can cause into one actionable line', () => {
    const inUse = systemError('listen EADDRINUSE: address already in use 127.0.0.1:4010', { code: 'EADDRINUSE', syscall: 'listen', port: 4010 });
    expect(report(inUse).stderr).toBe('segflow: port 4010 is in use: pick another with --port\n');
    const denied = systemError("EACCES: permission denied, open '/etc/m.yaml'", { code: 'EACCES', syscall: 'open', path: '/etc/m.yaml' });
    expect(report(denied)).toEqual({ exitCode: 1, stdout: '', stderr: 'segflow: permission denied: /etc/m.yaml\n' });
    const missing = systemError("ENOENT: no such file or directory, open 'm.yaml'", { code: 'ENOENT', syscall: 'open', path: 'm.yaml' });
    expect(JSON.parse(report(missing, { json: true }).stdout)).toEqual({ error: { kind: 'user', message: 'no such file or directory: m.yaml' } });
  });

  it('calls anything else an internal error, with the stack only under SEGFLOW_DEBUG', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    const quiet = report(bug);
    expect(quiet.exitCode).toBe(1);
    expect(quiet.stderr).toBe("segflow: internal error: Cannot read properties of undefined (reading 'id') (set SEGFLOW_DEBUG=1 for the stack)\n");
    expect(report(bug, { debug: true }).stderr).toMatch(/\n {4}at /);
  });
});
