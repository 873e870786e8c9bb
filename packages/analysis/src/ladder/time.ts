export type TimeMode = "absolute" | "delta" | "since-start";

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** "03:44:35.494" in UTC: traces are compared across hosts, so never the viewer's local zone. */
export function formatClock(epochSeconds: number): string {
  const date = new Date(Math.round(epochSeconds * 1000));
  return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}`;
}

export function formatDateTime(epochSeconds: number | null | undefined): string {
  if (epochSeconds == null) return "—";
  const date = new Date(Math.round(epochSeconds * 1000));
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${formatClock(epochSeconds)} UTC`;
}

/** Seconds as "+0.512 s" / "+12.0 s" / "+3 min 2 s". */
export function formatDuration(seconds: number, signed = false): string {
  const sign = signed ? (seconds < 0 ? "−" : "+") : seconds < 0 ? "−" : "";
  const s = Math.abs(seconds);
  if (s < 10) return `${sign}${s.toFixed(3)} s`;
  if (s < 120) return `${sign}${s.toFixed(1)} s`;
  const minutes = Math.floor(s / 60);
  return `${sign}${minutes} min ${Math.round(s - minutes * 60)} s`;
}

export function formatMs(ms: number): string {
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  return formatDuration(ms / 1000);
}

export function formatRowTime(mode: TimeMode, time: number | null, previous: number | null, start: number | null): string {
  if (time == null) return "";
  if (mode === "absolute") return formatClock(time);
  if (mode === "since-start") return start == null ? "" : formatDuration(time - start);
  return previous == null ? "0.000 s" : formatDuration(time - previous, true);
}
