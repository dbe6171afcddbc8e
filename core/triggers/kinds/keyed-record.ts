/**
 * Copy-on-write records keyed by data (cart ids, product ids, match keys).
 * An object literal spread with a computed key (`{ ...waits, [cartId]: list }`)
 * gives V8 a new hidden class per distinct key: with a key per profile that
 * is hundreds of thousands of classes, kept alive and searched on every
 * write. Objects without a prototype start in dictionary mode, which takes
 * any key without a new class. They are still plain records to every reader
 * (JSON, `for…in`, `Object.entries`, `in`), in the same key order.
 */
export type KeyedRecord<T> = Record<string, T>;

export function emptyRecord<T>(): KeyedRecord<T> {
  return Object.create(null) as KeyedRecord<T>;
}

/** A copy of `record` with `key` set to `value` (added last when new, as a spread would). */
export function withEntry<T>(record: Readonly<KeyedRecord<T>>, key: string, value: T): KeyedRecord<T> {
  const copy = emptyRecord<T>();
  for (const existing in record) copy[existing] = record[existing] as T;
  copy[key] = value;
  return copy;
}

/** A copy of `record` that can be written to. */
export function copyRecord<T>(record: Readonly<KeyedRecord<T>>): KeyedRecord<T> {
  const copy = emptyRecord<T>();
  for (const existing in record) copy[existing] = record[existing] as T;
  return copy;
}
