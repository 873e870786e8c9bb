import { z } from "zod";

const exampleSchema = z.object({
  file: z.string(),
  kind: z.enum(["text", "binary"]),
  title: z.string(),
  format: z.string(),
  description: z.string(),
  source: z.string().optional(),
});
export type Example = z.infer<typeof exampleSchema>;

export async function loadExamples(): Promise<Example[]> {
  const response = await fetch("/examples/manifest.json");
  if (!response.ok) return [];
  return z.object({ examples: z.array(exampleSchema) }).parse(await response.json()).examples;
}

export async function loadExampleFile(example: Example): Promise<File> {
  const response = await fetch(`/examples/${encodeURIComponent(example.file)}`);
  if (!response.ok) throw new Error(`Could not load the example “${example.title}”.`);
  const blob = await response.blob();
  return new File([blob], example.file, { type: example.kind === "text" ? "text/plain" : "application/vnd.tcpdump.pcap" });
}

/** Formats the analyzer understands, for the start page and error messages. */
export const UNDERSTOOD_FORMATS = [
  "pcap / pcapng (UDP, TCP, IPv4/IPv6, HEP)",
  "gzip of any of these",
  "sngrep “save as text”",
  "ngrep -W byline",
  "sipgrep",
  "tcpdump -A",
  "tshark -V",
  "SIPp -trace_msg",
  "Kamailio sipdump",
  "Asterisk pjsip / chan_sip logger",
  "FreeSWITCH siptrace",
  "Cisco debug ccsip messages",
  "bare SIP messages",
];
