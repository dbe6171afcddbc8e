import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { postAlerts } from './alert-webhook.js';

const alerts = [{ kind: 'recluster' as const, message: 're-cluster recommended' }];

describe('alert webhook', () => {
  it('a refused or unreachable webhook is reported by host, never by its URL (which carries a token)', async () => {
    const server = createServer((_request, response) => response.writeHead(503).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const refused = await postAlerts(`http://127.0.0.1:${port}/hook?token=secret`, { mapping: 'm', runId: 'r', alerts });
    expect(refused).toEqual({ delivered: false, alerts: 1, error: `127.0.0.1:${port} answered HTTP 503` });
    await new Promise((resolve) => server.close(resolve));
    const unreachable = await postAlerts(`http://127.0.0.1:${port}/hook?token=secret`, { mapping: 'm', runId: 'r', alerts });
    expect(unreachable.delivered).toBe(false);
    expect(unreachable.error).toMatch(new RegExp(`^127\\.0\\.0\\.1:${port} could not be reached`));
    expect(unreachable.error).not.toContain('secret');
  });
});
