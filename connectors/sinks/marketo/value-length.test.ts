import { describe, expect, it } from 'vitest';
import { oversizedValue, valueTooLong } from './value-length.js';

const limits = new Map([
  ['segflowSegments', 255],
  ['email', 255],
]);

describe('oversizedValue', () => {
  it('names the first string property longer than its field, counting characters, not UTF-16 units or bytes', () => {
    expect(oversizedValue({ segflowSegments: '😀'.repeat(255), segflowScore: 10 }, limits)).toBeUndefined();
    expect(oversizedValue({ segflowSegments: 'é'.repeat(256) }, limits)).toEqual({ field: 'segflowSegments', characters: 256, limit: 255 });
  });

  it('ignores fields Describe gave no length (float, Text Area), non-strings and cleared values', () => {
    expect(oversizedValue({ notes: 'x'.repeat(5_000), segflowScore: 1e300, segflowSegments: null }, limits)).toBeUndefined();
  });

  it('fails the change permanently, naming field, profile and sizes but not the value', () => {
    const value = 'Champions;At risk;'.repeat(20);
    const result = valueTooLong({ op: 'upsert', record: { profileId: 'u:9', key: 'nine@example.com' }, properties: { segflowSegments: value } }, { field: 'segflowSegments', characters: value.length, limit: 255 });
    expect(result).toMatchObject({ status: 'failed', error: { kind: 'permanent', code: 'marketo.value_too_long' } });
    const message = result.status === 'failed' ? result.error.message : '';
    expect(message).toContain('u:9');
    expect(message).toContain(`has ${value.length} characters`);
    expect(message).not.toContain(value);
    expect(message).not.toContain('nine@example.com');
  });
});
