import { AsyncLocalStorage } from 'node:async_hooks';
import { Connection, OAuth2, type HttpRequest, type HttpRequestOptions } from 'jsforce';
import { z } from 'zod';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { SinkContext } from '../../../core/sync/sink.js';
import { buildJwtAssertion } from './jwt-assertion.js';
import { errorFromCall, errorFromTokenEndpoint } from './salesforce-errors.js';
import { SALESFORCE_CONNECTOR, type SalesforceSinkSettings } from './salesforce-sink-config.js';

/** The token endpoint's answer, parsed at the boundary. `id` is the identity URL, `…/id/<orgId>/<userId>`. */
const TokenResponseSchema = z.object({ access_token: z.string().min(1), instance_url: z.string().min(1), id: z.string().optional() }).loose();

/** A token minted, then refused again before any call succeeded, this many times: the org refuses our sessions. */
const MAX_REFRESHES_WITHOUT_SUCCESS = 2;

export interface SalesforceSession {
  readonly connection: Connection;
  /** Mints the first token (through the account queue) unless one is held. */
  ensureToken(context: SinkContext): Promise<void>;
  /**
   * Runs one jsforce call and turns a thrown error into a ConnectorError. A
   * 401 inside is refreshed and replayed by jsforce, once, for all concurrent
   * callers; `action` says what segflow was doing, for the error message.
   */
  call<T>(action: string, invoke: (connection: Connection) => Promise<T>): Promise<T>;
  /** The org id from the last token's identity URL; undefined before the first token (or if Salesforce sent no `id`). */
  organizationId(): string | undefined;
}

/**
 * A jsforce Connection prepared for segflow: pinned API version, no SDK
 * retries (the executor retries, once per account), a refresh function for
 * the server-to-server grants (which issue no refresh token), and the HTTP
 * status of each call kept aside so error mapping can tell a 5xx apart.
 */
export function createSalesforceSession(settings: SalesforceSinkSettings, now: () => number = Date.now): SalesforceSession {
  const oauth2 = new OAuth2({ loginUrl: settings.loginUrl, clientId: settings.clientId, ...(settings.clientSecret ? { clientSecret: settings.clientSecret } : {}) });
  const statusOfCall = new AsyncLocalStorage<{ status?: number }>();
  /** Tokens the org answered 401 to; a refresh is needed only while the connection holds one of these. */
  const refusedTokens = new Set<string>();
  let refreshesWithoutSuccess = 0;
  let lastRefreshError: ConnectorError | undefined;
  let firstToken: Promise<void> | undefined;
  let organizationId: string | undefined;

  const mint = async (): Promise<z.infer<typeof TokenResponseSchema>> => {
    let answer: unknown;
    try {
      const grant: { grant_type: string; [name: string]: string } = settings.jwt
        ? { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: buildJwtAssertion({ clientId: settings.clientId, ...settings.jwt, now: now() }) }
        : { grant_type: 'client_credentials' };
      answer = await oauth2.requestToken(grant);
    } catch (error) {
      throw errorFromTokenEndpoint(error, settings.loginUrl);
    }
    const token = TokenResponseSchema.safeParse(answer);
    if (!token.success) throw new ConnectorError('retryable', 'salesforce.auth_unexpected', `Salesforce token endpoint ${settings.loginUrl} answered without access_token/instance_url`, { connector: SALESFORCE_CONNECTOR });
    organizationId = orgIdOf(token.data.id) ?? organizationId;
    return token.data;
  };

  const connection = new Connection({
    loginUrl: settings.loginUrl,
    ...(settings.instanceUrl ? { instanceUrl: settings.instanceUrl } : {}),
    version: settings.apiVersion,
    oauth2,
    // jsforce's SessionRefreshDelegate makes this single-flight: concurrent 401s wait for one refresh, then replay.
    // The refresh runs inside the queue slot of the call that met the 401, not through context.request:
    // when every slot holds a call waiting for the new token, a queued refresh would never start.
    refreshFn: (current, callback) => {
      const held = current.accessToken;
      // A caller whose 401 arrived after another refresh finished: the held token is already new.
      if (held && !refusedTokens.has(held)) {
        callback(null, held);
        return;
      }
      if (refreshesWithoutSuccess >= MAX_REFRESHES_WITHOUT_SUCCESS) {
        lastRefreshError = new ConnectorError('config', 'salesforce.session_refused', 'Salesforce refuses every new session token (401 INVALID_SESSION_ID right after a refresh). Check the integration user\'s API access and IP restrictions.', { connector: SALESFORCE_CONNECTOR });
        callback(lastRefreshError);
        return;
      }
      refreshesWithoutSuccess += 1;
      mint().then(
        (token) => {
          lastRefreshError = undefined;
          if (!settings.instanceUrl) current.instanceUrl = token.instance_url;
          callback(null, token.access_token);
        },
        (error: unknown) => {
          lastRefreshError = error instanceof ConnectorError ? error : errorFromTokenEndpoint(error, settings.loginUrl);
          callback(lastRefreshError);
        },
      );
    },
  });

  const transport = connection._transport;
  const observed = Object.create(transport) as typeof transport;
  observed.httpRequest = (request: HttpRequest, options?: HttpRequestOptions) => {
    // Retries belong to the executor (one budget, one pace per account): switch jsforce's off for every method and status.
    const pending = transport.httpRequest(request, { ...options, retry: { ...options?.retry, maxRetries: 0, methods: [] } });
    const scope = statusOfCall.getStore();
    pending.then(
      (response) => {
        if (scope) scope.status = response.statusCode;
        if (response.statusCode === 401) {
          const token = /^Bearer (.+)$/.exec(request.headers?.Authorization ?? '')?.[1];
          if (token) refusedTokens.add(token);
        } else {
          refreshesWithoutSuccess = 0;
        }
      },
      () => undefined,
    );
    return pending;
  };
  connection._transport = observed;

  return {
    connection,
    async ensureToken(context) {
      if (connection.accessToken) return;
      if (!firstToken) {
        firstToken = context.request('salesforce.oauth.token', mint).then((token) => {
          connection.accessToken = token.access_token;
          if (!settings.instanceUrl) connection.instanceUrl = token.instance_url;
        });
        // A failed first mint is retried by the next call, not cached.
        firstToken.catch(() => {
          firstToken = undefined;
        });
      }
      await firstToken;
    },
    async call(action, invoke) {
      const scope: { status?: number } = {};
      try {
        return await statusOfCall.run(scope, () => invoke(connection));
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('Unable to refresh session') && lastRefreshError) throw lastRefreshError;
        throw errorFromCall(error, scope.status, action);
      }
    },
    organizationId: () => organizationId,
  };
}

/** `https://login.salesforce.com/id/00D…/005…`: the org id is the segment after `/id/` (jsforce's userInfo reads it the same way). */
function orgIdOf(identityUrl: string | undefined): string | undefined {
  if (identityUrl === undefined) return undefined;
  const match = /\/id\/(00D[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)\/[A-Za-z0-9]+\/?$/.exec(identityUrl);
  return match?.[1];
}
