/**
 * Kamailio sipdump module text files: "====================" opens a record of "key: value" lines
 * (tag rcv/snd, time as epoch seconds, proto "udp ipv4", srcip/srcport/dstip/dstport),
 * "~~~~~~~~~~~~~~~~~~~~" starts the message, "||||||||||||||||||||" ends it.
 */
import type { BlockMeta } from "../assembler.js";
import { parseTransport } from "../endpoint.js";
import { countMatches, type TextFormat } from "./format.js";
import { itemAt } from "../../../access.js";

const OPEN = /^={20,}\s*$/;
const BODY = /^~{20,}\s*$/;
const CLOSE = /^\|{20,}\s*$/;
const FIELD = /^([a-z]+): ?(.*)$/;

function metaOf(fields: Map<string, string>): BlockMeta {
  const time = Number(fields.get("time"));
  const port = (k: string) => {
    const n = Number(fields.get(k));
    return Number.isInteger(n) && n > 0 ? n : null;
  };
  const ip = (k: string) => fields.get(k)?.trim() || null;
  const srcIp = ip("srcip");
  const dstIp = ip("dstip");
  return {
    time: Number.isFinite(time) && fields.has("time") ? time : null,
    src: srcIp ? { ip: srcIp, port: port("srcport") } : null,
    dst: dstIp ? { ip: dstIp, port: port("dstport") } : null,
    transport: parseTransport(fields.get("proto")),
  };
}

export const kamailioSipdump: TextFormat = {
  id: "kamailio-sipdump",
  name: "Kamailio sipdump",
  detect: (lines) => (countMatches(lines, OPEN, 1) > 0 && countMatches(lines, BODY, 1) > 0 && countMatches(lines, /^(tag: (rcv|snd)|srcip: )/, 1) > 0 ? 30 : 0),
  create(out) {
    let state: "outside" | "fields" | "message" = "outside";
    let fields = new Map<string, string>();
    return {
      line(text, eol, lineNo) {
        if (OPEN.test(text)) {
          out.endBlock();
          state = "fields";
          fields = new Map();
        } else if (state === "fields" && BODY.test(text)) {
          out.startBlock(metaOf(fields));
          state = "message";
        } else if (state === "fields") {
          const f = FIELD.exec(text);
          if (f) fields.set(itemAt(f, 1), itemAt(f, 2));
        } else if (state === "message" && CLOSE.test(text)) {
          out.endBlock();
          state = "outside";
        } else if (state === "message") {
          out.line(text, eol, lineNo);
        }
      },
      end: () => out.end(),
    };
  },
};
