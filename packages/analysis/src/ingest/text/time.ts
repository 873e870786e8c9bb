import { itemAt } from "../../access.js";
/**
 * Timestamps found in text traces. Logs print wall-clock time without a zone; it is read as UTC
 * (the offset is unknown, relative times are exact). Formats that give only a time of day (tcpdump
 * without -tttt, FreeSWITCH, Cisco uptime stamps) are anchored on 1970-01-01 UTC: times stay
 * consistent relative to each other, a jump backwards of more than 12 hours counts as midnight.
 */

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase());
}

/** Seconds since the epoch for a UTC date and time; `fraction` is the digits after the dot. */
function utcSeconds(y: number, month0: number, d: number, h: number, mi: number, s: number, fraction = ""): number {
  return Date.UTC(y, month0, d, h, mi, s) / 1000 + (fraction ? Number(`0.${fraction}`) : 0);
}

const YMD_HMS = /(\d{4})[-/](\d\d)[-/](\d\d)[ T](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?/;

/** "2026/11/26 03:44:37.245745" or "2026-11-26 03:44:37,245" anywhere in the text. */
export function parseYmdHms(text: string): number | null {
  const m = YMD_HMS.exec(text);
  if (!m) return null;
  return utcSeconds(+itemAt(m, 1), +itemAt(m, 2) - 1, +itemAt(m, 3), +itemAt(m, 4), +itemAt(m, 5), +itemAt(m, 6), m[7] ?? "");
}

const MON_D_HMS = /([A-Z][a-z]{2}) +(\d{1,2}),? +(?:(\d{4}) +)?(\d\d):(\d\d):(\d\d)(?:[.:](\d+))?/;

/** "Mar  1 00:01:02.345" (syslog, no year → 1970) or "Nov 26, 2026 03:44:37.245745000". */
export function parseMonthDayTime(text: string): number | null {
  const m = MON_D_HMS.exec(text);
  if (!m) return null;
  const month = monthIndex(itemAt(m, 1));
  if (month < 0) return null;
  return utcSeconds(m[3] ? +m[3] : 1970, month, +itemAt(m, 2), +itemAt(m, 4), +itemAt(m, 5), +itemAt(m, 6), m[7] ?? "");
}

const HMS = /(\d{1,2}):(\d\d):(\d\d)(?:\.(\d+))?/;

/** Time-of-day clock that keeps times increasing across midnight. */
export class TimeOfDayClock {
  private day = 0;
  private last = -1;

  /** Seconds since 1970-01-01 00:00 UTC plus whole days passed, or null when no time is found. */
  read(text: string): number | null {
    const m = HMS.exec(text);
    if (!m) return null;
    const tod = +itemAt(m, 1) * 3600 + +itemAt(m, 2) * 60 + +itemAt(m, 3) + (m[4] ? Number(`0.${m[4]}`) : 0);
    if (this.last >= 0 && tod < this.last - 12 * 3600) this.day++;
    this.last = tod;
    return this.day * 86400 + tod;
  }
}
