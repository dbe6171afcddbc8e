import { describe, expect, it } from 'vitest';
import { redactSample } from './redact-sample.js';

describe('quarantine sample redaction', () => {
  it('masks emails anywhere and the values of PII keys, keeping the shape that explains the rejection', () => {
    const line = '{"type":"identify","userId":{"bad":1},"traits":{"email":"ana@example.com","name":"Ana \\"A\\" Li","phone":4155550100,"plan":"pro"},"context":{"ip":"10.1.2.3"},"note":"reach me at bob@corp.io"}';
    expect(redactSample(line)).toBe(
      '{"type":"identify","userId":{"bad":1},"traits":{"email":"[redacted]","name":"[redacted]","phone":"[redacted]","plan":"pro"},"context":{"ip":"[redacted]"},"note":"reach me at <email>"}',
    );
  });
});

describe('what a new user found leaking (issue 11)', () => {
  it('masks phone numbers under any phone-like key, not just the listed ones', () => {
    const line = '{"traits":{"telephone":"+44 20 7946 0958","phoneNumber":"4155550100","mobile_phone":"0151 123 4567","work_tel":"+1 (212) 555-0100","fax":"030 1234567"}}';
    const redacted = redactSample(line);
    for (const digits of ['7946 0958', '4155550100', '123 4567', '555-0100', '1234567']) expect(redacted).not.toContain(digits);
    expect(redacted).toContain('"telephone":"[redacted]"');
  });

  it('redacts before cutting: a sample cut inside an address leaks no part of it', () => {
    const line = `{"type":"track","event":"${'x'.repeat(150)}","properties":{"contact":"canary-12345@example.com"}}`;
    const sample = redactSample(line);
    expect(sample).not.toContain('canary-12345');
    expect(sample.length).toBeLessThanOrEqual(200);
  });

  it('masks an address without a dot after the @ (vendors echo what they refused)', () => {
    expect(redactSample('Email address x@example is invalid')).toBe('Email address <email> is invalid');
  });
});
