import type { SimRequest, SimResponse } from '../../../../core/sync/simulation/index.js';
import { type AccountState, type Route, isObject } from './account-state.js';
import { type ProcessingType, type StoredList, publicList } from './list-store.js';

/** Lists v3 (vendor-facts.md 1.3): MANUAL lists and their memberships. */

const CONTACT_OBJECT_TYPE = '0-1';

function createList(request: SimRequest, _params: string[], account: AccountState): SimResponse {
  const body = request.body;
  if (!isObject(body)) return account.errors.validation('Invalid input JSON.');
  const { name, objectTypeId, processingType } = body;
  if (typeof name !== 'string' || name.trim() === '') return account.errors.validation('"name" is required.');
  if (typeof objectTypeId !== 'string' || objectTypeId === '') return account.errors.validation('"objectTypeId" is required.');
  if (processingType !== 'MANUAL' && processingType !== 'SNAPSHOT' && processingType !== 'DYNAMIC') {
    return account.errors.validation('"processingType" must be one of MANUAL, SNAPSHOT, DYNAMIC.');
  }
  if (processingType === 'DYNAMIC' && !isObject(body['filterBranch'])) return account.errors.validation('A DYNAMIC list needs a "filterBranch".');
  if (account.lists.findByName(name)) {
    return account.errors.respond(409, 'CONFLICT', `A list named "${name}" already exists. List names must be unique across all lists in the portal.`, { subCategory: 'ILS.DUPLICATE_LIST_NAMES' });
  }
  const list = account.lists.create(name, objectTypeId, processingType as ProcessingType);
  return { status: 200, body: { list: publicList(list) } };
}

function listNotFound(account: AccountState, what: string): SimResponse {
  return account.errors.notFound(`List ${what} does not exist.`, 'ILS.LIST_NOT_FOUND');
}

function getListByName(_request: SimRequest, params: string[], account: AccountState): SimResponse {
  const [objectTypeId = '', name = ''] = params;
  const list = account.lists.findByName(name, objectTypeId);
  return list ? { status: 200, body: { list: publicList(list) } } : listNotFound(account, `with name "${name}"`);
}

function getList(_request: SimRequest, params: string[], account: AccountState): SimResponse {
  const list = account.lists.get(params[0] ?? '');
  return list ? { status: 200, body: { list: publicList(list) } } : listNotFound(account, `with id ${params[0] ?? ''}`);
}

function deleteList(_request: SimRequest, params: string[], account: AccountState): SimResponse {
  return account.lists.remove(params[0] ?? '') ? { status: 204 } : listNotFound(account, `with id ${params[0] ?? ''}`);
}

function getMemberships(request: SimRequest, params: string[], account: AccountState): SimResponse {
  const list = account.lists.get(params[0] ?? '');
  if (!list) return listNotFound(account, `with id ${params[0] ?? ''}`);
  const limit = Math.min(250, Number(request.query.get('limit') ?? 100) || 100);
  const start = Number(request.query.get('after') ?? 0) || 0;
  const page = [...list.members].slice(start, start + limit);
  const results = page.map(([recordId, joinedAt]) => ({ recordId, membershipTimestamp: new Date(joinedAt).toISOString() }));
  const next = start + limit < list.members.size ? { paging: { next: { after: String(start + limit) } } } : {};
  return { status: 200, body: { results, total: list.members.size, ...next } };
}

function idArray(raw: unknown): string[] | undefined {
  if (!Array.isArray(raw) || !raw.every((id) => typeof id === 'string' || typeof id === 'number')) return undefined;
  return [...new Set(raw.map(String))];
}

/**
 * Applies one membership change. Records that do not exist are reported in
 * `recordIdsMissing`; records already in (on add) or not in (on remove)
 * are ignored, as HubSpot documents. Note the vendor's `recordsIdsAdded`.
 */
