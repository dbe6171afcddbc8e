import type { JsonObject, JsonValue } from '../../../core/events/canonical-event.js';
import type { Ga4ParamValue } from './ga4-row.js';

/**
 * GA4 stores every parameter as `{key, value: {string_value, int_value,
 * float_value, double_value}}` with at most one of the four set. Flattened,
 * `[{key: 'page_title', value: {string_value: 'Home'}}]` is `{page_title: 'Home'}`.
 */
export function flattenParams(params: ReadonlyArray<{ key: string; value: Ga4ParamValue | null }> | null): JsonObject {
  const flat: JsonObject = {};
  for (const param of params ?? []) flat[param.key] = paramValue(param.value);
  return flat;
}

/**
 * The one value a parameter holds. INT64 becomes a number when it fits a
 * double exactly (ga_session_id, engagement_time_msec …) and stays a digit
 * string beyond 2^53, where a number would silently change it.
 */
export function paramValue(value: Ga4ParamValue | null): JsonValue {
  if (value === null) return null;
  if (value.string_value !== null) return value.string_value;
  if (value.int_value !== null) return int64Value(value.int_value);
  if (value.double_value !== null) return value.double_value;
  if (value.float_value !== null) return value.float_value;
  return null;
}

export function int64Value(digits: string): number | string {
  const number = Number(digits);
  return Number.isSafeInteger(number) ? number : digits;
}

/**
 * A text form of parameters that does not depend on their order in the
 * array (GA4 does not promise one) nor on how INT64 was spelled: the input
 * of the messageId hash.
 */
export function canonicalParams(params: ReadonlyArray<{ key: string; value: Ga4ParamValue | null }> | null): string {
  const entries = (params ?? []).map((param) => {
    const value = param.value;
    // The slot is part of the identity: int 5 and string "5" are different parameters.
    const typed =
      value === null ? ['n']
        : value.string_value !== null ? ['s', value.string_value]
          : value.int_value !== null ? ['i', value.int_value]
            : value.double_value !== null ? ['d', String(value.double_value)]
              : value.float_value !== null ? ['f', String(value.float_value)]
                : ['n'];
    return JSON.stringify([param.key, ...typed]);
  });
  entries.sort();
  return entries.join('\n');
}
