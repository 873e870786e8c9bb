/**
 * Small index lists, kept small: a growing JS array reserves room for 16+ more elements, and a
 * model holds several lists per transaction, most of them empty or of one or two elements.
 */

/** The shared empty list (frozen: lists grow only through `add`). */
export const NONE = Object.freeze([]) as unknown as never[];

/** Appends, replacing the shared empty list by a list of its own on the first element. */
export function add<T>(list: T[], value: T): T[] {
  if (list === NONE) return [value];
  list.push(value);
  return list;
}

/** The list without spare capacity (a copy when it grew past one element). */
export function trimmed<T>(list: T[]): T[] {
  return list.length > 1 ? list.slice() : list;
}
