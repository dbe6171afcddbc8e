#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError } from '../core/config/config-issue.js';
import { ConnectorError, UserError } from '../core/errors/index.js';
import { generateCommand } from './commands/generate.js';
import { runCommand } from './commands/run.js';
import { schemaCommand } from './commands/schema.js';
import { syncCommand } from './commands/sync.js';
import { dlqCommand } from './commands/dlq.js';
import { sandboxCommand } from './commands/sandbox.js';
import { forgetCommand } from './commands/forget.js';
import { validateCommand } from './commands/validate.js';

const USAGE = `segflow: behavioral events in, customer segments out

usage:
  segflow run FILE [--state DIR] [--json] [--quiet]   ingest → identity → features → segments (→ sync, when the mapping has sinks)
  segflow plan FILE [--sink ID]                       what a sync would change, per sink and operation; nothing is sent
  segflow sync FILE [--sink ID]                       send the last run's segments to the sinks
  segflow dlq list|retry FILE [--sink ID]             changes the vendors rejected, and their reasons; retry re-sends them
  segflow forget FILE --email ADDRESS                 erasure request: delete from every sink, never sync again
  segflow sandbox [FILE] [--port N]                   start the vendor simulators locally (FILE: create the fields its sinks write)
  segflow validate FILE                               check a mapping; every problem at file:line:col
  segflow generate --out FILE [--users N | --events N] [--seed N] [--days N] [--start YYYY-MM-DD] [--duplicates RATE]
                                                      a synthetic retail world (Segment-spec JSONL, .gz ok)
  segflow schema [--write PATH]                       JSON Schema for mapping files

environment:
  SEGFLOW_STATE   state directory (default: .segflow/ beside the mapping)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      state: { type: 'string' },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      out: { type: 'string' },
      users: { type: 'string' },
      events: { type: 'string' },
      seed: { type: 'string' },
      days: { type: 'string' },
      start: { type: 'string' },
      duplicates: { type: 'string' },
      write: { type: 'string' },
      sink: { type: 'string' },
      email: { type: 'string' },
      key: { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  const file = positionals[0];
  switch (command) {
    case 'run':
      if (!file) return usageError('run needs a mapping file');
      return runCommand({ file, state: values.state, json: values.json, quiet: values.quiet || values.json });
    case 'plan':
    case 'sync':
      if (!file) return usageError(`${command} needs a mapping file`);
      return syncCommand({ file, state: values.state, json: values.json, quiet: values.quiet || values.json, dryRun: command === 'plan', ...(values.sink ? { sink: values.sink } : {}) });
    case 'dlq': {
      const mappingFile = positionals[1];
      if (!mappingFile) return usageError('dlq needs an action (list or retry) and a mapping file');
      return dlqCommand({ action: positionals[0], file: mappingFile, state: values.state, json: values.json, ...(values.sink ? { sink: values.sink } : {}) });
    }
    case 'forget':
      if (!file) return usageError('forget needs a mapping file and --email ADDRESS');
      return forgetCommand({ file, ...(values.state ? { state: values.state } : {}), ...(values.email ? { email: values.email } : {}), ...(values.key ? { key: values.key } : {}) });
    case 'sandbox':
      return sandboxCommand({ port: values.port, ...(file ? { file } : {}) });
    case 'validate':
      if (!file) return usageError('validate needs a mapping file');
      return validateCommand(file, (text) => process.stdout.write(text));
    case 'generate':
      if (!values.out) return usageError('generate needs --out FILE');
      return generateCommand({
        out: values.out, users: values.users, events: values.events, seed: values.seed, days: values.days,
        start: values.start, duplicates: values.duplicates,
      });
    case 'schema':
      return schemaCommand(values.write);
    default:
      return usageError(`unknown command "${command}"`);
  }
}

function usageError(message: string): number {
  process.stderr.write(`segflow: ${message}\n\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof ConnectorError || error instanceof UserError) {
      process.stderr.write(`segflow: ${error.message}\n`);
    } else {
      process.stderr.write(`segflow: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exitCode = 1;
  },
);
