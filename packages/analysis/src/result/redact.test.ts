import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { analyzeBytesToParts, createPartRedactor, parseSipMessage, type PseudonymOf } from "../index.js";
import { traceText } from "../../test/corpus.js";

const TRACE = "S1b_caller_hangup_via_kamailio_udp";
const corpusText = traceText(TRACE, "sngrep.txt");

/** Identifiers of every kind a trace carries, each planted once into real corpus messages below. */
const PLANTED = {
  requestUriNumber: "15551230001",
  routingNumber: "15559870002",
  subAddress: "778899",
  requestUriHost: "gw1.carrier-a.example.net",
  uriPassword: "hunter2",
  uriUserWithPassword: "carolynn",
  passwordUriHost: "pbx7.tenant-q.example.com",
  quotedDisplayName: "Zelda Quagmire",
  fromNumber: "4930111222",
  fromHost: "sbc.zq-telecom.example.org",
  unquotedDisplayName: "Yusuf Oberon",
  toNumber: "4940333444",
  contactUser: "zq-desk-17",
  contactAddress: "10.77.1.17",
  contactInstance: "6f1e7a52-1111-4c2b-9e7e-0123456789ab",
  contactIpv6: "2001:db8:77::17",
  paiName: "Acme Billing",
  paiNumber: "4930555666",
  paiHost: "pai.acme-billing.example.com",
  paiTel: "4930555667",
  ppiUser: "ppi-user-88",
  rpidName: "Rupert Blix",
  rpidNumber: "6128889999",
  diversionNumber: "7012223333",
  historyNumber: "8013334444",
  historyHost: "hi.example.net",
  referredBy: "refby-x9",
  referTo: "referto-target",
  referToReplaces: "abc-replaces-991",
  replyTo: "replyto-q",
  routeHost: "route1.core-sbc.example.net",
  recordRouteAddress: "198.51.100.23",
  pathHost: "path-edge.example.net",
  viaHost: "203.0.113.45",
  viaReceived: "203.0.113.46",
  viaMaddr: "203.0.113.47",
  callIdCustomer: "CUST-778812",
  digestUsername: "acct-55121",
  digestRealm: "voip.tenant-r.example.com",
  digestNonce: "9b7c5d3e1f20",
  digestCnonce: "0a1b2c3d4e",
  digestResponse: "6d2f9e8a7b1c4d5e",
  digestOpaque: "5ccc069c403ebaf9f0171e9517f40e41",
  challengeNonce: "ffeeddcc1234",
  warnAgent: "warn-agent.tenant-r.example.com",
  warningTextHost: "gw2.carrier-b.example.net",
  serverSerial: "ZQ00998877",
  userAgentSerial: "000B82F1E2D3",
  callInfoHost: "intranet.zq-corp.example.com",
  callInfoPath: "zelda-portrait",
  alertInfoHost: "ring.zq-corp.example.com",
  organization: "Quagmire Industries",
  subject: "Quarterly results",
  customXHeader: "CUSTOMER-31337",
  tenantXHeader: "tenant-omega-7",
  chargingIcid: "icid-5566aa",
  chargingHost: "192.0.2.61",
  inReplyTo: "prior-call-4471",
  sdpOriginUser: "zqsdpuser",
  sdpSessionId: "3812345678",
  sdpOriginAddress: "192.0.2.70",
  sdpConnection: "192.0.2.71",
  sdpSessionName: "Zelda bridge line",
  sdpUriHost: "conf.zq-corp.example.com",
  sdpEmail: "zelda.q",
  sdpPhone: "555 010 9999",
  sdpCryptoKey: "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz",
  // The capture's own addresses and numbers.
  callerAddress: "127.0.12.10",
  proxyAddress: "127.0.12.1",
  calleeAddress: "127.0.12.21",
  callerNumber: "1001",
  calleeNumber: "2001",
} as const;

