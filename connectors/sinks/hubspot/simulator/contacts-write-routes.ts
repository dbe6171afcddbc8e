import type { SimRequest, SimResponse } from '../../../../core/sync/simulation/index.js';
import {
  type AccountState,
  type PropertyIssue,
  batchResponse,
  duplicateIds,
  invalidProperties,
  judgeProperties,
  optionalString,
  publicContact,
  readInputs,
} from './account-state.js';
import { normalizeEmail, type StoredContact } from './contact-store.js';
import { recordError, type StandardError } from './error-bodies.js';

/**
 * The contact writes: batch upsert (by email, full replace), update (by id,
 * partial) and create. Per-record problems come back as a 207 with
 * `errors[]` naming the input (`context.ids`, `context.objectWriteTraceId`).
 */

/** Why HubSpot would refuse to write this email at all (fault-plan rejection, bad format, GDPR blocklist). */
function refuseEmail(email: string, account: AccountState, input: { id?: string; objectWriteTraceId?: string | undefined }): StandardError | undefined {
  if (account.faults.rejects(email) || account.faults.rejects(normalizeEmail(email)) || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
    const issue: PropertyIssue = { name: 'email', message: `Email address ${email} is invalid`, code: 'INVALID_EMAIL', context: { propertyName: ['email'] } };
    return invalidProperties([issue], input);
  }
  if (account.contacts.isBlocked(email)) {
    return recordError('VALIDATION_ERROR', `Email address ${email} was permanently deleted (GDPR) and is blocklisted; it cannot be used for a new contact.`, [{ message: 'Email address is blocklisted', code: 'BLOCKLISTED_EMAIL' }], input);
  }
  return undefined;
}

export function upsertContacts(request: SimRequest, _params: string[], account: AccountState): SimResponse {
  const read = readInputs(request.body, account.batchInputs, account);
  if (!read.ok) return read.response;
  for (const input of read.inputs) {
    if (typeof input['id'] !== 'string' || input['id'].trim() === '') return account.errors.validation('Each input needs an "id" (the email address).');
    if (input['idProperty'] !== 'email') return account.errors.validation(`Property "${String(input['idProperty'])}" is not a unique identifier usable for upsert; use idProperty "email".`);
  }
  const ids = read.inputs.map((input) => input['id'] as string);
  const duplicate = duplicateIds(ids, account);
  if (duplicate) return duplicate;

  const results: unknown[] = [];
  const errors: StandardError[] = [];
  for (const input of read.inputs) {
    const id = input['id'] as string;
    const reference = { id, objectWriteTraceId: optionalString(input['objectWriteTraceId']) };
    const { values, issues } = judgeProperties(input['properties'], account);
    const refusal = refuseEmail(id, account, reference) ?? (issues.length > 0 ? invalidProperties(issues, reference) : undefined);
    if (refusal) {
      errors.push(refusal);
      continue;
    }
    delete values['email'];
    const existing = account.contacts.findByEmail(id);
    const contact = existing ?? account.contacts.create({ email: normalizeEmail(id) });
    account.contacts.write(contact, values, 'replace');
    results.push({ ...publicContact(contact), new: existing === undefined, ...(reference.objectWriteTraceId ? { objectWriteTraceId: reference.objectWriteTraceId } : {}) });
  }
  account.stats.rejectedRecords += errors.length;
  return batchResponse(results, errors, 200, account);
}

export function updateContacts(request: SimRequest, _params: string[], account: AccountState): SimResponse {
  const read = readInputs(request.body, account.batchInputs, account);
  if (!read.ok) return read.response;
  if (read.inputs.some((input) => typeof input['id'] !== 'string')) return account.errors.validation('Each input needs an "id".');
  const duplicate = duplicateIds(read.inputs.map((input) => input['id'] as string), account);
  if (duplicate) return duplicate;

  const results: unknown[] = [];
  const errors: StandardError[] = [];
  for (const input of read.inputs) {
    const id = input['id'] as string;
    const reference = { id, objectWriteTraceId: optionalString(input['objectWriteTraceId']) };
    const contact = input['idProperty'] === 'email' ? account.contacts.findByEmail(id) : account.contacts.get(id);
    if (!contact) {
      errors.push(recordError('OBJECT_NOT_FOUND', 'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.', [], reference));
      continue;
    }
    const refusal = refuseUpdate(contact, input['properties'], account, reference);
    if (refusal) {
      errors.push(refusal);
      account.stats.rejectedRecords += 1;
      continue;
    }
    account.contacts.write(contact, judgeProperties(input['properties'], account).values, 'merge');
    results.push({ ...publicContact(contact), ...(reference.objectWriteTraceId ? { objectWriteTraceId: reference.objectWriteTraceId } : {}) });
  }
  return batchResponse(results, errors, 200, account);
}

function refuseUpdate(contact: StoredContact, properties: unknown, account: AccountState, reference: { id: string; objectWriteTraceId: string | undefined }): StandardError | undefined {
  const email = contact.properties['email'];
  if (email !== undefined && (account.faults.rejects(email) || account.faults.rejects(reference.id))) return refuseEmail(email, account, reference);
  const { values, issues } = judgeProperties(properties, account);
  if (issues.length > 0) return invalidProperties(issues, reference);
  const owner = values['email'] ? account.contacts.findByEmail(values['email']) : undefined;
  if (owner && owner.id !== contact.id) return recordError('CONFLICT', `Contact already exists. Existing ID: ${owner.id}`, [], reference);
  return undefined;
}

/**
 * Batch create. Multi-status (207) only when every input carries an
 * `objectWriteTraceId`, as HubSpot documents; otherwise one bad input fails
 * the whole call and nothing is written.
 */
export function createContacts(request: SimRequest, _params: string[], account: AccountState): SimResponse {
  const read = readInputs(request.body, account.batchInputs, account);
  if (!read.ok) return read.response;
  const emails = read.inputs.map((input) => judgeProperties(input['properties'], account).values['email']).filter((email): email is string => email !== undefined);
  const duplicate = duplicateIds(emails, account);
  if (duplicate) return duplicate;
  const multiStatus = read.inputs.every((input) => typeof input['objectWriteTraceId'] === 'string');

  const verdicts = read.inputs.map((input) => {
    const reference = { objectWriteTraceId: optionalString(input['objectWriteTraceId']) };
    const { values, issues } = judgeProperties(input['properties'], account);
    const email = values['email'];
    const existing = email === undefined ? undefined : account.contacts.findByEmail(email);
    const refusal =
      (issues.length > 0 ? invalidProperties(issues, reference) : undefined) ??
      (email === undefined ? undefined : refuseEmail(email, account, { ...reference, id: email })) ??
      (existing ? recordError('CONFLICT', `Contact already exists. Existing ID: ${existing.id}`, [], reference) : undefined);
    return { values, reference, refusal };
  });
  const refusals = verdicts.flatMap((verdict) => (verdict.refusal ? [verdict.refusal] : []));
  account.stats.rejectedRecords += refusals.length;
  const first = refusals[0];
  if (first && !multiStatus) {
    return account.errors.respond(first.category === 'CONFLICT' ? 409 : 400, first.category, first.message, { errors: first.errors, context: first.context });
  }
  const results = verdicts.flatMap(({ values, reference, refusal }) => {
    if (refusal) return [];
    const contact = account.contacts.create(values);
    return [{ ...publicContact(contact), ...(reference.objectWriteTraceId ? { objectWriteTraceId: reference.objectWriteTraceId } : {}) }];
  });
  return batchResponse(results, refusals, 201, account);
}
