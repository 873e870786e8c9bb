/** Reading "address + port" as the different tools print them. */
import type { Endpoint } from "@siplens/contracts";
import { itemAt } from "../../access.js";

const toPort = (s: string | undefined): number | null => {
  if (s === undefined || !/^\d{1,5}$/.test(s)) return null;
  const n = Number(s);
  return n <= 65535 ? n : null;
};

/**
 * "1.2.3.4:5060", "[2001:db8::1]:5060", "[::1]" and — as ngrep prints IPv6 — "::1:5060"
 * (the port is after the last colon). A bare address without a port gets port null.
 */
export function parseColonEndpoint(text: string): Endpoint | null {
  const s = text.trim();
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracket) return { ip: itemAt(bracket, 1), port: toPort(bracket[2]) };
  const at = s.lastIndexOf(":");
  if (at < 0) return s ? { ip: s, port: null } : null;
  const port = toPort(s.slice(at + 1));
  if (s.indexOf(":") === at) return port === null ? null : { ip: s.slice(0, at), port };
  // IPv6 without brackets: the last group is a port only when the rest is still an address.
  return port !== null && s.slice(0, at).includes(":") ? { ip: s.slice(0, at), port } : { ip: s, port: null };
}

/** tcpdump's "1.2.3.4.5060" and "2001:db8::1.5060" (the port is after the last dot). */
export function parseDotEndpoint(text: string): Endpoint | null {
  const s = text.trim();
  const at = s.lastIndexOf(".");
  if (at <= 0) return null;
  const port = toPort(s.slice(at + 1));
  return port === null ? { ip: s, port: null } : { ip: s.slice(0, at), port };
}

/** "udp ipv4" / "TCP" / "tls" → a Transport. */
export function parseTransport(text: string | undefined): "udp" | "tcp" | "tls" | "sctp" | "ws" | "wss" | "unknown" {
  const t = itemAt((text ?? "").trim().split(/[\s/]/), 0).toLowerCase();
  return t === "udp" || t === "tcp" || t === "tls" || t === "sctp" || t === "ws" || t === "wss" ? t : "unknown";
}