const P = PLANTED;
const INVITE_HEADERS = [
  `Via: SIP/2.0/UDP ${P.viaHost}:5070;branch=z9hG4bK-planted-1;received=${P.viaReceived};maddr=${P.viaMaddr};rport=5070`,
  `From: "${P.quotedDisplayName}" <sip:${P.fromNumber}@${P.fromHost}>;tag=planted-from-tag`,
  `To: ${P.unquotedDisplayName} <sip:${P.toNumber}@${P.requestUriHost}>`,
  `Contact: <sip:${P.contactUser}@${P.contactAddress}:5062;transport=udp>;+sip.instance="<urn:uuid:${P.contactInstance}>", <sip:zq@[${P.contactIpv6}]:5062>`,
  `P-Asserted-Identity: "${P.paiName}" <sip:+${P.paiNumber}@${P.paiHost};user=phone>, <tel:+${P.paiTel}>`,
  `P-Preferred-Identity: <sip:${P.ppiUser}@ppi.example.net>`,
  `Remote-Party-ID: "${P.rpidName}" <sip:${P.rpidNumber}@rpid.example.net>;party=calling;screen=yes;privacy=off`,
  `Diversion: <sip:${P.diversionNumber}@div.example.net>;reason=unconditional;counter=1`,
  `History-Info: <sip:${P.historyNumber}@${P.historyHost}?Reason=SIP%3Bcause%3D302>;index=1, <sip:${P.historyNumber}@hi2.example.net>;index=1.1`,
  `Referred-By: <sip:${P.referredBy}@rb.example.net>`,
  `Refer-To: <sip:${P.referTo}@rt.example.net?Replaces=${P.referToReplaces}%40rt.example.net>`,
  `Reply-To: <sip:${P.replyTo}@rp.example.net>`,
  `Route: <sip:${P.routeHost};lr>`,
  `Record-Route: <sip:${P.recordRouteAddress};lr>`,
  `Path: <sip:${P.pathHost};lr>`,
  `Proxy-Authorization: Digest username=${P.digestUsername}, realm="${P.digestRealm}", nonce=${P.digestNonce}, uri="sip:${P.uriUserWithPassword}:${P.uriPassword}@${P.passwordUriHost}", cnonce="${P.digestCnonce}", nc=00000001, qop=auth, response=${P.digestResponse}, opaque="${P.digestOpaque}", algorithm=MD5`,
  `User-Agent: Grandstream GXP2170 1.0.11.3 ${P.userAgentSerial}`,
  `Call-Info: <http://${P.callInfoHost}/photos/${P.callInfoPath}.jpg>;purpose=icon`,
  `Alert-Info: <http://${P.alertInfoHost}/tones/vip.wav>`,
  `Organization: ${P.organization}`,
  `Subject: ${P.subject}`,
  `X-Customer-Id: ${P.customXHeader}`,
  `X-Tenant: ${P.tenantXHeader}`,
  `P-Charging-Vector: icid-value=${P.chargingIcid};icid-generated-at=${P.chargingHost};orig-ioi=ioi.example.net`,
  `In-Reply-To: ${P.inReplyTo}@app7.example.net`,
  "Date: Thu, 26 Nov 2026 03:44:37 GMT",
];
const SDP = [
  "v=0",
  `o=${P.sdpOriginUser} ${P.sdpSessionId} 1 IN IP4 ${P.sdpOriginAddress}`,
  `s=${P.sdpSessionName}`,
  `u=http://${P.sdpUriHost}/join/88`,
  `e=${P.sdpEmail}@zq-mail.example.com`,
  `p=+1 ${P.sdpPhone}`,
  `c=IN IP4 ${P.sdpConnection}`,
  "t=0 0",
  "m=audio 20488 RTP/SAVP 0 8 101",
  `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${P.sdpCryptoKey}|2^20|1:32`,
  "a=rtpmap:0 PCMU/8000",
  "a=sendrecv",
  "",
].join("\r\n");
const CALL_ID = `${P.callIdCustomer}-4c1f@app7.billing.example.net`;

/** The corpus trace with every identifier above planted into its first INVITE, its 100 and its final 487. */
function plantedTrace(): string {
  const blocks = corpusText.split(/(?=^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d+ )/m);
  const invite = blocks[0]!.split(/\r?\n/);
  const start = invite.findIndex((l) => l.startsWith("INVITE "));
  invite[start] = `INVITE sip:+${P.requestUriNumber};npdi;rn=+${P.routingNumber};isub=${P.subAddress}@${P.requestUriHost}:5060;user=phone SIP/2.0`;
  const head = invite.slice(0, start + 1).join("\n");
  const kept = invite.slice(start + 1, invite.indexOf("", start)).filter((l) => !/^(From|To|Contact|Content-Length|User-Agent):/.test(l));
  blocks[0] = `${head}\n${[...kept, ...INVITE_HEADERS, `Content-Length: ${SDP.length}`].join("\n")}\n\n${SDP}\n\n`;
  blocks[1] = blocks[1]!.replace(
    /^Server: .*$/m,
    `Server: ZQ-PBX/4.2.1 SN:${P.serverSerial}\nWWW-Authenticate: Digest realm="${P.digestRealm}", nonce=${P.challengeNonce}, qop="auth"`,
  );
  const last487 = blocks.map((b) => b.includes("SIP/2.0 487")).lastIndexOf(true);
  blocks[last487] = blocks[last487]!.replace(/^CSeq: .*$/m, (cseq) => `${cseq}\nWarning: 399 ${P.warnAgent} "Upstream ${P.warningTextHost} refused"`);
  return blocks.join("").replaceAll("1-17702@127.0.12.10", CALL_ID);
}

