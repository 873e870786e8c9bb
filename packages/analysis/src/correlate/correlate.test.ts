import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildTraceModel } from "../analyze.js";
import type { TraceModel } from "../model/types.js";
import { correlateCalls } from "./index.js";
import { numberKeys, sessionUuids, userOf } from "./legs.js";
import { EXTERNAL_CORPUS } from "../../test/corpus.js";

/** Kamailio + topoh captures (test/fixtures/correlation/README.md) and real B2BUA traces from elsewhere. */
const FIXTURES = fileURLToPath(new URL("../../test/fixtures/correlation/", import.meta.url));
const EXTERNAL = `${EXTERNAL_CORPUS}/`;
const model = (path: string): TraceModel => buildTraceModel(new Uint8Array(readFileSync(path)));

/** The caller's leg (sent by the caller .10/.11) and the SBC's leg towards the callee (sent by .1). */
function legsOf(m: TraceModel): { caller: string[]; sbc: string[] } {
  const out = { caller: [] as string[], sbc: [] as string[] };
  for (const c of m.calls.values()) {
    const root = m.transactionById.get(c.rootInviteTxId!)!;
    (root.clientHost === "127.0.34.1" ? out.sbc : out.caller).push(c.callId);
  }
  return out;
}

describe("correlation by header", () => {
  it.each([
    ["xcid-caller-cancel.pcap", "x-cid", 0.95, /^X-CID names Call-ID 1-\d+@127\.0\.34\.10$/],
    ["session-id-timer.pcap", "session-id", 0.9, /^same Session-ID ab30317f1a784dc48ff824d0d3715d86$/],
    ["icid-caller-cancel.pcap", "icid", 0.85, /^same P-Charging-Vector icid-value AyretyU0dm\+6O2IrT5tAFrbHLso=023551024$/],
  ])("%s: the SBC's masked Call-ID leg joins the caller's leg by %s", (file, basis, confidence, note) => {
    const m = model(FIXTURES + file);
    const { caller, sbc } = legsOf(m);
    expect(caller).toHaveLength(1);
    expect(sbc).toHaveLength(1);
    expect(sbc[0]).not.toBe(caller[0]);
    const { groups, groupOf } = m.correlation!;
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ id: "g1", basis, confidence, callIds: [caller[0], sbc[0]] });
    expect(groupOf.get(sbc[0]!)).toBe(groups[0]);
    expect(groups[0]!.notes.get(sbc[0]!)).toMatch(note);
  });

  it("the X-CID value is the caller leg's own Call-ID, read off the SBC leg's INVITE", () => {
    const m = model(`${FIXTURES}xcid-caller-cancel.pcap`);
    const { caller, sbc } = legsOf(m);
    const invite = m.messages.find((x) => x.isRequest && x.method === "INVITE" && x.callId === sbc[0])!;
    expect(invite.links).toEqual({ otherCallId: caller[0] });
    // no link headers: no object at all
    expect(m.messages.filter((x) => x.callId === caller[0]).every((x) => x.links === undefined)).toBe(true);
  });
});

describe("three legs across two SBCs", () => {
  it("each SBC's X-CID names the Call-ID it received: the chain is one call of three legs, in the order they were opened", () => {
    const m = model(`${FIXTURES}xcid-two-sbcs.pcap`);
    expect(m.calls.size).toBe(3);
    const { groups } = m.correlation!;
    expect(groups).toHaveLength(1);
    const order = [...m.calls.values()].sort(
      (x, y) => m.transactionById.get(x.rootInviteTxId!)!.requestIndex - m.transactionById.get(y.rootInviteTxId!)!.requestIndex,
    );
    expect(order.map((c) => m.transactionById.get(c.rootInviteTxId!)!.clientHost)).toEqual(["127.0.34.10", "127.0.34.1", "127.0.34.2"]);
    expect(groups[0]).toMatchObject({ basis: "x-cid", confidence: 0.95, callIds: order.map((c) => c.callId) });
    // leg C names leg B (the second SBC replaced the first one's X-CID), leg B names leg A
    const [a, b, c] = order.map((x) => x.callId);
    expect(groups[0]!.notes.get(b!)).toBe(`X-CID names Call-ID ${a}`);
    expect(groups[0]!.notes.get(c!)).toBe(`X-CID names Call-ID ${b}`);
  });
});

