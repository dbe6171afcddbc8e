import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The raw (still compressed) body. */
  body: Readable;
}

/** One GET; resolves at the response headers, so the body can be streamed. Injected so tests can count or break calls. */
export type HttpGet = (url: URL, headers: Record<string, string>, signal: AbortSignal) => Promise<HttpResponse>;

/**
 * node:http rather than fetch: fetch (undici) decompresses gzip itself and
 * flushes leniently, so a truncated export would end quietly one line short.
 * Here the body stays compressed and the source's own gunzip notices the
 * missing end. A socket idle for `idleTimeoutMs` (before the headers or in
 * the middle of the body) is destroyed with ETIMEDOUT, so a stalled export
 * fails the day instead of hanging the run.
 */
export function createNodeHttpGet(options: { idleTimeoutMs: number }): HttpGet {
  return (url, headers, signal) =>
    new Promise((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      let body: IncomingMessage | undefined;
      const request = send(url, { method: 'GET', headers, signal, timeout: options.idleTimeoutMs }, (response: IncomingMessage) => {
        body = response;
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: response });
      });
      request.on('timeout', () => {
        const stalled = Object.assign(new Error(`no data for ${options.idleTimeoutMs} ms`), { code: 'ETIMEDOUT' });
        // The body first: destroying only the request would surface as a plain "aborted".
        body?.destroy(stalled);
        request.destroy(stalled);
      });
      request.on('error', reject);
      request.end();
    });
}

/** Mixpanel starts streaming a day within seconds; five idle minutes is a stall, not a slow day. */
export const nodeHttpGet: HttpGet = createNodeHttpGet({ idleTimeoutMs: 300_000 });

/** The start of an error body (Mixpanel answers `{"error": "…"}`), for messages; never more than `limit` bytes. */
export async function readErrorText(body: Readable, limit = 2_048): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      if (bytes < limit) chunks.push(buffer.subarray(0, limit - bytes));
      bytes += buffer.length;
      if (bytes >= limit) break;
    }
  } catch {
    // An error body that fails to arrive says no more than its status.
  } finally {
    body.destroy();
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // Not JSON: the text itself is the message.
  }
  return text.replace(/\s+/g, ' ').slice(0, 300);
}
