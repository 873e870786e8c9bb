/** A summary of an SDP body (RFC 4566): origin, connection, media lines and their directions. */
import type { SdpSummary } from "@siplens/contracts";

type Media = SdpSummary["media"][number];

const DIRECTIONS = new Set(["sendrecv", "sendonly", "recvonly", "inactive"]);

function connectionAddress(value: string): string {
  // "IN IP4 192.0.2.4" or "IN IP4 224.2.1.1/127": keep the address without TTL / count.
  const parts = value.trim().split(/\s+/);
  const addr = parts[2] ?? value.trim();
  const slash = addr.indexOf("/");
  return slash === -1 ? addr : addr.slice(0, slash);
}

export function summarizeSdp(body: string): SdpSummary {
  const summary: SdpSummary = { media: [] };
  let sessionDirection: string | undefined;
  let current: Media | undefined;
  let start = 0;
  while (start < body.length) {
    let end = body.indexOf("\n", start);
    if (end === -1) end = body.length;
    let line = body.slice(start, end);
    start = end + 1;
    if (line.charCodeAt(line.length - 1) === 0x0d) line = line.slice(0, -1);
    if (line.length < 2 || line.charCodeAt(1) !== 0x3d) continue;
    const type = line[0];
    const value = line.slice(2);
    if (type === "m") {
      const f = value.trim().split(/\s+/);
      const port = parseInt(f[1] ?? "", 10);
      current = { type: f[0] ?? "", port: Number.isFinite(port) ? port : 0, proto: f[2] ?? "", formats: f.slice(3) };
      summary.media.push(current);
    } else if (type === "c") {
      const addr = connectionAddress(value);
      if (current) current.connection = addr;
      else summary.connection = addr;
    } else if (type === "o" && !current) {
      summary.origin = value.trim();
    } else if (type === "a") {
      const attr = value.trim();
      if (DIRECTIONS.has(attr)) {
        if (current) current.direction = attr;
        else sessionDirection = attr;
      }
    }
  }
  if (sessionDirection) for (const m of summary.media) m.direction ??= sessionDirection;
  return summary;
}
