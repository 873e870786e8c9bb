/**
 * PostgreSQL text cannot hold U+0000, and a trace may carry one anywhere (a Call-ID, a URI, a host).
 * Metadata columns copied from a trace store it as U+2400 "␀", which shows what was there; the
 * stored parts (gzip JSON) and the raw input keep the original text byte for byte.
 */
export function pgText(text: string): string {
  return text.includes("\u0000") ? text.replaceAll("\u0000", "\u2400") : text;
}

export function pgTextOrNull(text: string | undefined | null): string | null {
  return text === undefined || text === null ? null : pgText(text);
}

export const pgTexts = (texts: readonly string[]): string[] => texts.map(pgText);
