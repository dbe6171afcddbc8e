/**
 * The contact property schema of the fake account: HubSpot's built-in
 * properties plus whatever `POST /crm/v3/properties/contacts` creates.
 * Records may only carry properties defined here, and enumeration values
 * must be option *values* (internal names), as in HubSpot.
 */
export interface PropertyOption {
  label: string;
  value: string;
  hidden: boolean;
  displayOrder: number;
  description?: string;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  hasUniqueValue: boolean;
  hidden: boolean;
  formField: boolean;
  hubspotDefined: boolean;
  calculated: boolean;
  externalOptions: boolean;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
}

/** Which field types HubSpot accepts for each data type. */
export const FIELD_TYPES_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  string: ['text', 'textarea', 'file', 'phonenumber', 'html'],
  number: ['number', 'calculation_equation'],
  date: ['date'],
  datetime: ['date'],
  bool: ['booleancheckbox', 'radio', 'select'],
  enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox'],
};

export const PROPERTY_GROUPS = ['contactinformation', 'emailinformation', 'conversioninformation', 'analyticsinformation', 'sales_properties', 'socialmediainformation'];

type BuiltIn = Pick<PropertyDefinition, 'name' | 'label' | 'type' | 'fieldType'> & { readOnly?: boolean; options?: string[] };

const BUILT_INS: readonly BuiltIn[] = [
  { name: 'email', label: 'Email', type: 'string', fieldType: 'text' },
  { name: 'firstname', label: 'First Name', type: 'string', fieldType: 'text' },
  { name: 'lastname', label: 'Last Name', type: 'string', fieldType: 'text' },
  { name: 'phone', label: 'Phone Number', type: 'string', fieldType: 'phonenumber' },
  { name: 'company', label: 'Company Name', type: 'string', fieldType: 'text' },
  { name: 'lifecyclestage', label: 'Lifecycle Stage', type: 'enumeration', fieldType: 'radio', options: ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'] },
  { name: 'hs_object_id', label: 'Record ID', type: 'number', fieldType: 'number', readOnly: true },
  { name: 'createdate', label: 'Create Date', type: 'datetime', fieldType: 'date', readOnly: true },
  { name: 'lastmodifieddate', label: 'Last Modified Date', type: 'datetime', fieldType: 'date', readOnly: true },
];

export class PropertyStore {
  private readonly definitions = new Map<string, PropertyDefinition>();

  constructor(private readonly now: () => number) {
    for (const builtIn of BUILT_INS) {
      const options = (builtIn.options ?? []).map((value, index) => ({ label: value, value, hidden: false, displayOrder: index }));
      const definition = this.build({ ...builtIn, groupName: 'contactinformation', options }, true);
      definition.modificationMetadata.readOnlyValue = builtIn.readOnly ?? false;
      this.definitions.set(builtIn.name, definition);
    }
  }

  get(name: string): PropertyDefinition | undefined {
    return this.definitions.get(name);
  }

  list(): PropertyDefinition[] {
    return [...this.definitions.values()];
  }

  /** Adds a definition already validated by the route. */
  create(input: Pick<PropertyDefinition, 'name' | 'label' | 'type' | 'fieldType' | 'groupName' | 'options'> & Partial<PropertyDefinition>): PropertyDefinition {
    const definition = this.build(input, false);
    this.definitions.set(definition.name, definition);
    return definition;
  }

  /** PATCH semantics: given fields replace stored ones (`options` replaces the whole option list, as in HubSpot). */
  update(name: string, patch: Partial<Pick<PropertyDefinition, 'label' | 'description' | 'options' | 'groupName' | 'hidden' | 'displayOrder' | 'type' | 'fieldType' | 'formField'>>): PropertyDefinition {
    const definition = this.definitions.get(name);
    if (!definition) throw new Error(`no property ${name}`);
    Object.assign(definition, patch, { updatedAt: new Date(this.now()).toISOString() });
    return definition;
  }

  private build(input: Pick<PropertyDefinition, 'name' | 'label' | 'type' | 'fieldType' | 'groupName' | 'options'> & Partial<PropertyDefinition>, hubspotDefined: boolean): PropertyDefinition {
    const at = new Date(this.now()).toISOString();
    return {
      description: '',
      displayOrder: -1,
      hasUniqueValue: false,
      hidden: false,
      formField: false,
      calculated: false,
      externalOptions: false,
      archived: false,
      ...input,
      hubspotDefined,
      createdAt: at,
      updatedAt: at,
      modificationMetadata: { archivable: !hubspotDefined, readOnlyDefinition: hubspotDefined, readOnlyValue: false },
    };
  }
}
