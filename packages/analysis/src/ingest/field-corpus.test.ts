/**
 * Every file of the field corpus (../corpus-external, provenance in its README) through the whole
 * pipeline, as `siplens analyze FILE --json` runs it: each must be read in full, or its problems must
 * say what was left out and why. Nothing may disappear silently.
 *
 * `holds`: the SIP messages in the file. For a capture, tshark's count, from TShark 4.0.17:
 *   tshark -n -r FILE -Y sip -T fields -e frame.number | wc -l
 * For a derived text form, that count for the capture it was made from (README "Derived text
 * forms"), except ipip.ngrep.txt: ngrep itself prints only 2 of ipip.pcap's 4 messages. For the two
 * text logs, the README's count. `messages` and `duplicates`: what siplens reads (checked against
 * the packets when the counts were recorded; see the other tests for content).
 *
 * What the pipeline accounts for: messages kept + capture duplicates dropped (same packet, same IP
 * ID) + messages reported one by one as left out. When that is less than `holds`, a problem matching
 * `explains` must say where the rest went (a summary format, ICMP quotes, unreadable requests).
 * More than `holds` is fine (tshark's heuristics miss some damaged SIP in the fuzzed capture).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeBytes } from "../analyze.js";
import { EXTERNAL_CORPUS } from "../../test/fixtures/capture/support.js";

interface Expected {
  holds: number;
  messages: number;
  duplicates?: number;
  explains?: RegExp;
}

/** A one-line summary names messages without carrying them: the reader must say so. */
const SUMMARY = /^this is a tshark (?:one-line summary|-T fields), a summary that names SIP messages but does not contain them/;
/** Problems that account for one message each. */
const LEFT_OUT = /^SIP message #\d+ of the input is malformed and was left out|; this SIP message was left out$/;

