/**
 * Capture files to SIP messages, in one streaming pass:
 *   pcap-file / pcapng-file  records -> CapturedFrame (frame number, byte offset, link type, time)
 *   netmon-file              Microsoft Network Monitor 1.x/2.x files (read whole: frame table at the end)
 *   link-layer               Ethernet (+802.1Q/QinQ), Linux SLL/SLL2, BSD NULL/LOOP, PPP, Cisco
 *                            HDLC, raw IP; on ethertypes PPPoE, PPP, MPLS, bridged Ethernet
 *   ip-layer, ip-fragments   IPv4/IPv6 with bounded fragment reassembly
 *   tunnels                  IP-in-IP, GRE (+ERSPAN), GTP-U, VXLAN, nested to a bounded depth
 *   skipped-frames           why frames were not opened: located warnings, a no-SIP summary
 *   datagram, hep            UDP payloads (and HEP v1-v3 carried in UDP)
 *   tcp-reassembly           per-direction TCP streams -> stream-consumer (SIP framing via
 *                            sip/framing, WebSocket frames, HEP to a collector)
 *   sip-emitter              the one place bytes become RawSipMessage text
 * Damage never throws: readers report a located Problem and deliver everything before it.
 */
import type { CaptureSpan, IngestSink, Ingestor } from "../types.js";
import type { CapturedFrame } from "./frame.js";
import { createPcapFileReader, pcapMagic } from "./pcap-file.js";
import { createPcapngFileReader, isPcapngMagic } from "./pcapng-file.js";
import { createNetmonFileReader, isNetmonMagic } from "./netmon-file.js";
import { PacketDecoder } from "./packet-decoder.js";
import { SipEmitter } from "./sip-emitter.js";

export type CaptureKind = "pcap" | "pcapng" | "netmon";

export interface CaptureIngestor extends Ingestor {
  /** e.g. "pcapng (2 sections, link types 1, 276)", once the header has been read. */
  describe(): string | null;
}

/** Streaming capture reader: file bytes in, SIP messages (and located problems) out. */
export function createCaptureIngestor(kind: CaptureKind, sink: IngestSink): CaptureIngestor {
  const emitter = new SipEmitter(sink);
  const decoder = new PacketDecoder(emitter);
  let span: CaptureSpan | undefined;
  const frame = (f: CapturedFrame): void => {
    // every record counts, SIP or not: the capture's end is the last packet's time
    if (f.time !== null && Number.isFinite(f.time)) {
      if (!span) span = { start: f.time, end: f.time };
      else if (f.time < span.start) span.start = f.time;
      else if (f.time > span.end) span.end = f.time;
    }
    decoder.frame(f);
  };
  const frames = { frame, problem: (p: Parameters<IngestSink["problem"]>[0]) => sink.problem(p) };
  const file = kind === "pcap" ? createPcapFileReader(frames) : kind === "pcapng" ? createPcapngFileReader(frames) : createNetmonFileReader(frames);
  let ended = false;
  return {
    push(chunk) {
      if (!ended) file.push(chunk);
    },
    end() {
      if (ended) return;
      ended = true;
      file.end();
      decoder.finish();
      if (span) sink.captureSpan?.(span);
    },
    describe: () => file.describe(),
  };
}

/** Which capture format the first bytes announce, if any. */
export function detectCaptureKind(head: Uint8Array): CaptureKind | null {
  if (pcapMagic(head)) return "pcap";
  if (isPcapngMagic(head)) return "pcapng";
  if (isNetmonMagic(head)) return "netmon";
  return null;
}
