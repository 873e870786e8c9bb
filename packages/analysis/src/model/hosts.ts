/**
 * Lanes: which addresses belong to one network element.
 *
 * While building, every message side is identified by an address key ("ip|port"). At the end
 * the ports of one IP are merged into one lane (an element sends from ephemeral TCP ports and
 * listens on 5060), except for IPs that talk to themselves (caller and callee on one box with
 * different ports), which keep one lane per port. Formats without addresses get lanes inferred
 * from the message itself (Via sent-by, Request-URI) and the model marks them as inferred.
 */
import type { Endpoint } from "@siplens/contracts";
import type { ModelVia as Via } from "./types.js";
import type { Host, HostId } from "./types.js";
import { formatAddress } from "../address.js";

/** Address key used while building: "ip|port" ("host|port" when inferred). */
export type AddressKey = string;

const INFERRED_PREFIX = "~";
/** Placeholder for a side the input does not name and the message cannot tell. */
export const UNKNOWN_PEER: AddressKey = `${INFERRED_PREFIX}peer|`;

export function addressKeyOf(e: Endpoint): AddressKey {
  return `${e.ip}|${e.port ?? ""}`;
}

function inferredKey(host: string, port: number | null): AddressKey {
  return `${INFERRED_PREFIX}${host.toLowerCase()}|${port ?? 5060}`;
}

export function inferredFromVia(via: Via | undefined): AddressKey {
  return via ? inferredKey(via.host, via.port) : UNKNOWN_PEER;
}

/** Host and port of a SIP URI ("sip:alice@10.0.0.1:5070;transport=tcp" -> 10.0.0.1, 5070). */
function uriHostPort(uri: string | undefined): { host: string; port: number | null } | undefined {
  if (!uri) return undefined;
  const m = /^\s*<?\s*sips?:(?:[^@>]*@)?(\[[^\]]+\]|[^:;>?\s]+)(?::(\d+))?/i.exec(uri);
  if (!m || !m[1]) return undefined;
  const host = m[1].startsWith("[") ? m[1].slice(1, -1) : m[1];
  return { host, port: m[2] ? Number(m[2]) : null };
}

export function inferredFromUri(uri: string | undefined): AddressKey {
  const hp = uriHostPort(uri);
  return hp ? inferredKey(hp.host, hp.port) : UNKNOWN_PEER;
}

/** The host (IP or name) of an address key, without the port. */
export function hostPart(key: AddressKey): string {
  return splitKey(key).host;
}

function splitKey(key: AddressKey): { host: string; port: string; inferred: boolean } {
  const inferred = key.startsWith(INFERRED_PREFIX);
  const body = inferred ? key.slice(INFERRED_PREFIX.length) : key;
  const bar = body.lastIndexOf("|");
  return { host: body.slice(0, bar), port: body.slice(bar + 1), inferred };
}

/** Collects address keys and the pairs that exchanged messages, then decides the lanes. */
export class LaneAssigner {
  private readonly order: AddressKey[] = [];
  private readonly seen = new Set<AddressKey>();
  private readonly selfTalking = new Set<string>();
  private readonly aliases = new Map<AddressKey, Set<string>>();
  /** Source address -> the address its requests' top Via names (an ephemeral TCP port -> the listening port). */
  private readonly sentBy = new Map<AddressKey, AddressKey>();

  note(src: AddressKey, dst: AddressKey): void {
    for (const k of [src, dst]) {
      if (!this.seen.has(k)) {
        this.seen.add(k);
        this.order.push(k);
      }
    }
    const a = splitKey(src);
    const b = splitKey(dst);
    if (a.host === b.host && a.port !== b.port) this.selfTalking.add(a.host);
  }

  /** The top Via of a request sent from `src` names the element's own address (RFC 3261 §18.1.1). */
  noteSentBy(src: AddressKey, via: Via): void {
    if (this.sentBy.has(src)) return;
    const host = via.host.startsWith("[") ? via.host.slice(1, -1) : via.host;
    const own = `${host}|${via.port ?? 5060}`;
    if (own !== src && splitKey(src).host === host) this.sentBy.set(src, own);
  }

  /** A name the element at `key` calls itself (Via sent-by host that is not its IP). */
  noteAlias(key: AddressKey, name: string): void {
    const { host } = splitKey(key);
    const bare = name.startsWith("[") ? name.slice(1, -1) : name;
    if (bare.toLowerCase() === host.toLowerCase()) return;
    let set = this.aliases.get(key);
    if (!set) this.aliases.set(key, (set = new Set()));
    set.add(name);
  }

  /** Lane id for every address key, and the lanes themselves in order of first appearance. */
  assign(): { laneOf: Map<AddressKey, HostId>; hosts: Map<HostId, Host> } {
    const laneOf = new Map<AddressKey, HostId>();
    const hosts = new Map<HostId, Host>();
    for (const key of this.order) {
      const { host, port, inferred } = splitKey(key);
      const perPort = this.selfTalking.has(host);
      // On a box that talks to itself, an ephemeral source port joins the lane of the port its Via names.
      const owner = perPort ? this.sentBy.get(key) : undefined;
      const ownerPort = owner && this.seen.has(owner) ? splitKey(owner).port : port;
      const id: HostId = key === UNKNOWN_PEER ? "peer" : perPort ? formatAddress(host, ownerPort) : host;
      laneOf.set(key, id);
      let lane = hosts.get(id);
      if (!lane) {
        lane = { id, name: key === UNKNOWN_PEER ? "unknown peer" : id, addresses: [], aliases: [], forwards: false, inferred };
        hosts.set(id, lane);
      }
      if (key !== UNKNOWN_PEER) {
        const addr = formatAddress(host, port);
        if (!lane.addresses.includes(addr)) lane.addresses.push(addr);
      }
      for (const alias of this.aliases.get(key) ?? []) if (!lane.aliases.includes(alias)) lane.aliases.push(alias);
    }
    return { laneOf, hosts };
  }
}
