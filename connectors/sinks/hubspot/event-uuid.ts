import { createHash } from 'node:crypto';

/**
 * HubSpot's event `uuid` must be a UUID, and it is the send endpoint's
 * idempotency key (the first occurrence with a uuid is kept, later ones are
 * rejected). segflow's action ids are 22 base64url characters, so each is
 * mapped to a name-based UUID (RFC 4122 version 5: SHA-1 of a namespace and
 * the name): the same action id always gives the same uuid, so a retry or
 * a replay after a crash is the same occurrence to HubSpot.
 */
const SEGFLOW_ACTION_NAMESPACE = Buffer.from('6f1c2d0e9a4b4f53b8e27d5a3c91e0f4', 'hex');

export function actionUuid(actionId: string): string {
  const bytes = createHash('sha1').update(SEGFLOW_ACTION_NAMESPACE).update(actionId, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50; // version 5
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
