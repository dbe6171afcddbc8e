import { createRequire } from 'node:module';
import { Client } from '@hubspot/api-client';

/**
 * The `@hubspot/api-client` objects the sink calls, built so that the SDK
 * neither retries nor paces: segflow's executor does both, once per account.
 *
 * - Retries: `Client.getDecorators()` adds a RetryDecorator only when
 *   `numberOfApiCallRetries > 0`, and the decorator's loop counts *attempts*
 *   (`for index = 1..N`, stop at N), so 1 would also mean one attempt, while
 *   0 or unset means no decorator at all. We pass 0. (Handing 0 to
 *   RetryDecorator directly would skip the call and resolve `undefined`; the
 *   Client never does that.)
 * - Limiter: Bottleneck is applied only when `limiterOptions` is passed; we
 *   never pass it.
 * - The gotcha: decorators live in a process-global singleton that every
 *   `new Client()` overwrites, and discovery objects (`client.crm.contacts`
 *   …) are decorated lazily, on first access, with whatever the singleton
 *   holds *then*. So we touch every API we use right after construction, in
 *   the same synchronous turn, and put back what the singleton held before,
 *   so two sinks (or a sink and any other HubSpot client) in one process
 *   cannot change each other's retry or limiter settings.
 */
export function createHubSpotApis(baseUrl: string, accessToken: string | undefined) {
  const registry = decoratorRegistry();
  const previous = registry?.getInstance().decorators;
  const client = new Client({ basePath: baseUrl, ...(accessToken ? { accessToken } : {}), numberOfApiCallRetries: 0 });
  const apis = {
    contactsBatch: client.crm.contacts.batchApi,
    contactsBasic: client.crm.contacts.basicApi,
    lists: client.crm.lists.listsApi,
    memberships: client.crm.lists.membershipsApi,
    properties: client.crm.properties.coreApi,
    oauthTokens: client.oauth.tokensApi,
    eventsBatch: client.events.send.batchApi,
    // Unwrapped endpoints (account info). apiRequest applies the singleton's decorators on every call, not once:
    // empty them for the synchronous part of the call so another client's limiter (or retries) never wrap ours.
    request: (options: RawRequest) => withoutDecorators(registry, () => client.apiRequest(options)),
  };
  if (registry && previous) registry.getInstance().setDecorators(previous);
  return apis;
}

export type HubSpotApis = ReturnType<typeof createHubSpotApis>;

/** `client.apiRequest`'s options: `{method, path, qs, body}`; the answer is a fetch Response that does not throw on non-2xx. */
export type RawRequest = NonNullable<Parameters<Client['apiRequest']>[0]>;

function withoutDecorators<T>(registry: DecoratorRegistry | undefined, call: () => T): T {
  const service = registry?.getInstance();
  const saved = service?.decorators;
  service?.setDecorators([]);
  try {
    return call();
  } finally {
    if (service && saved) service.setDecorators(saved);
  }
}

interface DecoratorRegistry {
  getInstance(): { decorators: unknown[]; setDecorators(decorators: unknown[]): void };
}

let cachedRegistry: DecoratorRegistry | null | undefined;

/** The SDK's internal singleton (13.5.0 has no exports map, so the deep path resolves); null if a future layout moves it. */
function decoratorRegistry(): DecoratorRegistry | undefined {
  if (cachedRegistry === undefined) {
    try {
      const loaded = createRequire(import.meta.url)('@hubspot/api-client/lib/src/services/ApiDecoratorService') as { default?: DecoratorRegistry };
      cachedRegistry = typeof loaded.default?.getInstance === 'function' ? loaded.default : null;
    } catch {
      cachedRegistry = null;
    }
  }
  return cachedRegistry ?? undefined;
}
