/**
 * What a new password must be: long enough without its spaces, not one character over and over,
 * not one of the passwords every guessing list starts with (also with digits or "!" after it).
 */
const MIN_CHARS = 8;
const MIN_DISTINCT = 5;
const COMMON = new Set([
  "password",
  "passw0rd",
  "p@ssw0rd",
  "p@ssword",
  "qwerty",
  "qwertyui",
  "qwertyuiop",
  "asdfghjk",
  "asdfghjkl",
  "zxcvbnm",
  "letmein",
  "welcome",
  "iloveyou",
  "admin",
  "administrator",
  "monkey",
  "dragon",
  "football",
  "baseball",
  "sunshine",
  "princess",
  "abc",
  "abcdefgh",
  "abcd",
  "trustno1",
  "changeme",
  "secret",
  "master",
  "login",
  "siplens",
  "starwars",
  "whatever",
  "superman",
  "batman",
  "shadow",
  "michael",
  "computer",
  "internet",
  "azerty",
  "azertyuiop",
]);

/** Why the password is too weak, or null when it will do. */
export function weakPasswordReason(password: string): string | null {
  const trimmed = password.trim();
  if ([...trimmed.replace(/\s/g, "")].length < MIN_CHARS) return `the password needs at least ${MIN_CHARS} characters that are not spaces`;
  if (new Set(trimmed.toLowerCase()).size < MIN_DISTINCT) return `the password needs at least ${MIN_DISTINCT} different characters`;
  if (/^\d+$/.test(trimmed)) return "the password must not be only digits";
  const base = trimmed.toLowerCase().replace(/[\d\W_]+$/u, "");
  if (COMMON.has(base) || COMMON.has(trimmed.toLowerCase())) return "this password is one of the first that attackers try: choose another";
  return null;
}
