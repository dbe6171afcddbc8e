import { describe, expect, it } from 'vitest';
import type { SinkPropertySpec } from '../../../core/sync/sink.js';
import { collidingOptions, encodeValue, encodingFor, hubspotPropertyType, optionValue } from './property-encoding.js';

const segments: SinkPropertySpec = { name: 'segments', label: 'Segments', type: 'enumeration', multiple: true, options: ['High Value', 'Churn risk', 'Café fans'] };

describe('HubSpot property encoding', () => {
  it('maps segflow types to HubSpot type/fieldType pairs', () => {
    expect(hubspotPropertyType(segments)).toEqual({ type: 'enumeration', fieldType: 'checkbox' });
    expect(hubspotPropertyType({ ...segments, multiple: false })).toEqual({ type: 'enumeration', fieldType: 'select' });
    expect(hubspotPropertyType({ name: 'a', label: 'A', type: 'string' })).toEqual({ type: 'string', fieldType: 'text' });
    expect(hubspotPropertyType({ name: 'a', label: 'A', type: 'number' })).toEqual({ type: 'number', fieldType: 'number' });
    expect(hubspotPropertyType({ name: 'a', label: 'A', type: 'bool' })).toEqual({ type: 'bool', fieldType: 'booleancheckbox' });
    expect(hubspotPropertyType({ name: 'a', label: 'A', type: 'datetime' })).toEqual({ type: 'datetime', fieldType: 'date' });
  });

  it('gives options stable slug values, with a hash for names without ASCII letters', () => {
    expect(optionValue('High Value')).toBe('high_value');
    expect(optionValue('  Café fans! ')).toBe('cafe_fans');
    expect(optionValue('high_value')).toBe('high_value');
    expect(optionValue('顧客')).toMatch(/^option_[0-9a-f]{8}$/);
    expect(optionValue('顧客')).toBe(optionValue('顧客'));
    expect(optionValue('顧客')).not.toBe(optionValue('優良'));
    expect(collidingOptions(['High Value', 'high-value', 'Other'])).toEqual([['High Value', 'high-value']]);
  });

  it('encodes values as the text HubSpot stores; null clears; segment names become option values', () => {
    const encoding = encodingFor(segments);
    expect(encodeValue('High Value;Café fans', encoding)).toBe('high_value;cafe_fans');
    expect(encodeValue('', encoding)).toBe('');
    expect(encodeValue(null, encoding)).toBe('');
    expect(encodeValue(true, undefined)).toBe('true');
    expect(encodeValue(12.5, undefined)).toBe('12.5');
    expect(encodeValue(Number.NaN, undefined)).toBe('');
    expect(encodeValue('a;b', undefined)).toBe('a;b');
    expect(encodeValue('Churn risk', encodingFor({ ...segments, multiple: false }))).toBe('churn_risk');
  });
});
