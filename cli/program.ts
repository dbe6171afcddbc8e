import { Command, Option, type CommanderError } from 'commander';
import { EXIT_CODES, exitCodeHelp } from './exit-codes.js';
import { deadLetterId, instant, isoDate, listenPort, nonNegativeNumber, portNumber } from './option-parsers.js';
import { packageVersion } from './package-version.js';
import { UsageError } from './usage-error.js';

// Each action imports its command when it runs: `--help`, `--version` and a
// mistyped flag answer at once, without loading DuckDB, SQLite or the
// connectors, and a module that fails to load breaks only its own command.
const commands = {
  dlq: async () => (await import('./commands/dlq.js')).dlqCommand,
  forget: async () => (await import('./commands/forget.js')).forgetCommand,
  generate: async () => (await import('./commands/generate.js')).generateCommand,
  run: async () => (await import('./commands/run.js')).runCommand,
  sandbox: async () => (await import('./commands/sandbox.js')).sandboxCommand,
  schema: async () => (await import('./commands/schema.js')).schemaCommand,
  sync: async () => (await import('./commands/sync.js')).syncCommand,
  validate: async () => (await import('./commands/validate.js')).validateCommand,
  analyze: async () => (await import('./commands/analyze.js')).analyzeCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
  triggersTest: async () => (await import('./commands/triggers.js')).triggersTestCommand,
  report: async () => (await import('./commands/report.js')).reportCommand,
  audit: async () => (await import('./commands/audit.js')).auditCommand,
  keys: async () => (await import('./commands/keys.js')).keysCommand,
  privacy: async () => (await import('./commands/privacy.js')).privacyCommand,
};

// Commander types action arguments as any[]: these say what each command's flags parse to.
interface StateFlags { state?: string; json?: boolean }
interface RunFlags extends StateFlags { quiet?: boolean }
interface SyncFlags extends RunFlags { sink?: string }
interface DlqFlags extends StateFlags { sink?: string }
interface DiscardFlags extends DlqFlags { id?: number }
interface ForgetFlags { state?: string; email?: string; userId?: string; anonymousId?: string; key?: string; localOnly?: boolean; resume?: boolean }
interface GenerateFlags { out: string; users?: string; events?: string; seed?: string; days?: string; start?: string; duplicates?: string }

const FILE = 'the mapping file (YAML)';
const STATE = 'state directory (default: $SEGFLOW_STATE, else .segflow/<mapping name>/ beside the mapping)';
const SINK = 'only this sink (an id from the mapping)';
const ENVIRONMENT = `environment:
  SEGFLOW_STATE       state directory (default: .segflow/<mapping name>/ beside the mapping)
  SEGFLOW_STATE_URL   postgres://… for operational state in PostgreSQL (default: SQLite in the state directory)
  SEGFLOW_DEBUG       1: print the stack of an internal error
  SEGFLOW_PII_KEY     key of the HMAC that hashes erased identifiers in the suppression file
  SEGFLOW_SUPPRESSION_FILE  where the suppression file is (default: segflow-suppressions.jsonl beside the mapping)
  SEGFLOW_AUDIT_KEY   key (16+ characters) of the HMAC over every audit entry
  SEGFLOW_AUDIT_ACTOR who the audit trail names for this process (default: segflow@<host>)
  SEGFLOW_PII_ENCRYPTION_KEYS  id:base64key[,id:base64key…] or \${file:/path}: AES-256-GCM keys for PII in the state store (the first encrypts)
`;

export interface SegflowProgram {
  readonly command: Command;
  /** Parses `process.argv`-style arguments, runs the command, returns its exit code. Throws what the command throws. */
  parse(argv: readonly string[]): Promise<number>;
}

