/**
 * Secrets live only in the environment. A mapping names them as `${env:NAME}`;
 * a literal value under a secret-looking key is a config error, so a token
 * never lands in git by accident.
 */
export const SECRET_REFERENCE = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/;
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
        message: `"${key}" holds a literal secret; put it in an environment variable and write \${env:NAME} here`,
      });
    } else {
      findings.push(...findLiteralSecrets(child, [...path, key]));
    }
  }
  return findings;
}

/** Resolves one `${env:NAME}` reference; throws a config-style message when unset. */
export function resolveSecret(reference: string, env: NodeJS.ProcessEnv, where: string): string {
  const match = SECRET_REFERENCE.exec(reference);
  if (!match) return reference;
  const value = env[match[1] as string];
  if (value === undefined || value === '') {
    throw new Error(`${where}: environment variable ${match[1]} is not set (referenced as ${reference})`);
  }
  return value;
}
