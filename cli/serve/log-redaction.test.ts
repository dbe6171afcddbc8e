import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { serveLogRedaction } from './log-redaction.js';

function capture(): { logger: ReturnType<typeof pino>; text: () => string } {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { logger: pino({ ...serveLogRedaction, base: { mapping: 'live' } }, sink), text: () => text };
}

describe('the server log redaction', () => {
  it('drops credentials, bodies and query strings by path, whatever they hold', () => {
    const { logger, text } = capture();
    logger.info({ req: { method: 'POST', headers: { authorization: 'Basic d2tfY2FuYXJ5Og==', 'x-signature': 'sha1=abc', cookie: 'sid=1' }, body: { plan: 'pro' }, query: { page: '2' } } }, 'request refused');
    const line = JSON.parse(text()) as { req: Record<string, unknown> };
    expect(line.req).toEqual({ method: 'POST', headers: { authorization: '[redacted]', 'x-signature': '[redacted]', cookie: '[redacted]' }, body: '[redacted]', query: '[redacted]' });
  });

  it('masks PII and secrets by pattern in messages, fields and errors', () => {
    const { logger, text } = capture();
    logger.warn({ error: 'refused canary-1@example.test', url: '/v1/p?email=canary-2%40example.test' }, 'phone +49 151 2345 6789 and token pat-na1-0a1b2c3d-1111-2222');
    logger.error({ err: new Error('bad card 4111 1111 1111 1111') }, 'failed');
    expect(text()).not.toMatch(/canary|2345 6789|4111|pat-na1/);
    expect(text()).toContain('phone <phone> and token <secret>');
    expect(text()).toContain('bad card <card>');
  });
});
