#!/usr/bin/env node
import { createProgram } from './program.js';
import { reportError } from './report-error.js';

const argv = process.argv;
try {
  process.exitCode = await createProgram().parse(argv);
} catch (error) {
  // Everything after `--` is operands, so a literal "--json" there asks for nothing.
  const flags = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  process.exitCode = reportError(error, { json: flags.includes('--json'), debug: process.env.SEGFLOW_DEBUG === '1', stdout: process.stdout, stderr: process.stderr });
}
