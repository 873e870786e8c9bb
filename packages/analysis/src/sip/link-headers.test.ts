import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildTraceModel } from "../analyze.js";
import { icidOf } from "./link-headers.js";
import { parseSipMessage } from "./parse.js";
import { scanSipMessage } from "./scan.js";

/** The SBC leg's INVITE of a real capture (Kamailio topoh adding X-CID), its header renamed as other SBCs write it. */
const model = buildTraceModel(new Uint8Array(readFileSync(fileURLToPath(new URL("../../test/fixtures/correlation/xcid-caller-cancel.pcap", import.meta.url)))));
const invite = model.messages.find((m) => m.isRequest && m.method === "INVITE" && m.links?.otherCallId)!;
const text = model.payloads.text(invite.index);

describe("link headers, read by the strict scanner and the full parser alike", () => {
  it.each(["X-CID", "x-cid", "X-Call-ID", "X-Orig-Call-ID", "x-original-call-id"])("%s carries the other leg's Call-ID", (name) => {
    const renamed = text.replace(/^X-CID:/m, `${name}:`);
    expect(renamed).toContain(`\n${name}: `);
    const scanned = scanSipMessage(renamed);
    expect(scanned).not.toBeNull();
    expect(scanned!.otherCallId).toBe(invite.links!.otherCallId);
    expect(parseSipMessage(renamed).otherCallId).toBe(invite.links!.otherCallId);
  });

  it("an unrelated X- header ties nothing", () => {
    const other = text.replace(/^X-CID:/m, "X-Other:");
    expect(scanSipMessage(other)!.otherCallId).toBeUndefined();
    expect(parseSipMessage(other).otherCallId).toBeUndefined();
  });

  it("reads Session-ID and P-Charging-Vector as written", () => {
    const more = text.replace(
      /^X-CID:.*$/m,
      "Session-ID: ab30317f1a784dc48ff824d0d3715d86;remote=00000000000000000000000000000000\r\np-charging-vector: icid-value=1234bc9876e;icid-generated-at=192.0.6.8;orig-ioi=home1.net",
    );
    for (const sip of [scanSipMessage(more)!, parseSipMessage(more)]) {
      expect(sip.sessionId).toBe("ab30317f1a784dc48ff824d0d3715d86;remote=00000000000000000000000000000000");
      expect(icidOf(sip.chargingVector)).toBe("1234bc9876e");
    }
  });

  it("takes the icid-value quoted or bare, and nothing when the vector has none", () => {
    expect(icidOf('icid-value="AyretyU0dm+6O2IrT5tAFrbHLso=023551024";orig-ioi=home1.net')).toBe("AyretyU0dm+6O2IrT5tAFrbHLso=023551024");
    expect(icidOf("orig-ioi=home1.net")).toBeUndefined();
    expect(icidOf(undefined)).toBeUndefined();
  });
});
