import { MarketoRequestError, assertBatchSize, type Reason } from './envelope.js';
import type { Lead, LeadField, LeadStore } from './lead-store.js';

/**
 * `POST /rest/v1/leads.json` (vendor-facts.md §3 "Sync leads"), in two
 * steps: `plan` looks every input up when the request arrives, `commit`
 * writes after the response latency. Two requests in flight at once that
 * both carry a new email therefore both create: Marketo's documented
 * "concurrent upserts with the same key can create duplicates".
 */
export type SyncAction = 'createOrUpdate' | 'createOnly' | 'updateOnly' | 'createDuplicate';
const ACTIONS: ReadonlySet<string> = new Set<SyncAction>(['createOrUpdate', 'createOnly', 'updateOnly', 'createDuplicate']);

type Plan = { kind: 'create'; values: Record<string, unknown> } | { kind: 'update'; leadId: number; values: Record<string, unknown> } | { kind: 'skip'; reason: Reason; injected?: boolean };

export interface SyncResultRecord {
  id?: number;
  status: 'created' | 'updated' | 'skipped';
  reasons?: Reason[];
}

export interface PlannedSync {
  /** Records skipped because the fault plan rejects their key. */
  rejected: number;
  commit(): SyncResultRecord[];
}

export interface SyncOptions {
  store: LeadStore;
  rejects(key: string): boolean;
}

export function planLeadSync(body: unknown, options: SyncOptions): PlannedSync {
  const { store } = options;
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { input?: unknown }).input)) {
    throw new MarketoRequestError('1003', 'Invalid value: input must be an array of leads');
  }
  const request = body as { action?: unknown; lookupField?: unknown; input: unknown[] };
  const action = request.action ?? 'createOrUpdate';
  if (typeof action !== 'string' || !ACTIONS.has(action)) throw new MarketoRequestError('1003', `Invalid value for action: ${String(action)}`);
  const lookupField = request.lookupField ?? 'email';
  if (typeof lookupField !== 'string' || !store.field(lookupField)) throw new MarketoRequestError('1006', `Lookup field '${String(lookupField)}' not found`);
  if (lookupField === 'id' && action !== 'updateOnly') throw new MarketoRequestError('1003', "Invalid value: lookupField 'id' is allowed only with action updateOnly");
  if (request.input.length === 0) throw new MarketoRequestError('1003', 'Invalid value: input is empty');
  assertBatchSize(request.input.length, 'input');

  let rejected = 0;
  const plans = request.input.map((input): Plan => {
    const plan = planOne(input, action as SyncAction, lookupField, options);
    if (plan.kind === 'skip' && plan.injected) rejected += 1;
    return plan;
  });

  return {
    rejected,
    commit: () => plans.map((plan) => commitOne(plan, store)),
  };
}

function planOne(input: unknown, action: SyncAction, lookupField: string, { store, rejects }: SyncOptions): Plan {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return skip('1003', 'Invalid value: a lead must be an object');
  const values = { ...(input as Record<string, unknown>) };
  const key = values[lookupField];
  if (lookupField !== 'id') delete values.id;
  if ('id' in (input as object) && action !== 'updateOnly') return skip('1003', "Field 'id' is allowed only with action updateOnly");
  for (const [name, value] of Object.entries(values)) {
    const field = store.field(name);
    if (!field || (field.readOnly && name !== lookupField)) return skip('1006', `Field '${name}' not found`);
    if (!valueFits(field, value)) return skip('1003', `Invalid value for field '${name}'`);
  }
  delete values.id;
  if (key === undefined || key === null || key === '') return skip('1003', `Value for lookup field '${lookupField}' not specified`);
  // A vendor validation rule rejecting this record (FaultPlan.rejectKeys): say which field, never echo the value.
  if (typeof key === 'string' && rejects(key)) return { kind: 'skip', reason: { code: '1003', message: `Value for field '${lookupField}' failed validation` }, injected: true };
  if (action === 'createDuplicate') return { kind: 'create', values };
  const matches = store.find(lookupField, key);
  if (matches.length > 1 && action !== 'createOnly') return skip('1007', 'Multiple lead match lookup criteria');
  const match = matches[0];
  if (action === 'createOnly') return match ? skip('1005', 'Lead already exists') : { kind: 'create', values };
  if (action === 'updateOnly') return match ? { kind: 'update', leadId: match.id, values } : skip('1004', 'Lead not found');
  return match ? { kind: 'update', leadId: match.id, values } : { kind: 'create', values };
}

function commitOne(plan: Plan, store: LeadStore): SyncResultRecord {
  if (plan.kind === 'skip') return { status: 'skipped', reasons: [plan.reason] };
  if (plan.kind === 'create') return { id: store.create(plan.values).id, status: 'created' };
  const lead: Lead | undefined = store.get(plan.leadId);
  // Deleted by another call while this one was in flight.
  if (!lead) return { status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] };
  store.update(lead, plan.values);
  return { id: lead.id, status: 'updated' };
}

function skip(code: string, message: string): Plan {
  return { kind: 'skip', reason: { code, message } };
}

function valueFits(field: LeadField, value: unknown): boolean {
  if (value === null) return true;
  switch (field.dataType) {
    case 'integer':
    case 'percent':
    case 'score':
      return Number.isInteger(typeof value === 'string' ? Number(value) : value);
    case 'float':
    case 'currency':
      return typeof value === 'number' ? Number.isFinite(value) : typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value));
    case 'boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false';
    case 'datetime':
    case 'date':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value));
    default:
      if (typeof value === 'number' || typeof value === 'boolean') return true;
      // Marketo counts characters (code points); a Text Area field describes no length here.
      return typeof value === 'string' && (field.length === undefined || [...value].length <= field.length);
  }
}