/** The `segflow` command line; the work itself is in `cli/commands/`. */
export function createProgram(): SegflowProgram {
  let exitCode: number = EXIT_CODES.done;
  const settle = (code: number): void => {
    exitCode = code;
  };
  const program = new Command('segflow')
    .description('behavioral events in, customer segments out')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    // Usage errors are printed by reportError as one line; commander's own copy would be a second.
    .configureOutput({ outputError: () => {} })
    .addHelpText('after', `\n${ENVIRONMENT}\n${exitCodeHelp()}`);

  program
    .command('run')
    .description('ingest → identity → features → segments (→ sync, when the mapping has sinks)')
    .argument('<file>', FILE)
    .option('--state <dir>', STATE)
    .option('--json', 'print the run summary as JSON on stdout (implies --quiet)')
    .option('--quiet', 'no progress on stderr')
    .action(async (file: string, { state, json, quiet }: RunFlags) => settle(await (await commands.run())({ file, state, json: json === true, quiet: quiet === true || json === true })));

  for (const name of ['plan', 'sync'] as const) {
    program
      .command(name)
      .description(name === 'plan'
        ? 'what a sync would change, per sink and operation; nothing is sent'
        : "send the last run's segments to the sinks")
      .argument('<file>', FILE)
      .option('--sink <id>', SINK)
      .option('--state <dir>', STATE)
      .option('--json', 'print the result as JSON on stdout (implies --quiet)')
      .option('--quiet', 'no progress on stderr')
      .action(async (file: string, { state, json, quiet, sink }: SyncFlags) =>
        settle(await (await commands.sync())({ file, state, json: json === true, quiet: quiet === true || json === true, dryRun: name === 'plan', ...(sink ? { sink } : {}) })));
  }

  const dlq = program
    .command('dlq')
    .description('changes the vendors rejected, and their reasons; retry re-sends them, discard drops them');
  const dlqAction = (action: 'list' | 'retry', description: string): void => {
    dlq
      .command(action)
      .description(description)
      .argument('<file>', FILE)
      .option('--sink <id>', SINK)
      .option('--state <dir>', STATE)
      .option('--json', 'print the result as JSON on stdout')
      .action(async (file: string, { state, json, sink }: DlqFlags) => settle(await (await commands.dlq())({ action, file, state, json: json === true, ...(sink ? { sink } : {}) })));
  };
  dlqAction('list', 'the parked changes with their reasons (keys masked)');
  dlqAction('retry', 'un-park the changes and sync again, once their cause is fixed');
  dlq
    .command('discard')
    .description('drop parked changes for good (all of them, or one with --id)')
    .argument('<file>', FILE)
    .option('--id <n>', 'only this change (the #N that dlq list prints)', deadLetterId)
    .option('--sink <id>', SINK)
    .option('--state <dir>', STATE)
    .option('--json', 'print the result as JSON on stdout')
    .action(async (file: string, { state, json, sink, id }: DiscardFlags) =>
      settle(await (await commands.dlq())({ action: 'discard', file, state, json: json === true, ...(sink ? { sink } : {}), ...(id !== undefined ? { id } : {}) })));

  program
    .command('forget')
    .description('erasure request: delete from every sink, never sync again')
    .argument('<file>', FILE)
    .option('--email <address>', 'the email address to forget')
    .addOption(new Option('--user-id <id>', 'the userId to forget (with every identifier the identity graph links to it)').conflicts('email'))
    .addOption(new Option('--anonymous-id <id>', 'the anonymousId to forget (with every identifier the identity graph links to it)').conflicts(['email', 'userId']))
    .addOption(new Option('--key <value>', 'the key to forget, for sinks matched on another trait').conflicts(['email', 'userId', 'anonymousId']))
    .option('--local-only', 'erase the local data now and record the vendor deletions as pending (when a sink cannot be reached)')
    .option('--resume', 'send the vendor deletions earlier erasures still owe, and execute erasures requested through the ingest API')
    .option('--state <dir>', STATE)
    .action(async (file: string, { state, email, userId, anonymousId, key, localOnly, resume }: ForgetFlags, command: Command) => {
      if (email === undefined && userId === undefined && anonymousId === undefined && key === undefined && resume !== true) {
        command.error('forget needs --email ADDRESS, --user-id ID, --anonymous-id ID or --key VALUE (or --resume)', { exitCode: EXIT_CODES.usage, code: 'segflow.missingIdentifier' });
      }
      settle(await (await commands.forget())({
        file, ...(state ? { state } : {}), ...(email ? { email } : {}), ...(userId ? { userId } : {}), ...(anonymousId ? { anonymousId } : {}), ...(key ? { key } : {}), ...(localOnly ? { localOnly } : {}), ...(resume ? { resume } : {}),
      }));
    });

  const privacy = program.command('privacy').description('the suppression list of erased people, between machines and states');
  privacy
    .command('export-suppressions')
    .description("the suppression list (the shared file's and the state's) as hashes only, with their hash scheme")
    .argument('<file>', FILE)
    .option('--out <file>', 'write it here (default: stdout)')
    .option('--state <dir>', STATE)
    .action(async (file: string, { state, out }: { state?: string; out?: string }) =>
      settle(await (await commands.privacy())({ action: 'export-suppressions', file, ...(state ? { state } : {}), ...(out ? { out } : {}) })));
  privacy
    .command('import-suppressions')
    .description('merge an exported suppression list into this mapping\'s shared file and state (idempotent; refuses other hash schemes)')
    .argument('<file>', FILE)
    .requiredOption('--from <file>', 'the file written by export-suppressions')
    .option('--state <dir>', STATE)
    .action(async (file: string, { state, from }: { state?: string; from: string }) =>
      settle(await (await commands.privacy())({ action: 'import-suppressions', file, from, ...(state ? { state } : {}) })));

  program
    .command('sandbox')
    .description('start the vendor simulators locally, until Ctrl-C (with a mapping: create the fields its sinks write)')
    .argument('[file]', 'a mapping whose sinks need fields created up front (Salesforce)')
    .option('--port <n>', 'port of the first simulator; the others take the next ones (default: 4010)', portNumber)
    .action(async (file: string | undefined, { port }: { port?: string }) => settle(await (await commands.sandbox())({ port, ...(file ? { file } : {}) })));

  program
    .command('analyze')
    .description("journeys, drift since the last run and segment validation, on the last run's segments")
    .argument('<file>', FILE)
    .option('--state <dir>', STATE)
    .option('--json', 'print the analyses as JSON on stdout')
    .action(async (file: string, { state, json }: StateFlags) => settle(await (await commands.analyze())({ file, state, json: json === true })));

  program
    .command('report')
    .description('the last run as one self-contained HTML file (charts with their tables; opens offline); runs nothing')
    .argument('<file>', FILE)
    .option('--out <file>', 'where to write the report (default: report.html)')
    .option('--state <dir>', STATE)
    .action(async (file: string, { state, out }: { state?: string; out?: string }) => settle(await (await commands.report())({ file, ...(state ? { state } : {}), ...(out ? { out } : {}) })));

  const triggers = program.command('triggers').description('real-time behavior triggers (the mapping\'s triggers: section)');
  triggers
    .command('test')
    .description('replay the stored events through the triggers: what would fire, what caps, quiet hours and consent would hold; sends nothing')
    .argument('<file>', FILE)
    .option('--until <time>', 'decide waits still open up to this time: "now" or an ISO time (default: the newest stored event)', instant)
    .option('--state <dir>', STATE)
    .option('--json', 'print the report as JSON on stdout')
    .action(async (file: string, { state, json, until }: StateFlags & { until?: string }) =>
      settle(await (await commands.triggersTest())({ file, state, json: json === true, ...(until ? { until } : {}) })));

  const audit = program.command('audit').description('the tamper-evident audit trail of runs, syncs, erasures, triggers, key rotations and API logins');
  audit
    .command('verify')
    .description('check the trail; exits 1 naming the first edited or missing entry (MACs checked when SEGFLOW_AUDIT_KEY is set)')
    .argument('<file>', FILE)
    .option('--state <dir>', STATE)
    .action(async (file: string, { state }: { state?: string }) => settle(await (await commands.audit())({ action: 'verify', file, ...(state ? { state } : {}) })));
  audit
    .command('export')
    .description('the trail as JSONL (for a DPO), ending with a line that carries the head hash')
    .argument('<file>', FILE)
    .option('--out <file>', 'write the JSONL here (default: stdout)')
    .option('--since <time>', 'only entries from this time on: "now" or an ISO time', instant)
    .option('--state <dir>', STATE)
    .action(async (file: string, { state, out, since }: { state?: string; out?: string; since?: string }) =>
      settle(await (await commands.audit())({ action: 'export', file, ...(state ? { state } : {}), ...(out ? { out } : {}), ...(since ? { since } : {}) })));

  const keys = program.command('keys').description('the keys that encrypt PII in the state store (SEGFLOW_PII_ENCRYPTION_KEYS)');
  keys
    .command('rotate')
    .description('re-encrypt every encrypted value under the first listed key (put the new key first, keep the old one after it, restart running segflow processes, then rotate); records the rotation in the audit trail')
    .argument('<file>', FILE)
    .option('--state <dir>', STATE)
    .action(async (file: string, { state }: { state?: string }) => settle(await (await commands.keys())({ action: 'rotate', file, ...(state ? { state } : {}) })));

  program
    .command('serve')
    .description("a long-lived server: Segment's HTTP Tracking API and webhook receiver for the mapping's segment-api sources; until SIGTERM or Ctrl-C")
    .argument('<file>', FILE)
    .option('--state <dir>', STATE)
    .option('--host <address>', 'address to listen on (default: 127.0.0.1)')
    .option('--port <n>', 'port to listen on; 0 picks a free one (default: 8088)', listenPort)
    .action(async (file: string, { state, host, port }: { state?: string; host?: string; port?: string }) =>
      settle(await (await commands.serve())({ file, ...(state ? { state } : {}), host: host ?? '127.0.0.1', port: Number(port ?? 8088) })));

  program
    .command('validate')
    .description('check a mapping; every problem at file:line:col')
    .argument('<file>', FILE)
    .action(async (file: string) => settle(await (await commands.validate())(file, (text) => process.stdout.write(text))));

  program
    .command('generate')
    .description('a synthetic retail world (Segment-spec JSONL, .gz ok)')
    .requiredOption('--out <file>', 'where to write the events (.jsonl or .jsonl.gz)')
    .option('--users <n>', 'how many customers', nonNegativeNumber)
    .addOption(new Option('--events <n>', 'about how many events, instead of --users (default: 180000)').argParser(nonNegativeNumber).conflicts('users'))
    .option('--seed <n>', 'random seed (default: 42)', nonNegativeNumber)
    .option('--days <n>', 'days of history (default: 365)', nonNegativeNumber)
    .option('--start <date>', 'first day, YYYY-MM-DD', isoDate)
    .option('--duplicates <rate>', 'share of messages sent twice with the same messageId, as Segment retries do (default: 0)', nonNegativeNumber)
    .action(async ({ out, users, events, seed, days, start, duplicates }: GenerateFlags) =>
      settle(await (await commands.generate())({ out, users, events, seed, days, start, duplicates })));

  program
    .command('schema')
    .description('JSON Schema for mapping files')
    .option('--write <path>', 'write it to this file instead of stdout')
    .action(async ({ write }: { write?: string }) => settle((await commands.schema())(write)));

  forEachCommand(program, (command) => command.exitOverride((error) => {
    throw translateExit(error, command);
  }));

  return {
    command: program,
    async parse(argv) {
      try {
        await program.parseAsync([...argv]);
      } catch (error) {
        if (error instanceof HelpShown) return error.exitCode;
        throw error;
      }
      return exitCode;
    },
  };
}

/** Help or version was printed: not an error, just the end of the run. */
class HelpShown extends Error {
  constructor(readonly exitCode: number) {
    super('help shown');
  }
}

function translateExit(error: CommanderError, command: Command): Error {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return new HelpShown(EXIT_CODES.done);
  // `segflow` or `segflow dlq` with no subcommand: commander has written the help to stderr.
  if (error.code === 'commander.help') return new HelpShown(error.exitCode === 0 ? EXIT_CODES.done : EXIT_CODES.usage);
  // Suggestions come on a second line ("\n(Did you mean run?)"): keep the error to one.
  const message = error.message.replace(/^error: /, '').replaceAll('\n', ' ').replace(/\.$/, '');
  return new UsageError(message, commandPath(command));
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current !== null; current = current.parent) names.unshift(current.name());
  return names.join(' ');
}

function forEachCommand(command: Command, visit: (command: Command) => void): void {
  visit(command);
  for (const child of command.commands) forEachCommand(child, visit);
}
