import type { SimResponse } from '../../../../core/sync/simulation/index.js';
import type { Route } from './account-state.js';

/**
 * Account information API v3: `GET /account-info/v3/details`, which a sink
 * calls to learn which portal its token opens. Its only scope is `oauth`,
 * which HubSpot gives every app and private app: taking scopes away never
 * refuses this call.
 */
export const ALWAYS_GRANTED_SCOPE = 'oauth';

/**
 * The fake portal's id, from the simulator seed: a bijection on 31 bits
 * (odd multipliers and right xor-shifts), so two seeds never share a portal
 * and the id fits the spec's int32.
 */
export function portalIdFor(seed: number): number {
  let value = (seed + 0x2545f491) & 0x7fffffff;
  value ^= value >>> 15;
  value = Math.imul(value, 0x2c1b3c6d) & 0x7fffffff;
  value ^= value >>> 12;
  value = Math.imul(value, 0x297a2d39) & 0x7fffffff;
  value ^= value >>> 15;
  return value;
}

/** The details of a Free/Starter US portal; the fake account keeps UTC (see rate-gate.ts). */
function details(portalId: number): SimResponse {
  return {
    status: 200,
    body: {
      portalId,
      accountType: 'STANDARD',
      timeZone: 'UTC',
      companyCurrency: 'USD',
      additionalCurrencies: [],
      utcOffset: '+00:00',
      utcOffsetMilliseconds: 0,
      uiDomain: 'app.hubspot.com',
      dataHostingLocation: 'na1',
    },
  };
}

export function accountInfoRoutes(portalId: number): readonly Route[] {
  return [{ method: 'GET', pattern: /^\/account-info\/v3\/details$/, label: 'account-info.details', scope: ALWAYS_GRANTED_SCOPE, handle: () => details(portalId) }];
}
