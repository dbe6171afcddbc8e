import type { HubSpotApis, RawRequest } from './hubspot-api.js';

/**
 * One call to an endpoint the SDK does not wrap (event definitions), read
 * as JSON. `apiRequest` resolves every status; a non-2xx is thrown in the
 * shape of the SDK's `ApiException {code, body, headers}`, so the session's
 * error mapping treats it like any other HubSpot answer.
 */
export async function rawJson(apis: HubSpotApis, label: string, options: RawRequest): Promise<unknown> {
  const response = await apis.request(options);
  const body = await readBody(response);
  if (!response.ok) throw new RawRequestFailure(label, response.status, body, Object.fromEntries(response.headers.entries()));
  return body;
}

export class RawRequestFailure extends Error {
  constructor(
    label: string,
    readonly code: number,
    readonly body: unknown,
    readonly headers: Record<string, string>,
  ) {
    super(`HTTP ${code} on ${label}`);
  }
}

/** JSON when HubSpot sends JSON; an edge's HTML error page stays text, as the SDK leaves it; a 204 is `undefined`. */
async function readBody(response: { text(): Promise<string> }): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
