/**
 * A copy of a JSON value with its leaves mapped by `leaf(value, key)`: `key` is the property that
 * holds the leaf (an array's items get the array's key), so a field is rewritten by what it is.
 * `object` may replace an object whole (return undefined to descend into it).
 */
export function mapJson(
  value: unknown,
  leaf: (value: string | number, key: string | undefined) => unknown,
  object?: (value: Record<string, unknown>, key: string | undefined) => unknown,
  key?: string,
): unknown {
  if (typeof value === "string" || typeof value === "number") return leaf(value, key);
  if (Array.isArray(value)) return value.map((v) => mapJson(v, leaf, object, key));
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const whole = object?.(record, key);
    if (whole !== undefined) return whole;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) out[k] = mapJson(v, leaf, object, k);
    return out;
  }
  return value;
}