const FILES: Record<string, Expected> = {
  "aiengine/gprs_sip_flow.pcap": { holds: 22, messages: 22 },
  "arkime/arkime_synthetic.pcap": { holds: 4, messages: 4 },
  "arkime/gtp-iphone.pcap": { holds: 17, messages: 17 },
  "derived-gz/asterisk16-pjsip-logger-wss-b2bua-487-after-200.txt.gz": { holds: 28, messages: 28 },
  "derived-gz/sip-routing-error.pcapng.gz": { holds: 58, messages: 58 },
  "derived-text/DTMFsipinfo.tcpdump-A.txt": { holds: 32, messages: 32 },
  "derived-text/aaa.ngrep.txt": { holds: 81, messages: 81 },
  "derived-text/aaa.tcpdump-A.txt": { holds: 81, messages: 81 },
  "derived-text/b2bua-asterisk.ngrep.txt": { holds: 60, messages: 59, duplicates: 1 },
  "derived-text/b2bua-asterisk.tcpdump-A.txt": { holds: 60, messages: 59, duplicates: 1 },
  "derived-text/ipip.ngrep.txt": { holds: 2, messages: 2 },
  "derived-text/ipip.tcpdump-A.txt": { holds: 4, messages: 4 },
  "derived-text/ipv6frag.ngrep.txt": { holds: 32, messages: 32 },
  "derived-text/ipv6frag.tcpdump-A.txt": { holds: 32, messages: 32 },
  "derived-text/sip-over-tcp.ngrep.txt": { holds: 7, messages: 7 },
  "derived-text/sip-over-tcp.tcpdump-A.txt": { holds: 7, messages: 7 },
  "derived-tshark/DTMFsipinfo.tshark-V-alllayers.txt": { holds: 32, messages: 32 },
  "derived-tshark/DTMFsipinfo.tshark-V.txt": { holds: 32, messages: 32 },
  "derived-tshark/DTMFsipinfo.tshark-fields.tsv": { holds: 32, messages: 0, explains: SUMMARY },
  "derived-tshark/DTMFsipinfo.tshark.txt": { holds: 32, messages: 0, explains: SUMMARY },
  "derived-tshark/aaa.tshark-V-alllayers.txt": { holds: 81, messages: 81 },
  "derived-tshark/aaa.tshark-V.txt": { holds: 81, messages: 81 },
  "derived-tshark/aaa.tshark.txt": { holds: 81, messages: 0, explains: SUMMARY },
  "derived-tshark/b2bua-asterisk.tshark-V.txt": { holds: 60, messages: 60 },
  "derived-tshark/b2bua-asterisk.tshark.txt": { holds: 60, messages: 0, explains: SUMMARY },
  "derived-tshark/c07-sip-r2.tshark-V.txt": { holds: 12, messages: 3 },
  "derived-tshark/c07-sip-r2.tshark.txt": { holds: 12, messages: 0, explains: SUMMARY },
  "derived-tshark/gprs_sip_flow.tshark-V.txt": { holds: 22, messages: 22 },
  "derived-tshark/gprs_sip_flow.tshark.txt": { holds: 22, messages: 0, explains: SUMMARY },
  "derived-tshark/gre.tshark-V.txt": { holds: 1, messages: 1 },
  "derived-tshark/gre.tshark.txt": { holds: 1, messages: 0, explains: SUMMARY },
  "derived-tshark/gtp-iphone.tshark-V.txt": { holds: 17, messages: 17 },
  "derived-tshark/gtp-iphone.tshark.txt": { holds: 17, messages: 0, explains: SUMMARY },
  "derived-tshark/ipip.tshark-V.txt": { holds: 4, messages: 4 },
  "derived-tshark/ipip.tshark.txt": { holds: 4, messages: 0, explains: SUMMARY },
  "derived-tshark/ipv6frag.tshark-V.txt": { holds: 32, messages: 32 },
  "derived-tshark/ipv6frag.tshark.txt": { holds: 32, messages: 0, explains: SUMMARY },
  "derived-tshark/sip-proxy.tshark-V.txt": { holds: 11, messages: 11 },
  "derived-tshark/sip-proxy.tshark.txt": { holds: 11, messages: 0, explains: SUMMARY },
  "derived-tshark/sip_reqs.tshark-V.txt": { holds: 4, messages: 4 },
  "derived-tshark/sip_reqs.tshark.txt": { holds: 4, messages: 0, explains: SUMMARY },
  "heplify/ipip0.pcap": { holds: 8, messages: 8 },
  "ipfixprobe/sip.pcap": { holds: 45, messages: 40, explains: /^5 ICMP errors quote the start of a SIP datagram/ },
  "ndpi/FAX-Call-t38-CA-TDM-SIP-FB-1.pcap": { holds: 92, messages: 69, duplicates: 23 },
  "ndpi/fuzz-2006-06-26-2594.pcap": { holds: 52, messages: 25 },
  "ndpi/gre.pcapng": { holds: 1, messages: 1 },
  "ndpi/sip.pcap": { holds: 81, messages: 81 },
  "ndpi/sip_hello.pcapng": { holds: 8, messages: 8 },
  "ndpi/webex.pcap": { holds: 22, messages: 22 },
  "pcapplusplus/sdp.pcap": { holds: 1, messages: 1 },
  "pcapplusplus/sip_non_default_port.pcap": { holds: 2, messages: 2 },
  "pcapplusplus/sip_not_sdp.pcap": { holds: 1, messages: 1 },
  "pcapplusplus/sip_reqs.pcap": { holds: 4, messages: 4 },
  "pcapplusplus/sip_resp.pcap": { holds: 7, messages: 7 },
  "sipnab/Asterisk_ZFONE_XLITE.pcap": { holds: 27, messages: 27 },
  "sipnab/DTMFsipinfo.pcap": { holds: 32, messages: 32 },
  "sipnab/SIP_CALL_RTP_G711": { holds: 14, messages: 14 },
  "sipnab/SIP_DTMF2.cap": { holds: 29, messages: 29 },
  "sipnab/b2bua-asterisk.pcapng": { holds: 60, messages: 60 },
  "sipnab/c07-sip-r2.cap": { holds: 12, messages: 4, explains: /^28 UDP datagrams look like a SIP request/ },
  "sipnab/codec-negotiation.pcap": { holds: 10, messages: 10 },
  "sipnab/h263-over-rtp.pcap": { holds: 4, messages: 4 },
  "sipnab/invite-opus-bye.pcap": { holds: 7, messages: 7 },
  "sipnab/metasploit-sip-invite-spoof.pcap": { holds: 2, messages: 2 },
  "sipnab/register-invite-reinvite-bye.pcap": { holds: 12, messages: 12 },
  "sipnab/rtp-protocol.pcap": { holds: 9, messages: 9 },
  "sipnab/sip-488-codec-reject.pcapng": { holds: 13, messages: 13 },
  "sipnab/sip-auth-failure.pcapng": { holds: 8, messages: 8 },
  "sipnab/sip-over-tcp.pcap": { holds: 7, messages: 7 },
  "sipnab/sip-proxy.pcap": { holds: 11, messages: 11 },
  "sipnab/sip-register.pcap": { holds: 2, messages: 2 },
  "sipnab/sip-routing-error.pcapng": { holds: 58, messages: 58 },
  "sipnab/sip-rtp-g711.pcap": { holds: 10, messages: 10 },
  "sipnab/sip-rtp-g722.pcap": { holds: 6, messages: 6 },
  "sipnab/sip-rtp-g729a.pcap": { holds: 6, messages: 6 },
  "sipnab/sip-rtp-opus-hybrid.pcap": { holds: 2, messages: 2 },
  "sipnab/sip-sdp-example.pcap": { holds: 7, messages: 7 },
  "sipnab/sip_call.pcap": { holds: 7, messages: 7 },
  "sipnab/sipp-branch-scenario.pcapng": { holds: 8989, messages: 8989 },
  "sipnab/udp_5060.pcap": { holds: 10, messages: 0 },
  "sngrep/aaa.pcap": { holds: 81, messages: 81 },
  "sngrep/ipip.pcap": { holds: 4, messages: 4 },
  "sngrep/ipv6frag.pcap": { holds: 32, messages: 32 },
  "suricata-verify/sip-body-frames/public-cloudshark-sip-s0.pcap": { holds: 10, messages: 10 },
  "suricata-verify/sip-body-large/sip-body-large.pcap": { holds: 2, messages: 2 },
  "suricata-verify/sip-compact-form/sip_compact_form.pcap": { holds: 1, messages: 1 },
  "suricata-verify/sip-header-multi-value/sip_header_multi_val.pcap": { holds: 1, messages: 1 },
  "suricata-verify/sip-options-method/input.pcap": { holds: 2, messages: 2 },
  "suricata-verify/sip-pattern-matching/sip.pcap": { holds: 2, messages: 2 },
  "suricata-verify/sip-sdp/sdp.pcap": { holds: 2, messages: 2 },
  "suricata-verify/sip-tcp-method/sip-tcp.pcap": { holds: 2, messages: 2 },
  "suricata-verify/sip-tcp-pattern-matching/sip.pcap": { holds: 2, messages: 2 },
  "text-logs/asterisk16-pjsip-logger-wss-b2bua-487-after-200.txt": { holds: 28, messages: 28 },
  "text-logs/freeswitch-esl-siptrace-cancel-487-tcp.txt": { holds: 7, messages: 7 },
  "zeek/invalid-content-length.pcap": { holds: 2, messages: 2 },
  "zeek/sip-junk-before-request.pcap": { holds: 1, messages: 0 },
  "zeek/sip-long-request-response-paths.pcap": { holds: 2, messages: 2 },
  "zeek/wireshark.pcap": { holds: 81, messages: 81 },
};

