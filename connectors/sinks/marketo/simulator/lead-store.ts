/**
 * The simulator's lead database: leads, the field schema `describe`
 * reports, and value indexes for lookups. Email matching is
 * case-insensitive, as in Marketo. Leads are never merged: two creates for
 * one email leave two leads (the duplicate `duplicateKeys` must expose).
 */
export type LeadDataType = 'string' | 'email' | 'text' | 'integer' | 'float' | 'currency' | 'percent' | 'score' | 'boolean' | 'datetime' | 'date' | 'phone' | 'url';

/**
 * The `dataType` enum of Create Lead Fields (swagger-mapi.json `CreateLeadField`).
 * `text` (Text Area) is not in it: Describe reports such fields, but only an
 * admin in Field Management can make one.
 */
export const CREATABLE_DATA_TYPES: ReadonlySet<string> = new Set<LeadDataType>(['boolean', 'currency', 'date', 'datetime', 'email', 'float', 'integer', 'percent', 'phone', 'score', 'string', 'url']);

/** Marketo's String type holds "text up to 255 characters" (rest-api/field-types.md). */
export const STRING_FIELD_LENGTH = 255;

export interface LeadField {
  id: number;
  name: string;
  displayName: string;
  dataType: LeadDataType;
  length?: number;
  readOnly: boolean;
}

export interface Lead {
  id: number;
  /** Values written through the API (null = cleared). */
  values: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

/** The handful of standard fields a fresh Marketo instance describes (there are ~100; these cover the API paths). */
const STANDARD_FIELDS: ReadonlyArray<Omit<LeadField, 'id'>> = [
  { name: 'id', displayName: 'Id', dataType: 'integer', readOnly: true },
  { name: 'email', displayName: 'Email Address', dataType: 'email', length: 255, readOnly: false },
  { name: 'firstName', displayName: 'First Name', dataType: 'string', length: 255, readOnly: false },
  { name: 'lastName', displayName: 'Last Name', dataType: 'string', length: 255, readOnly: false },
  { name: 'company', displayName: 'Company Name', dataType: 'string', length: 255, readOnly: false },
  { name: 'title', displayName: 'Job Title', dataType: 'string', length: 255, readOnly: false },
  { name: 'phone', displayName: 'Phone Number', dataType: 'phone', length: 255, readOnly: false },
  { name: 'city', displayName: 'City', dataType: 'string', length: 255, readOnly: false },
  { name: 'country', displayName: 'Country', dataType: 'string', length: 255, readOnly: false },
  { name: 'leadSource', displayName: 'Lead Source', dataType: 'string', length: 255, readOnly: false },
  { name: 'unsubscribed', displayName: 'Unsubscribed', dataType: 'boolean', readOnly: false },
  { name: 'createdAt', displayName: 'Created At', dataType: 'datetime', readOnly: true },
  { name: 'updatedAt', displayName: 'Updated At', dataType: 'datetime', readOnly: true },
];

export interface LeadStore {
  fields(): LeadField[];
  field(name: string): LeadField | undefined;
  /** Adds a custom field; false when one with this name exists. */
  addField(field: Omit<LeadField, 'id' | 'readOnly'>): boolean;
  get(id: number): Lead | undefined;
  /** Every lead whose `fieldName` equals `value` (emails compared case-insensitively). */
  find(fieldName: string, value: unknown): Lead[];
  create(values: Record<string, unknown>): Lead;
  update(lead: Lead, values: Record<string, unknown>): void;
  delete(id: number): boolean;
  all(): IterableIterator<Lead>;
}

export function normalizeValue(value: unknown): string {
  return typeof value === 'string' ? value.trim().toLowerCase() : JSON.stringify(value);
}

export function createLeadStore(now: () => number): LeadStore {
  const fields = new Map<string, LeadField>();
  let nextFieldId = 1;
  for (const field of STANDARD_FIELDS) fields.set(field.name, { id: nextFieldId++, ...field });
  const leads = new Map<number, Lead>();
  let nextLeadId = 1001;
  // Indexes are built on first lookup by a field and then maintained on every write.
  const indexes = new Map<string, Map<string, Set<number>>>();

  function indexFor(fieldName: string): Map<string, Set<number>> {
    let index = indexes.get(fieldName);
    if (!index) {
      index = new Map();
      indexes.set(fieldName, index);
      for (const lead of leads.values()) addToIndex(index, lead.values[fieldName], lead.id);
    }
    return index;
  }

  function addToIndex(index: Map<string, Set<number>>, value: unknown, id: number): void {
    if (value === undefined || value === null) return;
    const key = normalizeValue(value);
    let ids = index.get(key);
    if (!ids) index.set(key, (ids = new Set()));
    ids.add(id);
  }

  function removeFromIndexes(lead: Lead, names: Iterable<string>): void {
    for (const name of names) {
      const index = indexes.get(name);
      const value = lead.values[name];
      if (!index || value === undefined || value === null) continue;
      index.get(normalizeValue(value))?.delete(lead.id);
    }
  }

  function addToIndexes(lead: Lead, names: Iterable<string>): void {
    for (const name of names) {
      const index = indexes.get(name);
      if (index) addToIndex(index, lead.values[name], lead.id);
    }
  }

  return {
    fields: () => [...fields.values()],
    field: (name) => fields.get(name),
    addField(field) {
      if (fields.has(field.name)) return false;
      fields.set(field.name, { ...field, id: nextFieldId++, readOnly: false });
      return true;
    },
    get: (id) => leads.get(id),
    find(fieldName, value) {
      if (fieldName === 'id') {
        const lead = leads.get(Number(value));
        return lead ? [lead] : [];
      }
      const ids = indexFor(fieldName).get(normalizeValue(value));
      return ids ? [...ids].sort((a, b) => a - b).map((id) => leads.get(id) as Lead) : [];
    },
    create(values) {
      const at = now();
      const lead: Lead = { id: nextLeadId++, values: { ...values }, createdAt: at, updatedAt: at };
      leads.set(lead.id, lead);
      addToIndexes(lead, Object.keys(values));
      return lead;
    },
    update(lead, values) {
      const names = Object.keys(values);
      removeFromIndexes(lead, names);
      Object.assign(lead.values, values);
      lead.updatedAt = now();
      addToIndexes(lead, names);
    },
    delete(id) {
      const lead = leads.get(id);
      if (!lead) return false;
      removeFromIndexes(lead, Object.keys(lead.values));
      leads.delete(id);
      return true;
    },
    all: () => leads.values(),
  };
}
