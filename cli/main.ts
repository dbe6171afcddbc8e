#!/usr/bin/env node
import { createProgram } from './program.js';
import { reportError } from './report-error.js';

/** After a failure, how long open handles may keep the process alive before it exits anyway. */
const FAILURE_GRACE_MS = 1_000;

const argv = process.argv;
try {
  process.exitCode = await createProgram().parse(argv);
} catch (error) {
  // Everything after `--` is operands, so a literal "--json" there asks for nothing.
  const flags = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  process.exitCode = reportError(error, { json: flags.includes('--json'), debug: process.env.SEGFLOW_DEBUG === '1', stdout: process.stdout, stderr: process.stderr });
  // A command that failed halfway can leave servers or sockets open (a sandbox
  // whose third simulator found its port taken): exit rather than hang on them.
  // Unref'd, so a clean failure still ends as soon as its output is flushed.
  setTimeout(() => process.exit(), FAILURE_GRACE_MS).unref();
}
