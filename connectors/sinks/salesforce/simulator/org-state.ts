import { createOrgSchema, isPersonObject, type CustomFieldSpec, type SObjectDefinition } from './sobject-schema.js';

/** One row of the fake org. `fields` never holds `Id`. */
export interface StoredRecord {
  Id: string;
  type: string;
  fields: Record<string, unknown>;
}

/**
 * Undo log for one API call: `allOrNone` requests apply record by record and
 * roll everything back when one record fails, as Salesforce does.
 */
export class Journal {
  private readonly undos: Array<() => void> = [];

  record(undo: () => void): void {
    this.undos.push(undo);
  }

  rollback(): void {
    for (let index = this.undos.length - 1; index >= 0; index -= 1) this.undos[index]?.();
    this.undos.length = 0;
  }
}

/**
 * Records, campaigns and campaign members of the fake org, with the indexes
 * Salesforce keeps: external id values (not unique: an insert can create a
 * second record with the same value, which is how duplicates happen) and one
 * membership per (campaign, person).
 */
export class OrgState {
  readonly schema: Map<string, SObjectDefinition>;
  private readonly records = new Map<string, StoredRecord>();
  private readonly idsByType = new Map<string, Set<string>>();
  private readonly deletedIds = new Set<string>();
  /** `Type.Field` → value → record ids. */
  private readonly externalIndex = new Map<string, Map<string, Set<string>>>();
  /** `campaignId:personId` → CampaignMember id. */
  private readonly memberIndex = new Map<string, string>();
  /** Campaign or person id → CampaignMember ids (for cascading deletes). */
  private readonly memberships = new Map<string, Set<string>>();
  private idCounter = 0;

  constructor(customFields: readonly CustomFieldSpec[]) {
    this.schema = createOrgSchema(customFields);
  }

  get(id: string): StoredRecord | undefined {
    return this.records.get(id);
  }

  wasDeleted(id: string): boolean {
    return this.deletedIds.has(id);
  }

  ofType(type: string): Iterable<StoredRecord> {
    const ids = this.idsByType.get(type) ?? new Set<string>();
    const records = this.records;
    return (function* () {
      for (const id of ids) {
        const record = records.get(id);
        if (record) yield record;
      }
    })();
  }

  /** Ids of the `type` records whose external id `field` holds `value`. */
  findByExternalId(type: string, field: string, value: string): string[] {
    return [...(this.externalIndex.get(`${type}.${field}`)?.get(value) ?? [])];
  }

  /** CampaignMember ids of a campaign or of a person. */
  membersOf(ownerId: string): string[] {
    return [...(this.memberships.get(ownerId) ?? [])];
  }

  memberId(campaignId: string, personId: string): string | undefined {
    return this.memberIndex.get(`${campaignId}:${personId}`);
  }

  /** Every external id value held by more than one record. */
  duplicateExternalIds(type: string, field: string): string[] {
    const index = this.externalIndex.get(`${type}.${field}`) ?? new Map<string, Set<string>>();
    return [...index].filter(([, ids]) => ids.size > 1).map(([value]) => value);
  }

  insert(type: string, fields: Record<string, unknown>, journal: Journal): StoredRecord {
    const prefix = this.schema.get(type)?.keyPrefix ?? '001';
    this.idCounter += 1;
    // 18 characters like a real id: key prefix, a pod-ish marker, a counter, a checksum-ish suffix.
    const record: StoredRecord = { Id: `${prefix}5g0${this.idCounter.toString(36).toUpperCase().padStart(9, '0')}SIM`, type, fields: { ...fields } };
    this.add(record);
    journal.record(() => this.drop(record));
    return record;
  }

  update(record: StoredRecord, changes: Record<string, unknown>, journal: Journal): void {
    const before = record.fields;
    this.unindex(record);
    record.fields = { ...before, ...changes };
    this.index(record);
    journal.record(() => {
      this.unindex(record);
      record.fields = before;
      this.index(record);
    });
  }

  /** Deletes a record; a person or campaign takes its campaign members with it. */
  remove(id: string, journal: Journal): void {
    const record = this.records.get(id);
    if (!record) return;
    for (const memberId of [...(this.memberships.get(id) ?? [])]) this.remove(memberId, journal);
    this.drop(record);
    this.deletedIds.add(id);
    journal.record(() => {
      this.deletedIds.delete(id);
      this.add(record);
    });
  }

  private add(record: StoredRecord): void {
    this.records.set(record.Id, record);
    let ids = this.idsByType.get(record.type);
    if (!ids) this.idsByType.set(record.type, (ids = new Set()));
    ids.add(record.Id);
    this.index(record);
  }

  private drop(record: StoredRecord): void {
    this.unindex(record);
    this.records.delete(record.Id);
    this.idsByType.get(record.type)?.delete(record.Id);
  }

  private index(record: StoredRecord): void {
    for (const [key, value] of this.externalValues(record)) {
      let index = this.externalIndex.get(key);
      if (!index) this.externalIndex.set(key, (index = new Map()));
      let ids = index.get(value);
      if (!ids) index.set(value, (ids = new Set()));
      ids.add(record.Id);
    }
    const membership = memberKeys(record);
    if (membership) {
      this.memberIndex.set(`${membership.campaignId}:${membership.personId}`, record.Id);
      for (const owner of [membership.campaignId, membership.personId]) {
        let members = this.memberships.get(owner);
        if (!members) this.memberships.set(owner, (members = new Set()));
        members.add(record.Id);
      }
    }
  }

  private unindex(record: StoredRecord): void {
    for (const [key, value] of this.externalValues(record)) {
      const ids = this.externalIndex.get(key)?.get(value);
      ids?.delete(record.Id);
      if (ids?.size === 0) this.externalIndex.get(key)?.delete(value);
    }
    const membership = memberKeys(record);
    if (membership) {
      this.memberIndex.delete(`${membership.campaignId}:${membership.personId}`);
      this.memberships.get(membership.campaignId)?.delete(record.Id);
      this.memberships.get(membership.personId)?.delete(record.Id);
    }
  }

  private externalValues(record: StoredRecord): Array<[string, string]> {
    if (!isPersonObject(record.type)) return [];
    const fields = this.schema.get(record.type)?.fields.values() ?? [];
    const values: Array<[string, string]> = [];
    for (const field of fields) {
      const value = record.fields[field.name];
      if (field.externalId && typeof value === 'string' && value !== '') values.push([`${record.type}.${field.name}`, value]);
    }
    return values;
  }
}

function memberKeys(record: StoredRecord): { campaignId: string; personId: string } | undefined {
  if (record.type !== 'CampaignMember') return undefined;
  const campaignId = record.fields.CampaignId;
  const personId = record.fields.ContactId ?? record.fields.LeadId;
  return typeof campaignId === 'string' && typeof personId === 'string' ? { campaignId, personId } : undefined;
}
