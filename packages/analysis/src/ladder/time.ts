export type TimeMode = "absolute" | "delta" | "since-start";

/**
 * Decimal places of a second to show: the input's own (overview.timeDigits: 6 for a pcap's µs, 3 for
 * a log's ms), so a 0.2 ms CANCEL/200 gap never reads as 0. Analyses stored before carry none: 3.
 */
export const DEFAULT_TIME_DIGITS = 3;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** "03:44:35.494" (or "03:44:35.494123" at 6 digits) in UTC: traces are compared across hosts, so never the viewer's local zone. */
export function formatClock(epochSeconds: number, digits = DEFAULT_TIME_DIGITS): string {
  // whole seconds and the fraction apart: a Date holds milliseconds only
  const scale = 10 ** digits;
  let whole = Math.floor(epochSeconds);
  let fraction = Math.round((epochSeconds - whole) * scale);
  if (fraction >= scale) {
    whole += 1;
    fraction -= scale;
  }
  const date = new Date(whole * 1000);
  const clock = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return digits > 0 ? `${clock}.${pad(fraction, digits)}` : clock;
}

export function formatDateTime(epochSeconds: number | null | undefined, digits = DEFAULT_TIME_DIGITS): string {
  if (epochSeconds == null) return "—";
  const date = new Date(Math.floor(epochSeconds) * 1000);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${formatClock(epochSeconds, digits)} UTC`;
}

/** Seconds as "+0.512 s" / "+12.0 s" / "+3 min 2 s": a span read at a glance (the trace's length). */
export function formatDuration(seconds: number, signed = false): string {
  const sign = signOf(seconds, signed);
  const s = Math.abs(seconds);
  if (s < 10) return `${sign}${s.toFixed(3)} s`;
  if (s < 120) return `${sign}${s.toFixed(1)} s`;
  const minutes = Math.floor(s / 60);
  return `${sign}${minutes} min ${Math.round(s - minutes * 60)} s`;
}

/** Seconds at the input's precision whatever their size ("12.000213 s"), as Wireshark's time column. */
export function formatSeconds(seconds: number, digits = DEFAULT_TIME_DIGITS, signed = false): string {
  return `${fixed(seconds, digits, signed)} s`;
}

/**
 * A measured interval (race gap, ring time, timer) at the input's precision: "0.213 ms" at 6 digits,
 * "32.000114 s"; above ten minutes "12 min 5 s". The one duration format of labels and details.
 */
export function formatMs(ms: number, digits = DEFAULT_TIME_DIGITS): string {
  const size = Math.abs(ms);
  if (size < 1000) return `${fixed(ms, Math.max(0, digits - 3), false)} ms`;
  if (size < 600_000) return formatSeconds(ms / 1000, digits);
  return formatDuration(ms / 1000);
}

export function formatRowTime(mode: TimeMode, time: number | null, previous: number | null, start: number | null, digits = DEFAULT_TIME_DIGITS): string {
  if (time == null) return "";
  if (mode === "absolute") return formatClock(time, digits);
  if (mode === "since-start") return start == null ? "" : formatSeconds(time - start, digits);
  return formatSeconds(previous == null ? 0 : time - previous, digits, previous != null);
}

function fixed(value: number, decimals: number, signed: boolean): string {
  const text = Math.abs(value).toFixed(decimals);
  // what rounds to zero has no minus: "−0.000" would claim an order the digits cannot show
  return `${signOf(Number(text) === 0 ? 0 : value, signed)}${text}`;
}

function signOf(value: number, signed: boolean): string {
  if (value < 0) return "−";
  return signed ? "+" : "";
}