describe("a load test through the SBC (12 calls at 8/s, one fixed Session-ID on every caller leg)", () => {
  const m = model(`${FIXTURES}static-session-id-load.pcap`);
  const byXcid = m.correlation!.groups.map((g) => g.callIds);

  it("the Session-ID all 12 calls share is a constant, not an identity: X-CID pairs the legs, call by call", () => {
    expect(m.calls.size).toBe(24);
    const callerLegs = [...m.calls.values()].filter((c) => m.transactionById.get(c.rootInviteTxId!)!.clientHost === "127.0.34.10");
    expect(new Set(callerLegs.map((c) => m.messages[c.messageIndices[0]!]!.links?.sessionId)).size).toBe(1);
    expect(m.correlation!.groups).toHaveLength(12);
    for (const g of m.correlation!.groups) {
      expect(g).toMatchObject({ basis: "x-cid", confidence: 0.95 });
      expect(g.notes.get(g.callIds[1]!)).toBe(`X-CID names Call-ID ${g.callIds[0]}`);
    }
  });

  it("without the headers, time still pairs each caller leg with its own SBC leg, at a confidence lowered for the look-alikes", () => {
    const bare: TraceModel = { ...m, messages: m.messages.map((x) => ({ ...x, links: undefined })) };
    const { groups } = correlateCalls(bare);
    expect(groups.map((g) => g.callIds)).toEqual(byXcid);
    expect(groups.every((g) => g.basis === "heuristic")).toBe(true);
    // the first call had no other caller leg pending at the SBC; the later ones had
    expect(groups[0]!.confidence).toBe(0.75);
    expect(groups.slice(1).every((g) => g.confidence === 0.55)).toBe(true);
    expect(groups[5]!.notes.get(groups[5]!.callIds[1]!)).toMatch(/\(the nearest of \d+ legs with these numbers\)$/);
  });
});

