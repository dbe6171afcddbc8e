import type { PropertyDefinition } from './property-store.js';

/**
 * How HubSpot judges one property value on a write. Values travel as
 * strings (numbers and booleans in JSON are accepted and stored as text);
 * an empty string clears the property. Error codes are HubSpot's
 * (`INVALID_OPTION`, `PROPERTY_DOESNT_EXIST`, `INVALID_EMAIL` …).
 */
export type ValueVerdict = { ok: true; value: string } | { ok: false; code: string; message: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const EPOCH_MS = /^\d{1,15}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function judgeValue(name: string, definition: PropertyDefinition | undefined, raw: unknown): ValueVerdict {
  if (!definition) return { ok: false, code: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` };
  if (definition.modificationMetadata.readOnlyValue) return { ok: false, code: 'READ_ONLY_VALUE', message: `${name} is a read only property; its value cannot be set.` };
  if (raw === null || raw === '') return { ok: true, value: '' };
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
    return { ok: false, code: 'INVALID_PROPERTY_VALUE', message: `Property "${name}" expects a string value` };
  }
  const value = String(raw);
  if (name === 'email') {
    return EMAIL.test(value.trim()) ? { ok: true, value: value.trim().toLowerCase() } : { ok: false, code: 'INVALID_EMAIL', message: `Email address ${value} is invalid` };
  }
  switch (definition.type) {
    case 'number':
      return NUMBER.test(value) ? { ok: true, value } : { ok: false, code: 'INVALID_DECIMAL', message: `${value} is not a valid number for property ${name}` };
    case 'bool':
      return /^(true|false)$/i.test(value) ? { ok: true, value: value.toLowerCase() } : { ok: false, code: 'INVALID_BOOLEAN', message: `${value} is not a valid boolean for property ${name}` };
    case 'date':
    case 'datetime':
      return EPOCH_MS.test(value) || ISO_DATE.test(value) ? { ok: true, value } : { ok: false, code: 'INVALID_LONG', message: `${value} was not a valid long (property ${name} holds dates as epoch milliseconds or ISO 8601)` };
    case 'enumeration':
      return judgeOptions(name, definition, value);
    default:
      return { ok: true, value };
  }
}

function judgeOptions(name: string, definition: PropertyDefinition, value: string): ValueVerdict {
  const allowed = new Set(definition.options.map((option) => option.value));
  const chosen = definition.fieldType === 'checkbox' ? value.split(';').filter((part) => part.length > 0) : [value];
  for (const choice of chosen) {
    if (!allowed.has(choice)) {
      const listing = definition.options.map((option) => `label: "${option.label}" value: "${option.value}"`).join(', ');
      return { ok: false, code: 'INVALID_OPTION', message: `${choice} was not one of the allowed options: [${listing}] for property ${name}` };
    }
  }
  return { ok: true, value: chosen.join(';') };
}
