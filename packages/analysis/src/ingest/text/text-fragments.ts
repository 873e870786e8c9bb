/**
 * IPv6 fragments as tcpdump prints them: "IP6 a > b: frag (0|1448) 15060 > 5062: UDP, length 1691"
 * for the first, "IP6 a > b: frag (1448|251)" for the next ones (offset|bytes of the fragmentable
 * part; with -v the ID comes first, "frag (0xb0647780:0|1448)"). Without -v the ID is not printed,
 * so fragments are put together per source and destination, in order: each must start where the
 * previous one ended. What cannot be completed is reported per datagram, never dropped silently.
 */
import { MAX_PENDING } from "../capture/ip-fragments.js";
import type { BlockMeta } from "./assembler.js";
import { present } from "../../access.js";

/** One fragment's printed payload: the bytes of the fragmentable part after any UDP header. */
export interface TextFragment {
  /** "src>dst" (addresses only), plus the ID when tcpdump printed one. */
  key: string;
  offset: number;
  /** Bytes of the fragmentable part in this fragment (tcpdump's "|n"). */
  size: number;
  /** The SIP bytes as printed (LF for CRLF), after the UDP header in the first fragment. */
  text: string;
  /** The payload begins with the LF of a CRLF whose CR ended the previous fragment. */
  splitCrLf: boolean;
  meta: BlockMeta;
  /** Input line of the fragment's summary line, and where its payload begins. */
  line: number;
  payloadLine: number;
  /** First fragment only: ports and the UDP payload length it announced. */
  first?: { meta: BlockMeta; udpLength: number };
}

interface Pending {
  first: TextFragment & { first: { meta: BlockMeta; udpLength: number } };
  text: string;
  /** Offset where the next fragment must start. */
  next: number;
}

export interface CompletedDatagram {
  meta: BlockMeta;
  text: string;
  payloadLine: number;
}

const UDP_HEADER = 8;

export class TextFragmentJoiner {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly lost: (line: number, message: string) => void) {}

  /** Adds a fragment; returns the datagram's SIP text when this fragment completes it. */
  add(f: TextFragment): CompletedDatagram | null {
    if (f.offset === 0) {
      if (!f.first) return this.drop(f, "its first fragment is not UDP");
      const stale = this.pending.get(f.key);
      if (stale) this.report(stale, "the next fragment never came");
      this.pending.set(f.key, { first: f as Pending["first"], text: f.text, next: f.size });
      // bounded like the capture reassembler: the oldest unfinished datagram gives way
      if (this.pending.size > MAX_PENDING) {
        const [oldestKey, oldest] = present(this.pending.entries().next().value);
        this.pending.delete(oldestKey);
        this.report(oldest, "too many unfinished datagrams at once");
      }
      return null;
    }
    const p = this.pending.get(f.key);
    if (!p || p.next !== f.offset)
      return this.drop(f, p ? `it starts at byte ${f.offset}, not at ${p.next} where the previous fragment ended` : "the first fragment is not in the text");
    p.text = f.splitCrLf && p.text.endsWith(".") ? `${p.text.slice(0, -1)}\r${f.text}` : p.text + f.text;
    p.next += f.size;
    if (p.next < UDP_HEADER + p.first.first.udpLength) return null;
    this.pending.delete(f.key);
    // The reassembled datagram is seen when its last fragment arrives (as a capture reader sees it).
    return { meta: { ...p.first.first.meta, time: f.meta.time }, text: p.text, payloadLine: p.first.payloadLine };
  }

  /** End of input: datagrams still waiting for fragments are reported. */
  end(): void {
    for (const p of this.pending.values()) this.report(p, "the rest is not in the text");
    this.pending.clear();
  }

  private report(p: Pending, why: string): void {
    const { first } = p;
    this.lost(
      first.line,
      `IPv6 fragment ${describe(first)} not reassembled in text form (${p.next} of ${UDP_HEADER + first.first.udpLength} bytes; ${why}); the SIP message in it was left out`,
    );
  }

  private drop(f: TextFragment, why: string): null {
    this.lost(f.line, `IPv6 fragment ${describe(f)} not reassembled in text form (${why}); its bytes were left out`);
    return null;
  }
}

function describe(f: TextFragment): string {
  const [src, dst] = f.key.split(">");
  return `${src} > ${dst} at offset ${f.offset} (${f.size} bytes)`;
}
