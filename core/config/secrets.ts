import { readFileSync, statSync } from 'node:fs';

/**
 * Secrets live only in the environment or in a secret file (Docker / Kubernetes
 * secrets). A mapping names them as `${env:NAME}` or `${file:/absolute/path}`;
 * a literal value under a secret-looking key is a config error, so a token
 * never lands in git by accident. Group 1 is the variable name (undefined for
 * a file reference), group 2 the file path.
 */
export const SECRET_REFERENCE = /^\$\{(?:env:([A-Za-z_][A-Za-z0-9_]*)|file:(\/[^}\0]+))\}$/;
const SECRET_KEY = /(token|secret|password|passwd|api_?key|write_?key|private_?key|credential)/i;

export interface SecretFinding {
  path: (string | number)[];
  message: string;
}

/** Walks a parsed document and reports every literal secret. */
export function findLiteralSecrets(value: unknown, path: (string | number)[] = []): SecretFinding[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => findLiteralSecrets(item, [...path, index]));
  if (typeof value !== 'object' || value === null) return [];
  const findings: SecretFinding[] = [];
  for (const [key, child] of Object.entries(value)) {
    if (SECRET_KEY.test(key) && typeof child === 'string' && !SECRET_REFERENCE.test(child)) {
      findings.push({
        path: [...path, key],
        message: `"${key}" holds a literal secret; put it in an environment variable and write \${env:NAME} here (or a secret file: \${file:/run/secrets/name})`,
      });
    } else {
      findings.push(...findLiteralSecrets(child, [...path, key]));
    }
  }
  return findings;
}

/**
 * Resolves one `${env:NAME}` or `${file:/path}` reference; throws a
 * config-style message (naming the variable or path, never the value) when
 * it cannot. A file is read once, here, and trimmed (`echo key > file`
 * leaves a newline). A file that other users may read or write is refused
 * rather than warned about: a warning scrolls by, a leaked key stays leaked.
 * Docker (`mode: 0400`) and Kubernetes (`defaultMode: 0400`) can both mount
 * secrets that way.
 */
export function resolveSecret(reference: string, env: NodeJS.ProcessEnv, where: string): string {
  const match = SECRET_REFERENCE.exec(reference);
  if (!match) return reference;
  if (match[2] !== undefined) return readSecretFile(match[2], where);
  const value = env[match[1] as string];
  if (value === undefined || value === '') {
    throw new Error(`${where}: environment variable ${match[1]} is not set (referenced as ${reference})`);
  }
  return value;
}

/** Permission bits for "others" (read 4, write 2) and group write: a secret file carries none of them. */
const FORBIDDEN_MODE_BITS = 0o026;

function readSecretFile(path: string, where: string): string {
  let mode: number;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw new Error(`${where}: secret file ${path} is not a regular file`);
    mode = stats.mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${where}: secret file ${path} does not exist (referenced as \${file:${path}})`, { cause: error });
    if ((error as NodeJS.ErrnoException).code === undefined) throw error;
    throw new Error(`${where}: secret file ${path} cannot be read (${(error as NodeJS.ErrnoException).code})`, { cause: error });
  }
  // Windows has no POSIX mode bits worth checking (stat reports 0o666 for any writable file).
  if (process.platform !== 'win32' && (mode & FORBIDDEN_MODE_BITS) !== 0) {
    throw new Error(`${where}: secret file ${path} has mode ${(mode & 0o777).toString(8).padStart(3, '0')}, readable or writable by other users; make it private (chmod 600 ${path}, or mount the secret with mode 0400)`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new Error(`${where}: secret file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
  if (text === '') throw new Error(`${where}: secret file ${path} is empty`);
  return text;
}
