import { lineText } from "@siplens/contracts";

const line = lineText();

/**
 * Where (as "email" or "user.name") the first string of a parsed JSON value or query holds a
 * control character, or null. For routes without a zod schema of their own (better-auth's).
 */
export function controlCharacterAt(value: unknown, path = ""): string | null {
  if (typeof value === "string") return line.safeParse(value).success ? null : path || "(root)";
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const at = controlCharacterAt(item, `${path}[${i}]`);
      if (at) return at;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const at = controlCharacterAt(item, path ? `${path}.${key}` : key);
      if (at) return at;
    }
  }
  return null;
}
