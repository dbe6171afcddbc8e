import { describe, expect, it } from 'vitest';
import { redactSample } from './redact-sample.js';

describe('quarantine sample redaction', () => {
  it('masks emails anywhere and the values of PII keys, keeping the shape that explains the rejection', () => {
    const line = '{"type":"identify","userId":{"bad":1},"traits":{"email":"ana@example.com","name":"Ana \\"A\\" Li","phone":4155550100,"plan":"pro"},"context":{"ip":"10.1.2.3"},"note":"reach me at bob@corp.io"}';
    expect(redactSample(line)).toBe(
      '{"type":"identify","userId":{"bad":1},"traits":{"email":"[redacted]","name":"[redacted]","phone":"[redacted]","plan":"pro"},"context":{"ip":"[redacted]"},"note":"reach me at [email]"}',
    );
  });
});
