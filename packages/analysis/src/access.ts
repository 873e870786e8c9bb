// Reads the types cannot prove: `noUncheckedIndexedAccess` types every index read and every
// `Map.get` as possibly undefined. Where the code knows the value is there (an index inside the
// bounds it loops over, a key it has just stored, a match a pattern cannot miss) these say so and
// check it, so a bug fails at the read with its index instead of as an `undefined` further on.

/** `list[index]`, which the caller knows is in range. */
export function itemAt<T>(list: ArrayLike<T>, index: number): T {
  const value = list[index];
  if (value === undefined) throw new RangeError(`index ${index} is outside a list of ${list.length}`);
  return value;
}

/** A value the caller knows is set (a key it stored, a group it made, a match that cannot fail). */
export function present<T>(value: T | null | undefined): T {
  if (value === undefined || value === null) throw new Error("a value the code relies on is missing");
  return value;
}

/** A byte of `bytes`, 0 past the end: what the bitwise reads of the binary parsers make of `undefined`. */
export function byteAt(bytes: Uint8Array, offset: number): number {
  return bytes[offset] ?? 0;
}

/** The list stored under `key`, created empty on first use. */
export function listIn<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}
