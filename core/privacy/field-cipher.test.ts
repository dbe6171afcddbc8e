import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFieldCipher, ENVELOPE_PREFIX } from './field-cipher.js';
import { fieldCipherFromEnvironment, parseFieldKeys, unencryptedNote } from './field-cipher-env.js';

const KEY_1 = Buffer.alloc(32, 1).toString('base64');
const KEY_2 = Buffer.alloc(32, 2).toString('base64');
const EMAIL = 'canary-4711@example.com';

describe('field cipher', () => {
  it('seals with the current key id and a fresh nonce, and opens back', () => {
    const cipher = fieldCipherFromEnvironment({ SEGFLOW_PII_ENCRYPTION_KEYS: `k2:${KEY_2},k1:${KEY_1}` });
    const first = cipher.seal(EMAIL, 'sink_acks.record_key');
    const second = cipher.seal(EMAIL, 'sink_acks.record_key');
    expect(first.startsWith(`${ENVELOPE_PREFIX}k2:`)).toBe(true);
    expect(first).not.toBe(second);
    expect(first).not.toContain('canary');
    expect(cipher.keyIdOf(first)).toBe('k2');
    expect(cipher.open(first, 'sink_acks.record_key', 'here')).toBe(EMAIL);
    expect(cipher.open(second, 'sink_acks.record_key', 'here')).toBe(EMAIL);
  });

  it('never repeats a nonce, across refills of its random pool', () => {
    const cipher = createFieldCipher([{ id: 'k1', key: Buffer.alloc(32, 1) }]);
    const nonces = Array.from({ length: 3000 }, () => Buffer.from(cipher.seal('x', 'c').slice(`${ENVELOPE_PREFIX}k1:`.length), 'base64url').subarray(0, 12).toString('hex'));
    expect(new Set(nonces).size).toBe(3000);
  });

  it('refuses a value with one byte flipped, or moved to another column', () => {
    const cipher = createFieldCipher([{ id: 'k1', key: Buffer.alloc(32, 1) }]);
    const sealed = cipher.seal(EMAIL, 'dead_letters.change');
    const body = Buffer.from(sealed.slice(`${ENVELOPE_PREFIX}k1:`.length), 'base64url');
    for (const index of [0, 12, body.length - 1]) {
      const flipped = Buffer.from(body);
      flipped[index] = (flipped[index] as number) ^ 0x01;
      expect(() => cipher.open(`${ENVELOPE_PREFIX}k1:${flipped.toString('base64url')}`, 'dead_letters.change', 'dead letter 7')).toThrow(/dead letter 7 does not decrypt under key "k1"/);
    }
    expect(() => cipher.open(sealed, 'trigger_outbox.action', 'outbox row')).toThrow(/does not decrypt/);
    expect(() => cipher.open(`${ENVELOPE_PREFIX}k1:AAAA`, 'dead_letters.change', 'short')).toThrow(/does not decrypt/);
  });

  it('after rotation opens values of every listed key, and names a key id that is not configured', () => {
    const before = fieldCipherFromEnvironment({ SEGFLOW_PII_ENCRYPTION_KEYS: `k1:${KEY_1}` });
    const old = before.seal(EMAIL, 'c');
    const rotated = fieldCipherFromEnvironment({ SEGFLOW_PII_ENCRYPTION_KEYS: `k2:${KEY_2},k1:${KEY_1}` });
    expect(rotated.open(old, 'c', 'x')).toBe(EMAIL);
    const resealed = rotated.seal(rotated.open(old, 'c', 'x'), 'c');
    const afterRemoval = fieldCipherFromEnvironment({ SEGFLOW_PII_ENCRYPTION_KEYS: `k2:${KEY_2}` });
    expect(afterRemoval.open(resealed, 'c', 'x')).toBe(EMAIL);
    expect(() => afterRemoval.open(old, 'c', 'dead letter 3')).toThrow('dead letter 3 is encrypted with key "k1", which is not configured (SEGFLOW_PII_ENCRYPTION_KEYS lists k2)');
    expect(() => fieldCipherFromEnvironment({}).open(old, 'c', 'dead letter 3')).toThrow(/SEGFLOW_PII_ENCRYPTION_KEYS is not set/);
  });

  it('a key listed under the same id but different bytes is refused, not misread', () => {
    const sealed = fieldCipherFromEnvironment({ SEGFLOW_PII_ENCRYPTION_KEYS: `k1:${KEY_1}` }).seal(EMAIL, 'c');
    expect(() => fieldCipherFromEnvironment({ SEGFLOW_PII_ENCRYPTION_KEYS: `k1:${KEY_2}` }).open(sealed, 'c', 'row')).toThrow(/does not decrypt/);
  });

  it('without keys passes values through, reads plaintext written earlier, and says so once', () => {
    const plain = fieldCipherFromEnvironment({ SEGFLOW_PII_ENCRYPTION_KEYS: ' ' });
    expect(plain.encrypting).toBe(false);
    expect(plain.seal(EMAIL, 'c')).toBe(EMAIL);
    expect(unencryptedNote(plain)).toMatch(/^note: PII at rest is unencrypted .*SEGFLOW_PII_ENCRYPTION_KEYS/);
    const keyed = fieldCipherFromEnvironment({ SEGFLOW_PII_ENCRYPTION_KEYS: `k1:${KEY_1}` });
    expect(keyed.open('{"legacy":true}', 'c', 'x')).toBe('{"legacy":true}');
    expect(unencryptedNote(keyed)).toBeUndefined();
  });

  it('reads the key list from a ${file:} secret', () => {
    const directory = mkdtempSync(join(tmpdir(), 'segflow-keys-'));
    const file = join(directory, 'pii-keys');
    writeFileSync(file, `k1:${KEY_1}\n`);
    chmodSync(file, 0o600);
    const cipher = fieldCipherFromEnvironment({ SEGFLOW_PII_ENCRYPTION_KEYS: `\${file:${file}}` });
    expect(cipher.currentKeyId).toBe('k1');
    chmodSync(file, 0o644);
    expect(() => fieldCipherFromEnvironment({ SEGFLOW_PII_ENCRYPTION_KEYS: `\${file:${file}}` })).toThrow(/^SEGFLOW_PII_ENCRYPTION_KEYS: secret file .* has mode 644/);
  });

  it('rejects malformed key lists with the entry named and the key never printed', () => {
    const bad = (text: string) => () => fieldCipherFromEnvironment({ SEGFLOW_PII_ENCRYPTION_KEYS: text });
    expect(bad('justakey')).toThrow('SEGFLOW_PII_ENCRYPTION_KEYS: entry 1 is not id:base64key');
    expect(bad(`k1:${Buffer.alloc(16).toString('base64')}`)).toThrow('SEGFLOW_PII_ENCRYPTION_KEYS: key "k1" must be 32 bytes for AES-256, not 16');
    expect(bad(`k1:${KEY_1},k1:${KEY_2}`)).toThrow('key id "k1" is listed twice');
    expect(bad(`k 1:${KEY_1}`)).toThrow(/key id "k 1" must be/);
    const truncated = KEY_1.slice(0, 20);
    expect(bad(`k1:${truncated}`)).toThrow(/^SEGFLOW_PII_ENCRYPTION_KEYS: key "k1" must be 32 bytes for AES-256, not 15$/);
    expect(parseFieldKeys(`a:${Buffer.alloc(32, 9).toString('base64url')}`)[0]?.key).toEqual(Buffer.alloc(32, 9));
  });
});
