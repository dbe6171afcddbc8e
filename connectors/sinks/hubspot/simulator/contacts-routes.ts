import type { SimRequest, SimResponse } from '../../../../core/sync/simulation/index.js';
import { type AccountState, type Route, batchResponse, isObject, publicContact, readInputs } from './account-state.js';
import { createContacts, updateContacts, upsertContacts } from './contacts-write-routes.js';
import type { StandardError } from './error-bodies.js';

/** Contacts object API v3 (vendor-facts.md 1.2): batch endpoints and GDPR delete. */

const DEFAULT_READ_PROPERTIES = ['email', 'firstname', 'lastname', 'hs_object_id', 'createdate', 'lastmodifieddate'];

function readContacts(request: SimRequest, _params: string[], account: AccountState): SimResponse {
  const read = readInputs(request.body, account.batchInputs, account);
  if (!read.ok) return read.response;
  const body = request.body as Record<string, unknown>;
  const byEmail = body['idProperty'] === 'email';
  const requested = Array.isArray(body['properties']) ? body['properties'].filter((name): name is string => typeof name === 'string') : [];
  const only = requested.length > 0 ? [...new Set([...requested, 'hs_object_id', 'createdate', 'lastmodifieddate'])] : DEFAULT_READ_PROPERTIES;
  // Archived records are not modelled: asking for them finds nothing.
  const archived = request.query.get('archived') === 'true';
  const results: unknown[] = [];
  const missing: string[] = [];
  for (const input of read.inputs) {
    const id = typeof input['id'] === 'string' ? input['id'] : String(input['id']);
    const contact = archived ? undefined : byEmail ? account.contacts.findByEmail(id) : account.contacts.get(id);
    if (contact) results.push(publicContact(contact, only));
    else missing.push(id);
  }
  const errors: StandardError[] =
    missing.length === 0
      ? []
      : [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.', errors: [], context: { ids: missing }, links: {} }];
  return batchResponse(results, errors, 200, account);
}

function archiveContacts(request: SimRequest, _params: string[], account: AccountState): SimResponse {
  const read = readInputs(request.body, account.batchInputs, account);
  if (!read.ok) return read.response;
  for (const input of read.inputs) {
    if (typeof input['id'] !== 'string') continue;
    if (account.contacts.remove(input['id'])) account.lists.forgetRecord(input['id']);
  }
  return { status: 204 };
}

/**
 * `POST /crm/v3/objects/contacts/gdpr-delete`: 204 in every case but an
 * unknown record id. An unknown *email* is blocklisted, so it can never be
 * created afterwards (the spec's documented side effect).
 */
function gdprDelete(request: SimRequest, _params: string[], account: AccountState): SimResponse {
  const body = request.body;
  if (!isObject(body) || typeof body['objectId'] !== 'string' || body['objectId'] === '') return account.errors.validation('"objectId" is required.');
  const objectId = body['objectId'];
  if (body['idProperty'] === 'email') {
    const contact = account.contacts.findByEmail(objectId);
    if (!contact) {
      account.contacts.block(objectId);
      return { status: 204 };
    }
    account.contacts.remove(contact.id);
    account.lists.forgetRecord(contact.id);
    return { status: 204 };
  }
  if (body['idProperty'] !== undefined) return account.errors.validation(`"${String(body['idProperty'])}" cannot be used as idProperty for GDPR delete.`);
  if (!account.contacts.remove(objectId)) return account.errors.notFound(`Could not find a CONTACT with id ${objectId}.`);
  account.lists.forgetRecord(objectId);
  return { status: 204 };
}

const READ = 'crm.objects.contacts.read';
const WRITE = 'crm.objects.contacts.write';

export const CONTACT_ROUTES: readonly Route[] = [
  { method: 'POST', pattern: /^\/crm\/v3\/objects\/contacts\/batch\/upsert$/, label: 'contacts.batch.upsert', scope: WRITE, handle: upsertContacts },
  { method: 'POST', pattern: /^\/crm\/v3\/objects\/contacts\/batch\/read$/, label: 'contacts.batch.read', scope: READ, handle: readContacts },
  { method: 'POST', pattern: /^\/crm\/v3\/objects\/contacts\/batch\/update$/, label: 'contacts.batch.update', scope: WRITE, handle: updateContacts },
  { method: 'POST', pattern: /^\/crm\/v3\/objects\/contacts\/batch\/create$/, label: 'contacts.batch.create', scope: WRITE, handle: createContacts },
  { method: 'POST', pattern: /^\/crm\/v3\/objects\/contacts\/batch\/archive$/, label: 'contacts.batch.archive', scope: WRITE, handle: archiveContacts },
  { method: 'POST', pattern: /^\/crm\/v3\/objects\/contacts\/gdpr-delete$/, label: 'contacts.gdpr-delete', scope: WRITE, handle: gdprDelete },
];
