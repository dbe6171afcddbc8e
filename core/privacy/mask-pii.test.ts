import { describe, expect, it } from 'vitest';
import { maskPii, maskPiiDeep, maskPiiJson, maskQuotedValues } from './mask-pii.js';

describe('maskPii on free text (vendor messages, log lines)', () => {
  it('masks anything with an @, with or without a dot after it, and its URL encoding', () => {
    expect(maskPii('Email address x@example is invalid')).toBe('Email address <email> is invalid');
    expect(maskPii('Lead "Ann.Lee+promo@Example.COM" exists; see <bob@corp.io>')).toBe('Lead "<email>" exists; see <<email>>');
    expect(maskPii('GET /v1/profiles?email=canary-1%40example.test')).toBe('GET /v1/profiles?email=<email>');
  });

  it('masks phone shapes: E.164, bracketed area codes, 7+ digit runs with separators', () => {
    expect(maskPii('call +49 151 2345 6789 now')).toBe('call <phone> now');
    expect(maskPii('office (030) 1234-5678.')).toBe('office <phone>.');
    expect(maskPii('mobile 0151.234.5678, fax 030/1234567, plain 4155550100')).toBe('mobile <phone>, fax <phone>, plain <phone>');
    expect(maskPii('+44 (0)20 7946 0958')).toBe('<phone>');
  });

  it('masks card-like runs of 13 to 19 digits whether or not they pass Luhn', () => {
    expect(maskPii('card 4111 1111 1111 1111 declined')).toBe('card <card> declined');
    expect(maskPii('card 1234-5678-9012-3456 declined')).toBe('card <card> declined');
    expect(maskPii('pan 5500000000000004')).toBe('pan <card>');
  });

  it('masks tokens by their shape and secrets by the name before them', () => {
    expect(maskPii('authorization: Bearer pat-na1-11111111-2222-3333-4444-555555555555')).toBe('authorization: Bearer <secret>');
    expect(maskPii('token pat-eu1-0a1b2c3d-aaaa-bbbb-cccc-0123456789ab expired')).toBe('token <secret> expired');
    expect(maskPii('Basic d2tfY2FuYXJ5OjE=')).toBe('Basic <secret>');
    expect(maskPii('stripe said sk_live_51HxYzAbCdEf and whsec_abcdef123')).toBe('stripe said <secret> and <secret>');
    expect(maskPii('GET /x?key=AIzaSyA0123456789abcdef&token=abc.def&page=2')).toBe('GET /x?key=<secret>&token=<secret>&page=2');
    expect(maskPii('{"writeKey":"Qz8wK2mN5pR7tV9x","plan":"pro"}')).toBe('{"writeKey":"<secret>","plan":"pro"}');
    expect(maskPii('client_secret: hunter2hunter2, password=p4ss')).toBe('client_secret: <secret>, password=<secret>');
  });

  it('keeps what explains a failure: codes, counts, dates, short numbers, prose', () => {
    const message = 'HTTP 429 at 2026-12-03T17:15:13.000Z: 12 of 1,500 contacts refused (limit 100 per 10 s); Basic authentication failed for record key u:42';
    expect(maskPii(message)).toBe(message);
    expect(maskPii('run on 2026-12-03 took 3.5 s')).toBe('run on 2026-12-03 took 3.5 s');
  });

  it('masks before cutting, so a cut cannot leave half an address behind', () => {
    const text = `${'x'.repeat(190)} canary-12345@example.test`;
    const masked = maskPii(text, { maxChars: 200 });
    expect(masked).not.toContain('canary');
    expect(masked).toHaveLength(198);
    expect(maskPii(`${'y'.repeat(195)} bob.smith@example.com`, { maxChars: 200 })).toBe(`${'y'.repeat(195)} <em…`);
    // A huge text is scanned up to a bound and what lies past it dropped, never shown unmasked.
    expect(maskPii(`${'z '.repeat(20_000)}canary-9@example.test`)).not.toContain('canary');
  });
});

describe('maskPiiJson on samples of rejected records', () => {
  it('replaces the values of PII-named keys whole, and masks free text in the rest', () => {
    const line = '{"traits":{"telephone":"+44 20 7946 0958","phoneNumber":4155550100,"first_name":"Ana","apiKey":"abc","plan":"pro"},"note":"mail canary-1@example.test"}';
    expect(maskPiiJson(line)).toBe('{"traits":{"telephone":"[redacted]","phoneNumber":"[redacted]","first_name":"[redacted]","apiKey":"[redacted]","plan":"pro"},"note":"mail <email>"}');
  });

  it('works on text that is not valid JSON, such as a line cut by the source', () => {
    expect(maskPiiJson('{"email":"ann@x.com","card":"4111 1111 1111 1111", "bad')).toBe('{"email":"[redacted]","card":"[redacted]", "bad');
  });
});

describe('maskPiiDeep on structured values', () => {
  it('masks every string in an object or array and keeps keys, numbers and shape', () => {
    expect(maskPiiDeep({ error: 'x@y refused', samples: [{ message: 'phone 030 1234567', count: 3 }] })).toEqual({ error: '<email> refused', samples: [{ message: 'phone <phone>', count: 3 }] });
  });
});

describe('segflow\'s own reasons', () => {
  it('mask what they quote and keep their own figures and badly formatted dates readable', () => {
    expect(maskQuotedValues('line is 5243014 bytes; the limit is 32768 (ingest.max_event_bytes)')).toBe('line is 5243014 bytes; the limit is 32768 (ingest.max_event_bytes)');
    expect(maskQuotedValues('"timestamp" "ann@x.com +49 151 2345 6789" is not an ISO-8601 date')).toBe('"timestamp" "<email> <phone>" is not an ISO-8601 date');
    expect(maskQuotedValues('timestamp "13/01/2024 10:00" in column "date" is not a valid date')).toBe('timestamp "13/01/2024 10:00" in column "date" is not a valid date');
    expect(maskPii('event pe2052388266_cart_abandoned does not exist')).toBe('event pe2052388266_cart_abandoned does not exist');
    expect(maskPii('HubSpot rejected the token: renew it')).toBe('HubSpot rejected the token: renew it');
    expect(maskPii('token: pat-na1-1234abcd-5678')).toBe('token: <secret>');
  });
});
