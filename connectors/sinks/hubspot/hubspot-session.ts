import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { SinkContext } from '../../../core/sync/sink.js';
import { type HubSpotApis, createHubSpotApis } from './hubspot-api.js';
import { redactEmails } from '../../../core/privacy/redact-text.js';
import { httpFailure, toConnectorError } from './hubspot-error-mapping.js';
import { HUBSPOT_CONNECTOR, type ResolvedHubSpotConfig } from './hubspot-sink-config.js';

/**
 * Every vendor call of one sink: through the account queue
 * (`context.request`), with the current access token, errors mapped to the
 * taxonomy. A 401 with OAuth credentials refreshes the token once for all
 * callers (single-flight: whoever fails first refreshes, the others wait
 * for that refresh) and replays the call once; a second 401 is a config
 * error. Each token gets its own SDK objects (a "generation"), so a call
 * knows which token it used and whether a newer one already exists.
 */
interface Generation {
  apis: HubSpotApis;
  token: string | undefined;
  number: number;
}

export class HubSpotSession {
  private generation: Generation;
  private refreshing: Promise<void> | undefined;
  private refreshToken: string | undefined;

  constructor(private readonly config: ResolvedHubSpotConfig) {
    this.generation = { apis: createHubSpotApis(config.baseUrl, config.accessToken), token: config.accessToken, number: 0 };
    this.refreshToken = config.refresh?.refreshToken;
  }

  async call<T>(context: SinkContext, label: string, invoke: (apis: HubSpotApis) => Promise<T>): Promise<T> {
    // Configured with OAuth credentials only: the first call fetches a token.
    if (this.generation.token === undefined) await this.refreshAfter(this.generation.number, context);
    const used = this.generation;
    try {
      return await context.request(label, () => invoke(used.apis));
    } catch (error) {
      if (httpFailure(error)?.status !== 401 || !this.config.refresh) throw toConnectorError(error, { label, now: context.now() });
    }
    await this.refreshAfter(used.number, context);
    const fresh = this.generation;
    try {
      return await context.request(label, () => invoke(fresh.apis));
    } catch (error) {
      throw toConnectorError(error, { label, now: context.now() });
    }
  }

  /** Refreshes unless a newer token than the one that failed exists already; concurrent callers share one refresh. */
  private refreshAfter(failedGeneration: number, context: SinkContext): Promise<void> {
    if (this.generation.number > failedGeneration && this.generation.token !== undefined) return Promise.resolve();
    this.refreshing ??= this.refresh(context).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refresh(context: SinkContext): Promise<void> {
    const credentials = this.config.refresh;
    if (!credentials) {
      throw new ConnectorError('config', 'hubspot.credentials_missing', 'HubSpot sink has no access token and no OAuth credentials to get one.', { connector: HUBSPOT_CONNECTOR });
    }
    const current = this.generation.apis;
    let response: Awaited<ReturnType<HubSpotApis['oauthTokens']['create']>>;
    try {
      response = await context.request('oauth.refresh', () =>
        current.oauthTokens.create('refresh_token', undefined, undefined, credentials.clientId, credentials.clientSecret, this.refreshToken),
      );
    } catch (error) {
      const failure = httpFailure(error);
      if (failure && failure.status >= 400 && failure.status < 500 && failure.status !== 429) {
        const reason = redactEmails([failure.body.status, failure.body.message].filter(Boolean).join(': ') || `HTTP ${failure.status}`);
        throw new ConnectorError('config', 'hubspot.refresh_failed', `HubSpot refused to refresh the OAuth access token (${reason}); check refresh_token, client_id and client_secret, or re-install the app.`, {
          connector: HUBSPOT_CONNECTOR,
          cause: { status: failure.status },
        });
      }
      throw toConnectorError(error, { label: 'oauth.refresh', now: context.now() });
    }
    if (!response.accessToken) {
      throw new ConnectorError('retryable', 'hubspot.refresh_failed', 'HubSpot answered the OAuth refresh without an access token.', { connector: HUBSPOT_CONNECTOR });
    }
    if (response.refreshToken) this.refreshToken = response.refreshToken;
    this.generation = { apis: createHubSpotApis(this.config.baseUrl, response.accessToken), token: response.accessToken, number: this.generation.number + 1 };
  }
}
