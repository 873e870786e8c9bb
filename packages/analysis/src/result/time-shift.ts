/**
 * Moves every absolute time of a part by one offset (a share's "shift times"): message, ladder
 * row and call times, a time-window finding's bounds, and Date headers in the raw text and the
 * header list. Intervals (delta, sinceStart, …Ms) are not absolute and stay as they are.
 */
import { mapJson } from "./json-map.js";

const ABSOLUTE_TIME_KEYS = new Set(["time", "startTime", "endTime", "fromTime", "toTime"]);
const DATE_HEADER = /^(Date[ \t]*:[ \t]*)([^\r\n]*?)([ \t]*)$/gim;

/** An RFC 1123 date (a SIP Date header) moved by `offsetSeconds`; a date that does not parse stays. */
function shiftHttpDate(value: string, offsetSeconds: number): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms + offsetSeconds * 1000).toUTCString();
}

/** Epoch seconds moved by the offset, kept to the microsecond the capture gave. */
export function shiftEpochSeconds(seconds: number, offsetSeconds: number): number {
  return Math.round((seconds + offsetSeconds) * 1e6) / 1e6;
}

/** A copy of `part` with its absolute times moved by `offsetSeconds` (pure). */
export function shiftTimes<T>(part: T, offsetSeconds: number): T {
  return mapJson(
    part,
    (value, key) => {
      if (typeof value === "number") return key !== undefined && ABSOLUTE_TIME_KEYS.has(key) ? shiftEpochSeconds(value, offsetSeconds) : value;
      return key === "raw"
        ? value.replace(DATE_HEADER, (_m, head: string, date: string, tail: string) => head + shiftHttpDate(date, offsetSeconds) + tail)
        : value;
    },
    (record, key) =>
      key === "headers" && typeof record["name"] === "string" && /^date$/i.test(record["name"].trim()) && typeof record["value"] === "string"
        ? { ...record, value: shiftHttpDate(record["value"], offsetSeconds) }
        : undefined,
  ) as T;
}
