import { MarketoRequestError, assertBatchSize, batchSizeOf, pageOffset, pageToken, success } from './envelope.js';
import { DEFAULT_LEAD_FIELDS, commaList, inputIds, isoSeconds, leadOutput, type RouteContext, type RouteHandler } from './route-context.js';
import type { StaticList } from './list-store.js';

/** Static list routes: query by name, create (Asset API), add/remove/read members. */

function listOutput(list: StaticList): Record<string, unknown> {
  return { id: list.id, name: list.name, description: list.description, programName: null, workspaceName: 'Default', createdAt: isoSeconds(list.createdAt), updatedAt: isoSeconds(list.updatedAt) };
}

export const getLists: RouteHandler = async ({ request, lists, requestId, latency }) => {
  const names = new Set(commaList(request.query.get('name')).map((name) => name.toLowerCase()));
  const ids = new Set(commaList(request.query.get('id')).map(Number));
  const batchSize = batchSizeOf(request.query.get('batchSize'));
  const offset = pageOffset(request.query.get('nextPageToken'));
  await latency();
  const matching = lists.all().filter((list) => (names.size === 0 || names.has(list.name.toLowerCase())) && (ids.size === 0 || ids.has(list.id)));
  const page = matching.slice(offset, offset + batchSize);
  const more = offset + batchSize < matching.length;
  return success(requestId, page.map(listOutput), more ? { moreResult: true, nextPageToken: pageToken(offset + batchSize) } : {});
};

/** The Asset API takes form fields; `folder` is JSON text like `{"id":1001,"type":"Folder"}`. */
function assetParams(context: RouteContext): Record<string, unknown> {
  const { request } = context;
  if (request.body && typeof request.body === 'object') return request.body as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(request.rawBody));
}

export const createStaticList: RouteHandler = async (context) => {
  const { lists, folderIds, requestId, latency } = context;
  const params = assetParams(context);
  const name = typeof params.name === 'string' ? params.name.trim() : '';
  if (name.length === 0) throw new MarketoRequestError('701', 'name cannot be blank');
  let folder: unknown = params.folder;
  if (typeof folder === 'string') {
    try {
      folder = JSON.parse(folder);
    } catch {
      throw new MarketoRequestError('1003', 'Invalid value for folder');
    }
  }
  const folderId = typeof folder === 'object' && folder !== null ? Number((folder as { id?: unknown }).id) : Number.NaN;
  if (Number.isNaN(folderId)) throw new MarketoRequestError('701', 'folder cannot be blank');
  if (!folderIds.has(folderId)) throw new MarketoRequestError('710', 'Parent folder not found');
  await latency();
  const created = lists.create(name, folderId, typeof params.description === 'string' ? params.description : '');
  if (created === 'duplicate-name') throw new MarketoRequestError('709', 'Static List with the same name already exists');
  return success(requestId, [{ ...listOutput(created), folder: { id: folderId, type: 'Folder' }, computedUrl: `https://app-sim.marketo.com/#ST${created.id}A1` }]);
};

function listFrom(context: RouteContext, listId: number): StaticList {
  const list = context.lists.get(listId);
  if (!list) throw new MarketoRequestError('1013', 'Static list not found');
  return list;
}

export function changeMembers(mode: 'add' | 'remove', listId: number): RouteHandler {
  return async (context) => {
    const { leads, requestId, latency } = context;
    const list = listFrom(context, listId);
    const ids = inputIds(context.request);
    if (ids.length === 0) throw new MarketoRequestError('1003', 'Invalid value: input is empty');
    assertBatchSize(ids.length, 'input');
    await latency();
    const result = ids.map((id) => {
      if (typeof id !== 'number' || !leads.get(id)) return { id, status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] };
      if (mode === 'add') {
        list.members.add(id);
        return { id, status: 'added' };
      }
      if (!list.members.delete(id)) return { id, status: 'skipped', reasons: [{ code: '1015', message: 'Lead not in list' }] };
      return { id, status: 'removed' };
    });
    return success(requestId, result);
  };
}

export function getMembers(listId: number): RouteHandler {
  return async (context) => {
    const list = listFrom(context, listId);
    const batchSize = batchSizeOf(context.request.query.get('batchSize'));
    const offset = pageOffset(context.request.query.get('nextPageToken'));
    const fieldNames = context.request.query.has('fields') ? commaList(context.request.query.get('fields')) : DEFAULT_LEAD_FIELDS;
    await context.latency();
    const members = [...list.members].sort((a, b) => a - b);
    const page = members.slice(offset, offset + batchSize).flatMap((id) => {
      const lead = context.leads.get(id);
      return lead ? [leadOutput(lead, fieldNames)] : [];
    });
    const more = offset + batchSize < members.length;
    return success(context.requestId, page, more ? { moreResult: true, nextPageToken: pageToken(offset + batchSize) } : {});
  };
}
