import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { findLiteralSecrets, resolveSecret, SECRET_REFERENCE } from './secrets.js';
import { checkSecretsSet } from './check-mapping.js';

const posix = process.platform !== 'win32';

function secretFile(contents: string, mode: number): string {
  const path = join(temporaryDirectory('secrets'), 'key');
  writeFileSync(path, contents);
  chmodSync(path, mode);
  return path;
}

describe('secret references', () => {
  it('accepts ${env:NAME} and ${file:/absolute/path}, nothing else', () => {
    expect(SECRET_REFERENCE.test('${env:WRITE_KEY}')).toBe(true);
    expect(SECRET_REFERENCE.test('${file:/run/secrets/write_key}')).toBe(true);
    expect(SECRET_REFERENCE.test('${file:relative/path}')).toBe(false);
    expect(SECRET_REFERENCE.test('${file:}')).toBe(false);
    expect(SECRET_REFERENCE.test('wk_live_123')).toBe(false);
    expect(findLiteralSecrets({ serve: { admin_api_keys: { api_key: '${file:/run/secrets/admin}' } } })).toEqual([]);
  });

  it('resolves the environment as before, naming an unset variable', () => {
    expect(resolveSecret('${env:K}', { K: 'v' }, 'serve.admin_api_keys[0]')).toBe('v');
    expect(() => resolveSecret('${env:K}', {}, 'serve.admin_api_keys[0]')).toThrow('serve.admin_api_keys[0]: environment variable K is not set');
  });
});

describe.runIf(posix)('secret files', () => {
  it('reads a private file once, trimmed (echo leaves a newline)', () => {
    const path = secretFile('wk_live_0123\n', 0o600);
    expect(resolveSecret(`\${file:${path}}`, {}, 'sources.web.write_keys[0]')).toBe('wk_live_0123');
    expect(resolveSecret(`\${file:${secretFile('k', 0o400)}}`, {}, 'x')).toBe('k');
    expect(resolveSecret(`\${file:${secretFile('k', 0o640)}}`, {}, 'x')).toBe('k');
  });

  it('refuses a file other users may read or write, saying how to fix it and never the value', () => {
    for (const mode of [0o644, 0o604, 0o602, 0o660]) {
      const path = secretFile('the-secret-value', mode);
      let message = '';
      try {
        resolveSecret(`\${file:${path}}`, {}, 'serve.admin_api_keys[0]');
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain(`serve.admin_api_keys[0]: secret file ${path} has mode ${mode.toString(8)}`);
      expect(message).toContain('chmod 600');
      expect(message).not.toContain('the-secret-value');
    }
  });

  it('names a missing, empty or non-regular file', () => {
    const directory = temporaryDirectory('secrets');
    expect(() => resolveSecret(`\${file:${directory}/absent}`, {}, 'w')).toThrow(`w: secret file ${directory}/absent does not exist`);
    expect(() => resolveSecret(`\${file:${secretFile('  \n', 0o600)}}`, {}, 'w')).toThrow(/is empty$/);
    mkdirSync(join(directory, 'folder'), { mode: 0o700 });
    expect(() => resolveSecret(`\${file:${directory}/folder}`, {}, 'w')).toThrow('is not a regular file');
  });
});

describe('validate and secret files', () => {
  it('reports a missing or world-readable secret file where the mapping names it, as serve would refuse it', () => {
    const shared = secretFile('key-0123456789', 0o644);
    const missing = join(temporaryDirectory('secrets'), 'absent');
    const document = { sinks: [{ id: 'crm', type: 'hubspot', access_token: `\${file:${missing}}` }], serve: { admin_api_keys: [`\${file:${shared}}`] } };
    const problems = checkSecretsSet(document, {});
    expect(problems.map((problem) => problem.path.join('.'))).toEqual(['sinks.0.access_token', ...(posix ? ['serve.admin_api_keys.0'] : [])]);
    expect(problems[0]?.message).toMatch(/sink "crm".*does not exist/);
    if (posix) expect(problems[1]?.message).toMatch(/mode 644, readable or writable by other users/);
    chmodSync(shared, 0o600);
    expect(checkSecretsSet({ serve: { admin_api_keys: [`\${file:${shared}}`] } }, {})).toEqual([]);
  });
});
