import type { Endpoint, FormatId, Problem, Transport } from "@siplens/contracts";

/** One SIP message cut out of the input, before parsing. */
export interface RawSipMessage {
  /** The message from its start line to the end of its body (CRLF or LF line ends as found). */
  text: string;
  /** Seconds since the Unix epoch (fractional), or null when the input has no usable time. */
  time: number | null;
  src: Endpoint | null;
  dst: Endpoint | null;
  transport: Transport;
  /** Location in the input for error messages and evidence: "frame 12", "line 340". */
  where: string;
  /** 1-based capture frame number (captures only), used to tell capture duplicates apart. */
  frame?: number;
  /**
   * IPv4 Identification of the packet that carried the message (captures, and text forms that print
   * it). A capture duplicate is the same packet, so it has the same ID; a retransmission has another.
   * Absent for IPv6 (no ID outside fragments), TCP streams and sources that do not show it.
   */
  ipId?: number;
  /**
   * What the tool that wrote the input left out of or cut in this message (a header line tshark
   * shortened, a body it did not print): the model records them as the message's problems.
   */
  notes?: string[];
  /**
   * Single-endpoint logs (SIPp -trace_msg, Asterisk, FreeSWITCH, Cisco): whether the logging element
   * sent or received the message. Its own address is usually not in the log (src or dst stays null).
   */
  direction?: "sent" | "received";
}

/** Times of the first and last packet of a capture file, of any kind (RTP, TCP FIN, ICMP …), not only SIP. */
export interface CaptureSpan {
  start: number;
  end: number;
}

/** Where readers deliver what they find. Readers never throw on bad input: they report problems. */
export interface IngestSink {
  message(m: RawSipMessage): void;
  problem(p: Problem): void;
  /**
   * Capture files only, once at the end: how long the capture ran. A silence after the last SIP
   * message (no ACK for a 487 over TCP) is evidence only while the capture was still running.
   */
  captureSpan?(span: CaptureSpan): void;
}

/** A push-based streaming reader: bytes in, SIP messages out, memory bounded by SIP content. */
export interface Ingestor {
  push(chunk: Uint8Array): void;
  /** Flush what is left; report truncation. */
  end(): void;
}

export interface DetectedFormat {
  format: FormatId;
  /** Human name, e.g. "pcapng" or "sngrep 'save as text'". */
  name: string;
}
