import { spawn, type SpawnOptions } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';

export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:<port>/segflow_test`, trust authentication (any password is accepted). */
  url: string;
  stop(): Promise<void>;
}

/**
 * A throwaway PostgreSQL server for one test run: its own data directory in
 * a temp dir, its own port, fsync off, gone after `stop()`. initdb and the
 * server refuse to run as root, so under root (CI) they run as Debian's
 * `postgres` system user.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  const owner = process.getuid?.() === 0 ? await postgresUser() : undefined;
  const dir = await mkdtemp(join(tmpdir(), 'segflow-pg-'));
  if (owner) await chown(dir, owner.uid, owner.gid);
  stopWhenOrphaned(dir);
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const spawnOptions: SpawnOptions = { cwd: dir, ...(owner ?? {}) };
  const pgCtl = (...args: string[]) => run(join(bin, 'pg_ctl'), ['-D', data, ...args], spawnOptions);
  let started = false;
  try {
    await run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], spawnOptions);
    const port = await freePort();
    // -k: the Unix socket in our temp dir (the default /var/run/postgresql may not exist or be writable).
    await pgCtl('start', '-w', '-t', '60', '-l', log, '-o', `-k ${dir} -h 127.0.0.1 -p ${port} -F`);
    started = true;
    const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
    await admin.connect();
    try {
      await admin.query('CREATE DATABASE segflow_test');
    } finally {
      await admin.end();
    }
    return {
      url: `postgres://postgres@127.0.0.1:${port}/segflow_test`,
      stop: async () => {
        await pgCtl('stop', '-m', 'immediate', '-w').catch(() => undefined);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    const serverLog = await readFile(log, 'utf8').catch(() => '');
    if (started) await pgCtl('stop', '-m', 'immediate', '-w').catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw new Error(`could not start a test PostgreSQL cluster: ${(error as Error).message}${serverLog ? `\nserver log:\n${serverLog}` : ''}`, { cause: error });
  }
}

/** The directory holding initdb and pg_ctl: PATH first, then Debian's versioned directories (newest first). */
function findPostgresBin(): string {
  const onPath = (process.env['PATH'] ?? '').split(delimiter).filter((dir) => dir !== '');
  const debian = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => join('/usr/lib/postgresql', version, 'bin'))
    : [];
  const found = [...onPath, ...debian].find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (!found) {
    throw new Error('no PostgreSQL server binaries (initdb, pg_ctl) on PATH or under /usr/lib/postgresql/*/bin: install Debian\'s postgresql (apt-get install -y postgresql)');
  }
  return found;
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  try {
    const uid = Number((await run('id', ['-u', 'postgres'])).trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).trim());
    return { uid, gid };
  } catch {
    throw new Error('running as root, and there is no postgres system user to run the test server as: install Debian\'s postgresql (apt-get install -y postgresql), which creates it');
  }
}

/**
 * A run killed before its teardown (Ctrl-C, a timeout) would leave the server
 * running: a detached shell watches this process and, once it is gone, stops
 * the server (SIGQUIT: immediate shutdown) and removes the directory. It
 * exits by itself when `stop()` has removed the directory.
 */
function stopWhenOrphaned(dir: string): void {
  const script = [
    `while kill -0 ${process.pid} 2>/dev/null && [ -d "$0" ]; do sleep 1; done`,
    'if [ -f "$0/data/postmaster.pid" ]; then kill -QUIT "$(head -n 1 "$0/data/postmaster.pid")" 2>/dev/null; sleep 2; fi',
    'rm -rf "$0"',
  ].join('\n');
  spawn('sh', ['-c', script, dir], { detached: true, stdio: 'ignore' }).unref();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Runs a command to its exit; its output is the error message when it fails. */
function run(command: string, args: string[], options: SpawnOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    // stdin ignored; resolved on 'exit', not 'close': the server pg_ctl starts may keep inherited pipes open.
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}): ${output.trim()}`));
    });
  });
}
