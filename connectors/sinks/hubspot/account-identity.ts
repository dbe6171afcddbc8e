import { z } from 'zod';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { SinkContext } from '../../../core/sync/sink.js';
import type { HubSpotSession } from './hubspot-session.js';
import { HUBSPOT_CONNECTOR } from './hubspot-sink-config.js';

/**
 * Which HubSpot account the token opens: `GET /account-info/v3/details`
 * answers with the portal (Hub) id, whatever kind of token asked. The SDK
 * wraps no Account API, so the call goes through `apiRequest`; the session
 * still queues it, refreshes an OAuth token on 401 and maps errors.
 */
const DetailsSchema = z.looseObject({ portalId: z.number().int().nonnegative() });

const LABEL = 'account-info.details';

export async function identifyPortal(session: HubSpotSession, baseUrl: string, context: SinkContext): Promise<string> {
  const body = await session.call(context, LABEL, async (apis) => {
    const response = await apis.request({ method: 'GET', path: '/account-info/v3/details' });
    const answer = await readBody(response);
    // apiRequest resolves every status; the SDK's typed APIs throw this shape, which the error mapping reads.
    if (!response.ok) throw new AccountInfoFailure(response.status, answer, Object.fromEntries(response.headers.entries()));
    return answer;
  });
  const details = DetailsSchema.safeParse(body);
  if (!details.success) {
    throw new ConnectorError('retryable', 'hubspot.unexpected_response', `HubSpot answered ${LABEL} without a portalId (${details.error.issues[0]?.message ?? 'invalid'}).`, { connector: HUBSPOT_CONNECTOR });
  }
  return `hubspot:${new URL(baseUrl).host}:portal-${details.data.portalId}`;
}

/** The `{code, body, headers}` of the SDK's ApiException, so `toConnectorError` treats it like any other HubSpot answer. */
class AccountInfoFailure extends Error {
  constructor(
    readonly code: number,
    readonly body: unknown,
    readonly headers: Record<string, string>,
  ) {
    super(`HTTP ${code} on ${LABEL}`);
  }
}

/** JSON when HubSpot sends JSON; an edge's HTML error page stays text, as the SDK leaves it. */
async function readBody(response: { text(): Promise<string> }): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
