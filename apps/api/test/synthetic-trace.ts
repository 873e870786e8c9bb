/**
 * A generated sngrep trace of many calls, one second apart: call i is cancelled (i % 3 = 0: CANCEL,
 * 487), answered (1) or busy (2: 486). Callers 10.20.0.1–5 call +4930555NNNN at 10.30.0.1; every
 * caller has a display name. Big enough for two message blocks and several pages of calls.
 */
export const SYNTHETIC_START = Date.UTC(2026, 10, 26, 3, 0, 0) / 1000;

export function callerIp(i: number): string {
  return `10.20.0.${(i % 5) + 1}`;
}
export function callee(i: number): string {
  return `+4930555${String(i).padStart(4, "0")}`;
}

function stamp(seconds: number): string {
  const d = new Date(seconds * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(Math.round((seconds % 1) * 1e6), 6)}`;
}

export function syntheticTrace(calls: number): string {
  const out: string[] = [];
  const server = "10.30.0.1";
  for (let i = 0; i < calls; i++) {
    const ip = callerIp(i);
    const t0 = SYNTHETIC_START + i;
    const callId = `call-${i}@${ip}`;
    const from = `From: "Alice ${i}" <sip:100${i % 5}@${ip}>;tag=ft${i}`;
    const to = `To: <sip:${callee(i)}@${server}>`;
    const via = (method: string) => `Via: SIP/2.0/UDP ${ip}:5060;branch=z9hG4bK-${i}-${method}`;
    let t = t0;
    const msg = (src: string, dst: string, lines: string[]) => {
      out.push(`${stamp(t)} ${src}:5060 -> ${dst}:5060`, ...lines, "Content-Length: 0", "", "", "");
      t += 0.05;
    };
    const up = (lines: string[]) => msg(ip, server, lines);
    const down = (lines: string[]) => msg(server, ip, lines);
    const toTag = `${to};tag=tt${i}`;
    const head = (method: string, seq: string, toLine = to) => [via(method), from, toLine, `Call-ID: ${callId}`, `CSeq: ${seq}`];
    up([`INVITE sip:${callee(i)}@${server} SIP/2.0`, ...head("inv", "1 INVITE"), `Contact: <sip:100${i % 5}@${ip}:5060>`, "Max-Forwards: 70"]);
    down(["SIP/2.0 100 Trying", ...head("inv", "1 INVITE")]);
    if (i % 3 === 0) {
      down(["SIP/2.0 180 Ringing", ...head("inv", "1 INVITE", toTag)]);
      up([`CANCEL sip:${callee(i)}@${server} SIP/2.0`, ...head("inv", "1 CANCEL"), "Max-Forwards: 70"]);
      down(["SIP/2.0 200 OK", ...head("inv", "1 CANCEL", toTag)]);
      down(["SIP/2.0 487 Request Terminated", ...head("inv", "1 INVITE", toTag)]);
      up([`ACK sip:${callee(i)}@${server} SIP/2.0`, ...head("inv", "1 ACK", toTag), "Max-Forwards: 70"]);
    } else if (i % 3 === 1) {
      down(["SIP/2.0 200 OK", ...head("inv", "1 INVITE", toTag), `Contact: <sip:${callee(i)}@${server}:5060>`]);
      up([`ACK sip:${callee(i)}@${server}:5060 SIP/2.0`, ...head("ack", "1 ACK", toTag), "Max-Forwards: 70"]);
      up([`BYE sip:${callee(i)}@${server}:5060 SIP/2.0`, ...head("bye", "2 BYE", toTag), "Max-Forwards: 70"]);
      down(["SIP/2.0 200 OK", ...head("bye", "2 BYE", toTag)]);
    } else {
      down(["SIP/2.0 486 Busy Here", ...head("inv", "1 INVITE", toTag)]);
      up([`ACK sip:${callee(i)}@${server} SIP/2.0`, ...head("inv", "1 ACK", toTag), "Max-Forwards: 70"]);
    }
  }
  return out.join("\n");
}
