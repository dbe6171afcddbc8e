import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The HTTP plumbing every vendor simulator shares: a real server on
 * 127.0.0.1 (port 0 = the OS picks a free one), bodies read whole and parsed
 * as JSON when the content type says so. Vendor logic lives in the handler.
 */
export interface SimRequest {
  method: string;
  /** Path without the query string, e.g. `/crm/v3/objects/contacts/batch/upsert`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON body; `undefined` when empty or not JSON (then read `rawBody`). */
  body: unknown;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as JSON unless it is a string (sent as is, e.g. CSV). */
  body?: unknown;
  /**
   * The call was applied, and its answer is lost: the socket is destroyed
   * without a byte of response, which is what a client sees when a vendor
   * accepts a call and the connection dies before the answer (the
   * `lostResponses` fault of the action endpoints).
   */
  lose?: true;
}

export type SimHandler = (request: SimRequest) => SimResponse | Promise<SimResponse>;

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startJsonServer(handler: SimHandler, options: { port?: number } = {}): Promise<RunningServer> {
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      let body: unknown;
      if (rawBody.length > 0 && /json/i.test(incoming.headers['content-type'] ?? 'application/json')) {
        try {
          body = JSON.parse(rawBody);
        } catch {
          body = undefined;
        }
      }
      const request: SimRequest = { method: incoming.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: incoming.headers, rawBody, body };
      Promise.resolve()
        .then(() => handler(request))
        .then(
          (response) => send(outgoing, response),
          (error: unknown) => send(outgoing, { status: 500, body: { message: `simulator bug: ${String(error)}` } }),
        );
    });
  });
  // Keep-alive sockets would hold `close()` open for their idle timeout.
  server.keepAliveTimeout = 1_000;
  await listen(server, options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function send(outgoing: ServerResponse, response: SimResponse): void {
  if (outgoing.destroyed) return;
  if (response.lose) {
    outgoing.socket?.destroy();
    return;
  }
  const headers: Record<string, string> = { ...response.headers };
  let payload = '';
  if (response.body !== undefined) {
    payload = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
    headers['content-type'] ??= typeof response.body === 'string' ? 'text/plain' : 'application/json;charset=utf-8';
  }
  outgoing.writeHead(response.status, headers);
  outgoing.end(payload);
}
