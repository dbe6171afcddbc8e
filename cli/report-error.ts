import { maskPii } from '../core/privacy/mask-pii.js';
import { ConfigError, type ConfigIssue } from '../core/config/config-issue.js';
import { ConnectorError, UserError } from '../core/errors/index.js';
import { EXIT_CODES, type ExitCode } from './exit-codes.js';
import { UsageError } from './usage-error.js';

export type ErrorKind = 'usage' | 'config' | 'user' | 'connector' | 'internal';

/** What a failed command line tells the user: one kind, one message, one exit code. */
export interface ErrorReport {
  kind: ErrorKind;
  message: string;
  exitCode: ExitCode;
  /** The located problems of a bad mapping, for `--json` consumers. */
  issues?: readonly ConfigIssue[];
  /** The connector's stable code (`hubspot.auth_failed`), for `--json` consumers. */
  code?: string;
}

export interface ReportErrorOptions {
  /** The command line had `--json`: also put the error on stdout as `{"error": {…}}`. */
  json: boolean;
  /** SEGFLOW_DEBUG=1: print the stack of an internal error. */
  debug: boolean;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** Prints a failure the way every segflow command does and returns the exit code. */
export function reportError(error: unknown, options: ReportErrorOptions): ExitCode {
  const report = describeError(error);
  options.stderr.write(`segflow: ${report.message}\n`);
  if (report.kind === 'internal' && options.debug && error instanceof Error && error.stack) options.stderr.write(`${error.stack}\n`);
  if (options.json) {
    const { exitCode: _exitCode, ...body } = report;
    options.stdout.write(`${JSON.stringify({ error: body }, null, 2)}\n`);
  }
  return report.exitCode;
}

export function describeError(error: unknown): ErrorReport {
  if (error instanceof UsageError) return { kind: 'usage', message: `${error.message} (see ${error.commandPath} --help)`, exitCode: EXIT_CODES.usage };
  if (error instanceof ConfigError) return { kind: 'config', message: error.message, exitCode: EXIT_CODES.error, issues: error.issues };
  // A vendor's message may echo a record: masked before it reaches stderr or --json.
  if (error instanceof ConnectorError) return { kind: 'connector', message: maskPii(error.message), exitCode: EXIT_CODES.error, code: error.code };
  if (error instanceof UserError) return { kind: 'user', message: error.message, exitCode: EXIT_CODES.error };
  const system = systemErrorMessage(error);
  if (system !== undefined) return { kind: 'user', message: system, exitCode: EXIT_CODES.error };
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'internal', message: `internal error: ${maskPii(firstLine(message))} (set SEGFLOW_DEBUG=1 for the stack)`, exitCode: EXIT_CODES.error };
}

interface SystemError extends Error {
  code: string;
  syscall?: string;
  path?: string;
  port?: number;
}

function isSystemError(error: unknown): error is SystemError {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

/**
 * Node system errors a user causes (a mistyped path, a busy port) and can fix
 * from the message alone. Others stay internal: they point at a bug.
 */
function systemErrorMessage(error: unknown): string | undefined {
  if (!isSystemError(error)) return undefined;
  const { code, path, port } = error;
  if (code === 'EADDRINUSE' && port !== undefined) return `port ${port} is in use: pick another with --port`;
  if (error.syscall === 'listen' && (code === 'EACCES' || code === 'EPERM') && port !== undefined) {
    return `port ${port} needs privileges this user lacks: pick one above 1023 with --port`;
  }
  // readFileSync on a directory fails in read(2), so this one comes without a path.
  if (code === 'EISDIR' && path === undefined) return 'a directory was given where a file is expected';
  if (path === undefined) return undefined;
  switch (code) {
    case 'ENOENT':
      return `no such file or directory: ${path}`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied: ${path}`;
    case 'EISDIR':
      return `${path} is a directory; give a file`;
    case 'ENOTDIR':
      return `not a directory: a part of ${path} is a file`;
    case 'ENOSPC':
      return `no space left on the device while writing ${path}`;
    default:
      return undefined;
  }
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}