const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));

describe.runIf(EXTERNAL_CORPUS !== null)("the field corpus, every file: read in full or the loss is reported", () => {
  const root = EXTERNAL_CORPUS!;
  const present = () => walk(root).map((p) => p.slice(root.length + 1)).filter((p) => p !== "README.md").sort();

  it("the table covers every file there is (a new file needs its tshark count here)", () => {
    expect(present()).toEqual(Object.keys(FILES).sort());
  });

  it.each(Object.entries(FILES))("%s", (path, want) => {
    const r = analyzeBytes(new Uint8Array(readFileSync(join(root, path))), { includeRaw: false });
    expect(r.messageCount).toBe(want.messages);
    expect(r.duplicatesDropped).toBe(want.duplicates ?? 0);
    const leftOut = r.problems.filter((p) => LEFT_OUT.test(p.message)).length;
    const accounted = r.messageCount + r.duplicatesDropped + leftOut;
    if (accounted < want.holds) {
      expect(want.explains, `${want.holds - accounted} of ${want.holds} messages are not accounted for`).toBeDefined();
      expect(r.problems.map((p) => p.message)).toContainEqual(expect.stringMatching(want.explains!));
    } else {
      expect(want.explains).toBeUndefined(); // an explanation recorded for a loss that no longer happens
    }
  }, 60_000);
});
