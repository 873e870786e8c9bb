import type { IngestSink, Ingestor } from "../types.js";
import { CaptureInput } from "./frame.js";
import { emitHepPacket, isHep3 } from "./hep.js";
import { SipEmitter } from "./sip-emitter.js";
import { byteAt } from "../../access.js";

/** A file of HEP v3 packets back to back (what a HEP collector dumps); each packet is one "frame". */
export function createHepStreamIngestor(sink: IngestSink): Ingestor {
  const input = new CaptureInput((p) => sink.problem(p));
  const q = input.q;
  const out = new SipEmitter(sink);
  let packet = 0;

  function damaged(message: string): void {
    input.stop(`frame ${packet + 1} (byte ${q.offset})`, message);
  }

  function readPackets(): void {
    while (q.length >= 6) {
      const head = q.peek(6);
      if (!isHep3(head)) return damaged("damaged HEP stream: packet does not start with HEP3; stopped reading here");
      const len = (byteAt(head, 4) << 8) | byteAt(head, 5);
      if (len < 6) return damaged(`damaged HEP stream: packet length ${len}; stopped reading here`);
      if (q.length < len) return;
      packet++;
      emitHepPacket(q.peek(len), packet, null, out);
      q.skip(len);
    }
  }

  return {
    push(chunk) {
      input.feed(chunk, readPackets);
    },
    end() {
      if (!input.stopped && q.length > 0) {
        sink.problem({
          where: `frame ${packet + 1} (byte ${q.offset})`,
          message: `truncated HEP stream: file ends inside packet ${packet + 1}; everything before was read`,
          severity: "error",
        });
      }
      q.clear();
    },
  };
}