const keyed =
  (key: string): PseudonymOf =>
  (kind, value) =>
    `${kind}-${createHmac("sha256", key).update(`${kind}\0${value}`).digest("hex").slice(0, 8)}`;

/** Every part a share serves, each through its own redactor (one request each, one key). */
function redactedParts(text: string, key = "share-key") {
  const parts = analyzeBytesToParts(new TextEncoder().encode(text));
  const redact = <T>(part: T): T => createPartRedactor(keyed(key)).part(part);
  const messages = [...parts.messageBlocks()].flatMap((b) =>
    b.messages.map((m, i) => ({ ...m, raw: b.raw[i]!, headers: parseSipMessage(b.raw[i]!).headers.map((h) => ({ name: h.name, value: h.value })) })),
  );
  const original = { overview: parts.overview, rows: parts.callRows, details: [...parts.callDetails()], findings: parts.findings, messages };
  return {
    original,
    overview: redact(original.overview),
    rows: original.rows.map(redact),
    details: original.details.map(redact),
    findings: original.findings.map(redact),
    messages: original.messages.map(redact),
  };
}

describe("share redaction by SIP grammar", () => {
  const text = plantedTrace();
  const shared = redactedParts(text);
  const everything = JSON.stringify([shared.overview, shared.rows, shared.details, shared.findings, shared.messages]);

  it("the planted trace still reads as the corpus call, every identifier in it", () => {
    for (const secret of Object.values(PLANTED)) expect(text).toContain(secret);
    expect(JSON.stringify(shared.original)).toContain(P.digestNonce);
    expect(shared.original.overview.callCount).toBe(1);
    expect(shared.original.findings.map((f) => f.code)).toContain("caller-hangup");
  });

  it.each(Object.entries(PLANTED))("leaves no %s in any redacted part", (_kind, secret) => {
    expect(everything).not.toContain(secret);
    expect(everything.toLowerCase()).not.toContain(secret.toLowerCase());
  });

  it("keeps what is not an identifier: methods, status codes, reasons, header names, RFC sections, timers, codes", () => {
    const labels = shared.messages.map((m) => m.label);
    expect(labels).toEqual(shared.original.messages.map((m) => m.label));
    expect(labels).toEqual(expect.arrayContaining(["INVITE", "CANCEL", "487 Request Terminated"]));
    expect(shared.findings.map((f) => [f.code, f.rfc, f.severity])).toEqual(shared.original.findings.map((f) => [f.code, f.rfc, f.severity]));
    const details = (fs: typeof shared.findings) => fs.map((f) => JSON.stringify(f.details.timer ?? null));
    expect(details(shared.findings)).toEqual(details(shared.original.findings));
    const invite = shared.messages[0]!;
    expect(invite.headers.map((h) => h.name)).toEqual(shared.original.messages[0]!.headers.map((h) => h.name));
    expect(invite.raw).toMatch(/^INVITE sip:user-[0-9a-f]{8};npdi;rn=user-[0-9a-f]{8};isub=user-[0-9a-f]{8}@host-[0-9a-f]{8}:5060;user=phone SIP\/2\.0/);
    expect(invite.raw).toContain(`;branch=z9hG4bK-planted-1;received=host-`);
    expect(invite.raw).toContain("nc=00000001, qop=auth, response=redacted");
    expect(invite.raw).toMatch(/\r?\nX-Tenant: id-[0-9a-f]{8}\r?\n/);
    expect(invite.raw).toContain("Max-Forwards: 70");
    expect(invite.raw).toContain("m=audio 20488 RTP/SAVP 0 8 101");
    expect(invite.raw).toContain("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:redacted|2^20|1:32");
  });

  it("gives a value the same pseudonym in every part, so a reader can follow the call", () => {
    const callId = shared.rows[0]!.callId;
    expect(callId).toMatch(/^call-[0-9a-f]{8}$/);
    expect(shared.details[0]!.callId).toBe(callId);
    for (const m of shared.messages) expect(m.callId).toBe(callId);
    expect(shared.messages[0]!.raw).toContain(`Call-ID: ${callId}`);
    for (const f of shared.findings) expect(f.callIds).toEqual([callId]);
    const caller = shared.overview.lanes[0]!.id.replace(/:\d+$/, "");
    expect(caller).toMatch(/^host-[0-9a-f]{8}$/);
    expect(shared.messages[0]!.src!.ip).toBe(caller);
    expect(shared.details[0]!.messages[0]!.requestUri).toBe(/^INVITE (\S+)/.exec(shared.messages[0]!.raw)![1]);
  });
});

