import { closeSync, openSync, writeSync } from "node:fs";

/**
 * A generated pcap of many calls over UDP on Ethernet, written to `path` a few MB at a time.
 * Callers 10.1.x.y call 2NNNNN at a proxy 10.2.0.1, a call every 20 ms, its messages 0.5 s apart,
 * in three kinds:
 *   i % 3 = 0: the caller hangs up while it rings (INVITE, 100, 180, CANCEL, 200, 487, ACK)
 *   i % 3 = 1: answered and hung up (INVITE, 100, 180, 200, ACK, BYE, 200)
 *   i % 3 = 2: busy (INVITE, 100, 486, ACK)
 */
export interface BigCapture {
  messages: number;
  calls: number;
  bytes: number;
}

export const bigCaptureCallId = (i: number) => `big-${i}@10.1.${(i >> 8) & 255}.${i & 255 || 1}`;

const PROXY = [10, 2, 0, 1];
const START = Date.UTC(2026, 10, 26, 3, 0, 0) / 1000;

function callerIp(i: number): number[] {
  return [10, 1, (i >> 8) & 255, i & 255 || 1];
}

function ipv4Checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

let ipId = 0;
function packet(time: number, src: number[], dst: number[], sip: string): Buffer {
  const payload = Buffer.from(sip, "latin1");
  const frame = Buffer.alloc(16 + 14 + 20 + 8 + payload.length);
  const seconds = Math.floor(time);
  frame.writeUInt32LE(seconds, 0);
  frame.writeUInt32LE(Math.round((time - seconds) * 1e6), 4);
  frame.writeUInt32LE(frame.length - 16, 8);
  frame.writeUInt32LE(frame.length - 16, 12);
  frame.writeUInt16BE(0x0800, 16 + 12); // Ethernet: IPv4 (addresses left zero)
  const ip = frame.subarray(30, 50);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + 8 + payload.length, 2);
  ip.writeUInt16BE(ipId++ & 0xffff, 4);
  ip[8] = 64;
  ip[9] = 17;
  ip.set(src, 12);
  ip.set(dst, 16);
  ip.writeUInt16BE(ipv4Checksum(ip), 10);
  const udp = frame.subarray(50, 58);
  udp.writeUInt16BE(5060, 0);
  udp.writeUInt16BE(5060, 2);
  udp.writeUInt16BE(8 + payload.length, 4);
  payload.copy(frame, 58);
  return frame;
}

function callMessages(i: number): Array<{ up: boolean; text: string }> {
  const ip = callerIp(i).join(".");
  const callId = bigCaptureCallId(i);
  const number = `2${String(i).padStart(5, "0")}`;
  const via = (kind: string) => `Via: SIP/2.0/UDP ${ip}:5060;branch=z9hG4bK-big-${i}-${kind}`;
  const from = `From: "Caller ${i}" <sip:1${String(i % 1000).padStart(3, "0")}@${ip}>;tag=f${i}`;
  const to = `To: <sip:${number}@10.2.0.1>`;
  const toTagged = `${to};tag=t${i}`;
  const sdp = `v=0\r\no=- ${i} 1 IN IP4 ${ip}\r\ns=-\r\nc=IN IP4 ${ip}\r\nt=0 0\r\nm=audio ${10000 + (i % 20000) * 2} RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\n`;
  const msg = (start: string, lines: string[], body = "") =>
    `${start}\r\n${lines.join("\r\n")}\r\n${body ? "Content-Type: application/sdp\r\n" : ""}Content-Length: ${body.length}\r\n\r\n${body}`;
  const req = (method: string, kind: string, seq: string, toLine: string, body = "") =>
    msg(
      `${method} sip:${number}@10.2.0.1 SIP/2.0`,
      [via(kind), "Max-Forwards: 70", from, toLine, `Call-ID: ${callId}`, `CSeq: ${seq}`, `Contact: <sip:1000@${ip}:5060>`],
      body,
    );
  const res = (status: string, kind: string, seq: string, toLine: string, body = "") =>
    msg(`SIP/2.0 ${status}`, [via(kind), from, toLine, `Call-ID: ${callId}`, `CSeq: ${seq}`], body);
  const up = (text: string) => ({ up: true, text });
  const down = (text: string) => ({ up: false, text });
  const invite = up(req("INVITE", "inv", "1 INVITE", to, sdp));
  const trying = down(res("100 Trying", "inv", "1 INVITE", to));
  switch (i % 3) {
    case 0:
      return [
        invite,
        trying,
        down(res("180 Ringing", "inv", "1 INVITE", toTagged)),
        up(req("CANCEL", "inv", "1 CANCEL", to)),
        down(res("200 OK", "inv", "1 CANCEL", toTagged)),
        down(res("487 Request Terminated", "inv", "1 INVITE", toTagged)),
        up(req("ACK", "inv", "1 ACK", toTagged)),
      ];
    case 1:
      return [
        invite,
        trying,
        down(res("180 Ringing", "inv", "1 INVITE", toTagged)),
        down(res("200 OK", "inv", "1 INVITE", toTagged, sdp)),
        up(req("ACK", "ack", "1 ACK", toTagged)),
        up(req("BYE", "bye", "2 BYE", toTagged)),
        down(res("200 OK", "bye", "2 BYE", toTagged)),
      ];
    default:
      return [invite, trying, down(res("486 Busy Here", "inv", "1 INVITE", toTagged)), up(req("ACK", "inv", "1 ACK", toTagged))];
  }
}

/** Writes at least `minMessages` messages; returns what was written. */
export function writeBigCapture(path: string, minMessages: number): BigCapture {
  const fd = openSync(path, "w");
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16);
  header.writeUInt32LE(1, 20); // Ethernet
  writeSync(fd, header);
  let bytes = header.length;
  let messages = 0;
  let calls = 0;
  // Calls overlap (a call every 20 ms, its messages 0.5 s apart): frames wait here until no later
  // call can precede them, so the file is in time order like a real capture.
  let waiting: Array<{ time: number; frame: Buffer }> = [];
  const writeUntil = (time: number) => {
    waiting.sort((a, b) => a.time - b.time);
    const due = waiting.findIndex((w) => w.time >= time);
    const ready = due === -1 ? waiting : waiting.slice(0, due);
    waiting = due === -1 ? [] : waiting.slice(due);
    if (ready.length) writeSync(fd, Buffer.concat(ready.map((w) => w.frame)));
  };
  try {
    for (; messages < minMessages; calls++) {
      const caller = callerIp(calls);
      const t0 = START + calls * 0.02;
      if (calls % 200 === 0) writeUntil(t0);
      callMessages(calls).forEach((m, k) => {
        const time = t0 + k * 0.5;
        const frame = packet(time, m.up ? caller : PROXY, m.up ? PROXY : caller, m.text);
        waiting.push({ time, frame });
        bytes += frame.length;
        messages++;
      });
    }
    writeUntil(Infinity);
  } finally {
    closeSync(fd);
  }
  return { messages, calls, bytes };
}
