/** Small formatting helpers for explanations: numbers the way an engineer reads them. */

export function seconds(ms: number | undefined): string {
  if (ms == null) return "an unknown time";
  const s = ms / 1000;
  if (Math.abs(s) >= 100) return `${Math.round(s)} s`;
  if (Math.abs(s) >= 10) return `${s.toFixed(1)} s`;
  return `${s.toFixed(2)} s`;
}

/** Like seconds(): an interval the input has no times for is said to be unknown, never given a number. */
export function millis(ms: number | undefined): string {
  if (ms == null) return "an unknown time";
  return Math.abs(ms) >= 10 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

/**
 * `phrase` with the interval written in (by `format`), or "" when the input has no times for it:
 * a sentence built with this leaves the interval out instead of saying "after an unknown time".
 */
export function timed(ms: number | undefined, phrase: (t: string) => string, format: (ms: number) => string = seconds): string {
  return ms == null ? "" : phrase(format(ms));
}

/** Said wherever an untimed input's order of events is read off the order of its messages. */
export const BY_MESSAGE_ORDER = "by the order of the messages: the input has no timestamps";

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function list(items: string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