describe("mangled input", () => {
  // A small deterministic generator (mulberry32): the same cases on every run.
  function random(seed: number) {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const SPECIALS = ['"', "<", ">", ";", "=", "@", ":", ",", "\\", "[", "]", "?", "&", "\r\n", " ", "\t", "%", "sip:", "\u0000"];

  it("rewrites cut, spliced and unbalanced messages without throwing, in time linear in their size", () => {
    const message = plantedTrace()
      .split(/(?=^\d{4}\/\d\d\/\d\d )/m)[0]!
      .replace(/^.*\n/, "");
    const next = random(487);
    for (let n = 0; n < 100; n++) {
      let raw = message;
      for (let k = 0; k < 1 + Math.floor(next() * 6); k++) {
        const at = Math.floor(next() * raw.length);
        const cut = Math.floor(next() * 40);
        raw = raw.slice(0, at) + SPECIALS[Math.floor(next() * SPECIALS.length)]! + raw.slice(at + (next() < 0.5 ? cut : 0));
      }
      const out = createPartRedactor(keyed("fuzz")).part({ raw, headers: [{ name: "From", value: raw.slice(0, 200) }] });
      expect(typeof out.raw).toBe("string");
    }
    const huge = `INVITE sip:${"9".repeat(50_000)}@${"a.".repeat(20_000)}example.com SIP/2.0\r\nVia: ${'"<'.repeat(20_000)}\r\nX-A: ${"@".repeat(50_000)}\r\n\r\n`;
    const started = performance.now();
    createPartRedactor(keyed("fuzz")).part({ raw: huge, label: huge });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe("header forms", () => {
  it("reads compact names, folded lines and odd case as the headers they are", () => {
    const raw = [
      "OPTIONS sip:ops@pbx9.example.org SIP/2.0",
      "v: SIP/2.0/TCP [2001:db8::9]:5061;branch=z9hG4bK-1;received=2001:db8::a",
      "f: Ops Desk <sip:4930999888@pbx9.example.org>;tag=1",
      "t: <sip:4930777666@pbx9.example.org>",
      "i: opaque-customer-4711",
      "m: <sips:ops@192.0.2.99:5061>",
      "x-account-ref: ACC-99-4711",
      "WWW-AUTHENTICATE: Digest realm=pbx9.example.org,",
      " nonce=abcdef0123456789",
      "",
      "",
    ].join("\r\n");
    const out = createPartRedactor(keyed("k")).part({ raw }).raw;
    for (const secret of [
      "pbx9",
      "2001:db8::9",
      "2001:db8::a",
      "Ops Desk",
      "4930999888",
      "4930777666",
      "opaque-customer-4711",
      "192.0.2.99",
      "ACC-99-4711",
      "abcdef0123456789",
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toMatch(/^OPTIONS sip:user-\w+@host-\w+ SIP\/2\.0\r\nv: SIP\/2\.0\/TCP host-\w+:5061;branch=z9hG4bK-1;received=host-\w+\r\n/);
    expect(out).toMatch(/\r\ni: call-\w+\r\n/);
    expect(out).toMatch(/\r\nx-account-ref: id-\w+\r\n/);
    expect(out).toContain("WWW-AUTHENTICATE: Digest realm=host-");
  });
});

describe("free text", () => {
  const redactor = () => createPartRedactor(keyed("k"));

  it("leaves RFC section numbers, timers and durations alone", () => {
    for (const text of ["RFC 3261 §17.1.1.3", "see RFC 3261 § 9.2 and section 16.7.10", "Timer B (32 s) fired after 0.5 s", "180 Ringing after 2.004 s"]) {
      expect(redactor().text(text)).toBe(text);
    }
  });

  it("names a Call-ID, Session-ID or icid in a correlation note by the pseudonym the headers get", () => {
    // Two requests: the message (its headers) and a call row (its note), the same key.
    const header = redactor().part({
      raw: "INVITE sip:a@b.example.com SIP/2.0\r\nCall-ID: 7f3a-991@10.1.2.3\r\nSession-ID: 0a1b2c3d4e5f60718293a4b5c6d7e8f9\r\n\r\n",
    }).raw;
    const note = redactor().text("X-CID names Call-ID 7f3a-991@10.1.2.3; same Session-ID 0a1b2c3d4e5f60718293a4b5c6d7e8f9");
    const callId = /Call-ID: (\S+)/.exec(header)![1]!;
    const sessionId = /Session-ID: (\S+)/.exec(header)![1]!;
    expect(note).toBe(`X-CID names Call-ID ${callId}; same Session-ID ${sessionId}`);
    expect(callId).toMatch(/^call-/);
  });

  it("hides addresses, URIs and user@host in a title", () => {
    const title = redactor().text("INVITE sip:+15551230001;npdi;rn=+15559870002@gw.example.net from 203.0.113.9 to 2001@pbx.example.com");
    expect(title).toMatch(/^INVITE sip:user-\w+;npdi;rn=user-\w+@host-\w+ from host-\w+ to user-\w+@host-\w+$/);
  });
});
