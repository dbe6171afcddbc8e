/**
 * The fake org's data model: which sObjects exist, their fields and the
 * value coercion Salesforce applies when a record is written (JSON from the
 * REST API or CSV cells from Bulk API 2.0). Custom fields exist only when the
 * org was given them, as in a real org where an admin creates them in Setup.
 */
export type FieldType = 'id' | 'reference' | 'string' | 'email' | 'phone' | 'textarea' | 'picklist' | 'multipicklist' | 'double' | 'boolean' | 'datetime';

export interface FieldDefinition {
  name: string;
  type: FieldType;
  label: string;
  /** Marked "External ID" in Setup: usable for upsert. Not marked unique, so an insert can duplicate it. */
  externalId: boolean;
  /** Set by the platform (Id): a write naming it is an error. */
  readOnly: boolean;
}

export interface SObjectDefinition {
  name: string;
  /** First three characters of every record id of this type. */
  keyPrefix: string;
  fields: Map<string, FieldDefinition>;
}

/** A custom field the org has, as an admin created it. */
export interface CustomFieldSpec {
  name: string;
  /** @default 'string' */
  type?: FieldType;
  /** @default false */
  externalId?: boolean;
}

/** sObjects that hold people (and can be campaign members). */
export const PERSON_OBJECTS = ['Contact', 'Lead'] as const;
export type PersonObject = (typeof PERSON_OBJECTS)[number];

export function isPersonObject(name: string): name is PersonObject {
  return (PERSON_OBJECTS as readonly string[]).includes(name);
}

const STANDARD_FIELDS: Record<string, ReadonlyArray<[string, FieldType]>> = {
  Contact: [
    ['FirstName', 'string'],
    ['LastName', 'string'],
    ['Email', 'email'],
    ['Phone', 'phone'],
    ['Title', 'string'],
    ['AccountId', 'reference'],
    ['MailingCity', 'string'],
    ['MailingCountry', 'string'],
    ['HasOptedOutOfEmail', 'boolean'],
    ['Description', 'textarea'],
  ],
  Lead: [
    ['FirstName', 'string'],
    ['LastName', 'string'],
    ['Company', 'string'],
    ['Email', 'email'],
    ['Phone', 'phone'],
    ['Status', 'picklist'],
    ['LeadSource', 'picklist'],
    ['City', 'string'],
    ['Country', 'string'],
    ['HasOptedOutOfEmail', 'boolean'],
  ],
  Campaign: [
    ['Name', 'string'],
    ['IsActive', 'boolean'],
    ['Status', 'picklist'],
    ['Type', 'picklist'],
    ['Description', 'textarea'],
  ],
  CampaignMember: [
    ['CampaignId', 'reference'],
    ['ContactId', 'reference'],
    ['LeadId', 'reference'],
    ['Status', 'picklist'],
  ],
};

const KEY_PREFIXES: Record<string, string> = { Contact: '003', Lead: '00Q', Campaign: '701', CampaignMember: '00v' };

export function createOrgSchema(customFields: readonly CustomFieldSpec[]): Map<string, SObjectDefinition> {
  const objects = new Map<string, SObjectDefinition>();
  for (const [name, standard] of Object.entries(STANDARD_FIELDS)) {
    const fields = new Map<string, FieldDefinition>();
    fields.set('Id', { name: 'Id', type: 'id', label: `${name} ID`, externalId: false, readOnly: true });
    for (const [fieldName, type] of standard) fields.set(fieldName, { name: fieldName, type, label: fieldName, externalId: false, readOnly: false });
    objects.set(name, { name, keyPrefix: KEY_PREFIXES[name] ?? '001', fields });
  }
  for (const person of PERSON_OBJECTS) addCustomFields(objects, person, customFields);
  return objects;
}

/** Adds (or redefines) custom fields on one object, as an admin would in Setup. */
export function addCustomFields(objects: Map<string, SObjectDefinition>, objectName: string, customFields: readonly CustomFieldSpec[]): void {
  const object = objects.get(objectName);
  if (!object) throw new Error(`simulator: unknown sObject ${objectName}`);
  for (const field of customFields) {
    object.fields.set(field.name, { name: field.name, type: field.type ?? 'string', label: field.name.replace(/__c$/, '').replaceAll('_', ' '), externalId: field.externalId ?? false, readOnly: false });
  }
}

export type Coerced = { ok: true; value: unknown } | { ok: true; unchanged: true } | { ok: false; message: string };

/**
 * Converts a written value to what Salesforce stores. JSON `null` clears; in
 * Bulk CSV an empty cell leaves the field unchanged and `#N/A` clears it.
 */
export function coerceFieldValue(field: FieldDefinition, raw: unknown, source: 'json' | 'csv'): Coerced {
  if (source === 'csv') {
    if (raw === '') return { ok: true, unchanged: true };
    if (raw === '#N/A') return { ok: true, value: field.type === 'boolean' ? false : null };
  }
  // Checkbox fields are never null in Salesforce: clearing one unchecks it.
  if (raw === null) return { ok: true, value: field.type === 'boolean' ? false : null };
  const invalid = (): Coerced => ({ ok: false, message: `${field.name}: value not of required type: ${String(raw)}` });
  switch (field.type) {
    case 'double': {
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
      return Number.isFinite(value) ? { ok: true, value } : invalid();
    }
    case 'boolean':
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (typeof raw === 'string' && /^(true|false)$/i.test(raw)) return { ok: true, value: raw.toLowerCase() === 'true' };
      return invalid();
    case 'datetime':
      return typeof raw === 'string' && !Number.isNaN(Date.parse(raw)) ? { ok: true, value: raw } : invalid();
    default:
      if (typeof raw === 'string') return { ok: true, value: raw };
      if (typeof raw === 'number' || typeof raw === 'boolean') return { ok: true, value: String(raw) };
      return invalid();
  }
}

/** The `describe` answer (GET /sobjects/{SObject}/describe), trimmed to what clients read. */
export function describeSObject(object: SObjectDefinition, baseUrl: string): Record<string, unknown> {
  return {
    name: object.name,
    label: object.name,
    keyPrefix: object.keyPrefix,
    custom: false,
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    urls: { describe: `${baseUrl}/sobjects/${object.name}/describe`, sobject: `${baseUrl}/sobjects/${object.name}` },
    fields: [...object.fields.values()].map((field) => ({
      name: field.name,
      label: field.label,
      type: field.type,
      custom: field.name.endsWith('__c'),
      externalIdField: field.externalId,
      idLookup: field.externalId || field.name === 'Id',
      nillable: !field.readOnly && field.type !== 'boolean',
      createable: !field.readOnly,
      updateable: !field.readOnly,
      unique: false,
    })),
  };
}