function changeMembers(params: string[], account: AccountState, toAdd: string[], toRemove: string[]): SimResponse {
  const list = account.lists.get(params[0] ?? '');
  if (!list) return listNotFound(account, `with id ${params[0] ?? ''}`);
  if (list.processingType === 'DYNAMIC') {
    return account.errors.validation(`List ${list.listId} is a DYNAMIC list; memberships can only be changed on MANUAL or SNAPSHOT lists.`);
  }
  if (toAdd.length + toRemove.length > account.membershipIds) {
    return account.errors.validation(`Too many record ids: ${toAdd.length + toRemove.length}. At most ${account.membershipIds} per call.`, { limit: [String(account.membershipIds)] });
  }
  const exists = (id: string) => list.objectTypeId === CONTACT_OBJECT_TYPE && account.contacts.get(id) !== undefined;
  const response = { recordIdsMissing: [] as string[], recordIdsRemoved: [] as string[], recordsIdsAdded: [] as string[] };
  for (const id of toAdd) {
    if (!exists(id)) response.recordIdsMissing.push(id);
    else if (!list.members.has(id)) {
      list.members.set(id, account.now());
      response.recordsIdsAdded.push(id);
    }
  }
  for (const id of toRemove) {
    if (!exists(id)) response.recordIdsMissing.push(id);
    else if (list.members.delete(id)) response.recordIdsRemoved.push(id);
  }
  touchIfChanged(list, response.recordsIdsAdded.length + response.recordIdsRemoved.length, account);
  return { status: 200, body: response };
}

function touchIfChanged(list: StoredList, changed: number, account: AccountState): void {
  if (changed > 0) account.lists.touch(list);
}

const BARE_ARRAY = 'The body must be a JSON array of record ids.';

function addMembers(request: SimRequest, params: string[], account: AccountState): SimResponse {
  const ids = idArray(request.body);
  return ids ? changeMembers(params, account, ids, []) : account.errors.validation(BARE_ARRAY);
}

function removeMembers(request: SimRequest, params: string[], account: AccountState): SimResponse {
  const ids = idArray(request.body);
  return ids ? changeMembers(params, account, [], ids) : account.errors.validation(BARE_ARRAY);
}

function addAndRemoveMembers(request: SimRequest, params: string[], account: AccountState): SimResponse {
  const body = isObject(request.body) ? request.body : {};
  const toAdd = idArray(body['recordIdsToAdd']);
  const toRemove = idArray(body['recordIdsToRemove']);
  if (!toAdd || !toRemove) return account.errors.validation('"recordIdsToAdd" and "recordIdsToRemove" are both required arrays.');
  return changeMembers(params, account, toAdd, toRemove);
}

const READ = 'crm.lists.read';
const WRITE = 'crm.lists.write';

export const LIST_ROUTES: readonly Route[] = [
  { method: 'POST', pattern: /^\/crm\/v3\/lists\/?$/, label: 'lists.create', scope: WRITE, handle: createList },
  { method: 'GET', pattern: /^\/crm\/v3\/lists\/object-type-id\/([^/]+)\/name\/([^/]+)$/, label: 'lists.get-by-name', scope: READ, handle: getListByName },
  { method: 'GET', pattern: /^\/crm\/v3\/lists\/(\d+)$/, label: 'lists.get', scope: READ, handle: getList },
  { method: 'DELETE', pattern: /^\/crm\/v3\/lists\/(\d+)$/, label: 'lists.delete', scope: WRITE, handle: deleteList },
  { method: 'GET', pattern: /^\/crm\/v3\/lists\/(\d+)\/memberships$/, label: 'lists.memberships.get', scope: READ, handle: getMemberships },
  { method: 'PUT', pattern: /^\/crm\/v3\/lists\/(\d+)\/memberships\/add$/, label: 'lists.memberships.add', scope: WRITE, handle: addMembers },
  { method: 'PUT', pattern: /^\/crm\/v3\/lists\/(\d+)\/memberships\/remove$/, label: 'lists.memberships.remove', scope: WRITE, handle: removeMembers },
  { method: 'PUT', pattern: /^\/crm\/v3\/lists\/(\d+)\/memberships\/add-and-remove$/, label: 'lists.memberships.add-and-remove', scope: WRITE, handle: addAndRemoveMembers },
];
