import type { FaultPlan, RollingWindow, SimRequest, SimResponse, SimulatorStats } from '../../../../core/sync/simulation/index.js';
import type { ContactStore, StoredContact } from './contact-store.js';
import type { ErrorBodies, ErrorDetail, StandardError } from './error-bodies.js';
import type { EventStore } from './event-store.js';
import type { ListStore } from './list-store.js';
import type { PropertyStore } from './property-store.js';
import { judgeValue } from './property-values.js';

/** Everything a route handler may read or change: the fake account and its switches. */
export interface AccountState {
  contacts: ContactStore;
  properties: PropertyStore;
  lists: ListStore;
  /** Custom behavioral event definitions and the occurrences sent to them. */
  events: EventStore;
  /** The send endpoints' own limit (1,250 requests per second). */
  sendWindow: RollingWindow;
  errors: ErrorBodies;
  faults: FaultPlan;
  stats: SimulatorStats;
  now: () => number;
  /** Inputs per contacts batch call. @default 100 */
  batchInputs: number;
  /** Record ids per membership call (HubSpot documents no cap). @default 1000 */
  membershipIds: number;
}

export interface Route {
  method: string;
  /** Matched against the decoded path; capture groups become `params`. */
  pattern: RegExp;
  /** Stats label, e.g. `contacts.batch.upsert`. */
  label: string;
  /** The OAuth scope HubSpot requires for the call. */
  scope: string;
  /** An action endpoint (an event send): the `lostResponses` fault applies to it. */
  actionEndpoint?: boolean;
  handle(request: SimRequest, params: string[], account: AccountState): SimResponse;
}

export type Inputs = { ok: true; inputs: Array<Record<string, unknown>> } | { ok: false; response: SimResponse };

/** `{inputs: [...]}` with at most `cap` entries; HubSpot refuses the whole call otherwise. */
export function readInputs(body: unknown, cap: number, account: AccountState): Inputs {
  const inputs = isObject(body) ? body['inputs'] : undefined;
  if (!Array.isArray(inputs) || !inputs.every(isObject)) {
    return { ok: false, response: account.errors.validation('Invalid input JSON: "inputs" must be an array of objects.') };
  }
  if (inputs.length > cap) {
    return { ok: false, response: account.errors.validation(`Too many inputs: ${inputs.length}. Batch operations are limited to ${cap} records at a time.`, { limit: [String(cap)] }) };
  }
  return { ok: true, inputs };
}

/** HubSpot refuses a batch naming the same record twice (field-lessons 2). */
export function duplicateIds(ids: readonly string[], account: AccountState): SimResponse | undefined {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const id of ids) {
    const key = id.trim().toLowerCase();
    if (seen.has(key)) repeated.add(id);
    seen.add(key);
  }
  if (repeated.size === 0) return undefined;
  return account.errors.validation(`Duplicate IDs found in batch input: [${[...repeated].join(', ')}]. IDs must be unique`, { ids: [...repeated] });
}

export interface PropertyIssue extends ErrorDetail {
  name: string;
}

/** Checks every property of one input; returns the stored-form values or the issues. */
export function judgeProperties(raw: unknown, account: AccountState): { values: Record<string, string>; issues: PropertyIssue[] } {
  const values: Record<string, string> = {};
  const issues: PropertyIssue[] = [];
  if (raw === undefined) return { values, issues };
  if (!isObject(raw)) return { values, issues: [{ name: 'properties', message: 'properties must be an object', code: 'INVALID_PROPERTY_VALUE' }] };
  for (const [name, value] of Object.entries(raw)) {
    const verdict = judgeValue(name, account.properties.get(name), value);
    if (verdict.ok) values[name] = verdict.value;
    else issues.push({ name, message: verdict.message, code: verdict.code, context: { propertyName: [name] } });
  }
  return { values, issues };
}

/** The per-record 207 error for invalid property values, in HubSpot's words. */
export function invalidProperties(issues: readonly PropertyIssue[], input: { id?: string; objectWriteTraceId?: string | undefined }): StandardError {
  const summary = JSON.stringify(issues.map((issue) => ({ isValid: false, message: issue.message, error: issue.code, name: issue.name })));
  return {
    status: 'error',
    category: 'VALIDATION_ERROR',
    message: `Property values were not valid: ${summary}`,
    errors: issues.map(({ message, code, context }) => ({ message, ...(code ? { code } : {}), ...(context ? { context } : {}) })),
    context: { ...(input.id !== undefined ? { ids: [input.id] } : {}), ...(input.objectWriteTraceId !== undefined ? { objectWriteTraceId: [input.objectWriteTraceId] } : {}) },
    links: {},
  };
}

/** A contact as the object APIs return it: stored properties plus the system ones. */
export function publicContact(contact: StoredContact, only?: readonly string[]): Record<string, unknown> {
  const all: Record<string, string | null> = { ...contact.properties, hs_object_id: contact.id, createdate: contact.createdAt, lastmodifieddate: contact.updatedAt };
  const properties = only && only.length > 0 ? Object.fromEntries(only.map((name) => [name, all[name] ?? null])) : all;
  return { id: contact.id, properties, createdAt: contact.createdAt, updatedAt: contact.updatedAt, archived: false };
}

/** The batch envelope: `okStatus` when all went well, 207 with `errors[]` otherwise. */
export function batchResponse(results: unknown[], errors: StandardError[], okStatus: number, account: AccountState): SimResponse {
  const at = new Date(account.now()).toISOString();
  const body: Record<string, unknown> = { status: 'COMPLETE', results, startedAt: at, completedAt: at };
  if (errors.length === 0) return { status: okStatus, body };
  return { status: 207, body: { ...body, numErrors: errors.length, errors } };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