describe("correlation by time, numbers and the B2BUA's address", () => {
  it("two concurrent calls through one SBC pair each caller leg with its own SBC leg", () => {
    const m = model(`${FIXTURES}heuristic-two-calls.pcap`);
    const { groups } = m.correlation!;
    expect(groups).toHaveLength(2);
    for (const g of groups) {
      expect(g.basis).toBe("heuristic");
      expect(g.confidence).toBe(0.75);
      const [a, b] = g.callIds.map((id) => m.calls.get(id)!);
      // caller leg and SBC leg of one call: same numbers, the SBC leg from .1
      expect(a!.fromUri!.split("@")[0]).toBe(b!.fromUri!.split("@")[0]);
      expect(userOf(a!.toUri)).toBe(userOf(b!.toUri));
      expect(m.transactionById.get(m.calls.get(g.callIds[1]!)!.rootInviteTxId!)!.clientHost).toBe("127.0.34.1");
    }
    expect(groups.map((g) => userOf(m.calls.get(g.callIds[0]!)!.fromUri))).toEqual(["1001", "1002"]);
    expect(groups[0]!.notes.get(groups[0]!.callIds[1]!)).toMatch(
      /^heuristic: same From 1001, To 2001; 127\.0\.34\.1 received 1-\d+@127\.0\.34\.10's INVITE and sent this one \d ms later$/,
    );
  });

  it.runIf(EXTERNAL_CORPUS !== null)(
    "Asterisk bridging two phones (sipnab b2bua-asterisk): the authenticated INVITE's leg and Asterisk's leg to the callee, by the kept From",
    () => {
      const m = model(`${EXTERNAL}sipnab/b2bua-asterisk.pcapng`);
      const { groups } = m.correlation!;
      expect(groups).toHaveLength(1);
      expect(groups[0]).toMatchObject({
        basis: "heuristic",
        confidence: 0.6,
        callIds: ["M2Q0ZDc1ZGM1NzIyMTlhZTA3NDU3NTgzMzA5YmJmZWQ.", "37686afc57ce24ac655742b3644a7bb8@172.16.98.101:5060"],
      });
      expect(groups[0]!.notes.get(groups[0]!.callIds[1]!)).toMatch(/same From telephone1; 172\.16\.98\.101 received/);
      // the same trace as ngrep text gives the same group
      expect(model(`${EXTERNAL}derived-text/b2bua-asterisk.ngrep.txt`).correlation!.groups.map((g) => g.callIds)).toEqual([groups[0]!.callIds]);
    },
  );

  it.runIf(EXTERNAL_CORPUS !== null)(
    "Asterisk 16's own log (no addresses, no times): its outgoing leg's To carries the dialled number among routing parts",
    () => {
      const m = model(`${EXTERNAL}text-logs/asterisk16-pjsip-logger-wss-b2bua-487-after-200.txt`);
      expect(m.oneSided).toBe(true);
      const { groups } = m.correlation!;
      expect(groups).toHaveLength(1);
      expect(groups[0]).toMatchObject({ basis: "heuristic", callIds: ["iupb42pilq6dsn3iqug0", "e2a9c023-a3d1-469e-856c-4139d31056a1"] });
      // no time and one element's view: weaker than a capture
      expect(groups[0]!.confidence).toBeLessThan(0.5);
      expect(groups[0]!.notes.get("e2a9c023-a3d1-469e-856c-4139d31056a1")).toMatch(/^heuristic: same To 380974498412;/);
    },
  );

  it("a call forwarded by the B2BUA (it calls on as the called number: leg A's To is leg B's From) links, weaker", () => {
    const m = model(`${FIXTURES}../diagnosis/b2bua-other-leg.pcap`);
    const { groups } = m.correlation!;
    expect(groups).toHaveLength(1);
    const [a, b] = groups[0]!.callIds.map((id) => m.calls.get(id)!);
    expect(userOf(a!.toUri)).toBe("2001");
    expect(userOf(b!.fromUri)).toBe("2001");
    expect(groups[0]).toMatchObject({ basis: "heuristic", confidence: 0.5 });
    expect(groups[0]!.notes.get(b!.callId)).toMatch(/^heuristic: forwarded: 2001, called on the first leg, calls from this one; 127\.0\.218\.21 received/);
  });

  it("legs that merely follow one another are not linked: a direct two-party trace and a proxy trace give no group", () => {
    for (const file of ["../diagnosis/late-cancel.pcap", "../diagnosis/fork-all-timed-out.pcap", "../diagnosis/uas-487-timer.pcap"]) {
      expect(model(FIXTURES + file).correlation!.groups).toEqual([]);
    }
  });
});

describe("link values", () => {
  it("reads RFC 7989 Session-ID UUIDs and ignores the null UUID", () => {
    expect(sessionUuids("AB30317F1A784DC48FF824D0D3715D86;remote=00000000000000000000000000000000")).toEqual(["ab30317f1a784dc48ff824d0d3715d86"]);
    expect(sessionUuids("ab30317f1a784dc48ff824d0d3715d86 ; remote=47755a9de7794ba387653f2099600ef2")).toEqual([
      "ab30317f1a784dc48ff824d0d3715d86",
      "47755a9de7794ba387653f2099600ef2",
    ]);
    expect(sessionUuids("not-a-uuid")).toEqual([]);
  });
  it("knows a number by its digit runs", () => {
    expect(numberKeys("+380974498412")).toEqual(["380974498412"]);
    expect(numberKeys("92300~3726890004~380974498412")).toEqual(["92300~3726890004~380974498412", "3726890004", "380974498412"]);
  });
});
