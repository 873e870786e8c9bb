/** Canonical header names: compact forms (RFC 3261 §7.3.3 and extensions) and case-folding. */

const COMPACT: Record<string, string> = {
  a: "Accept-Contact",
  b: "Referred-By",
  c: "Content-Type",
  d: "Request-Disposition",
  e: "Content-Encoding",
  f: "From",
  i: "Call-ID",
  j: "Reject-Contact",
  k: "Supported",
  l: "Content-Length",
  m: "Contact",
  n: "Identity-Info",
  o: "Event",
  r: "Refer-To",
  s: "Subject",
  t: "To",
  u: "Allow-Events",
  v: "Via",
  x: "Session-Expires",
  y: "Identity",
};

const KNOWN = [
  "Accept",
  "Accept-Contact",
  "Accept-Encoding",
  "Accept-Language",
  "Alert-Info",
  "Allow",
  "Allow-Events",
  "Authentication-Info",
  "Authorization",
  "Call-ID",
  "Call-Info",
  "Contact",
  "Content-Disposition",
  "Content-Encoding",
  "Content-Language",
  "Content-Length",
  "Content-Type",
  "CSeq",
  "Date",
  "Error-Info",
  "Event",
  "Expires",
  "From",
  "Identity",
  "Identity-Info",
  "In-Reply-To",
  "Max-Forwards",
  "Min-Expires",
  "Min-SE",
  "MIME-Version",
  "Organization",
  "P-Asserted-Identity",
  "P-Charging-Vector",
  "P-Preferred-Identity",
  "Path",
  "Priority",
  "Privacy",
  "Proxy-Authenticate",
  "Proxy-Authorization",
  "Proxy-Require",
  "RAck",
  "Reason",
  "Record-Route",
  "Refer-To",
  "Referred-By",
  "Reject-Contact",
  "Replaces",
  "Reply-To",
  "Request-Disposition",
  "Require",
  "Retry-After",
  "Route",
  "RSeq",
  "Server",
  "Service-Route",
  "Session-Expires",
  "Session-ID",
  "Subject",
  "Subscription-State",
  "Supported",
  "Timestamp",
  "To",
  "Unsupported",
  "User-Agent",
  "Via",
  "Warning",
  "WWW-Authenticate",
  // the headers that link a call's legs across a B2BUA (link-headers.ts)
  "X-CID",
  "X-Call-ID",
  "X-Orig-Call-ID",
  "X-Original-Call-ID",
];

const BY_LOWER = new Map<string, string>();
for (const name of KNOWN) BY_LOWER.set(name.toLowerCase(), name);
for (const [short, long] of Object.entries(COMPACT)) BY_LOWER.set(short, long);

// Names as most stacks write them resolve without lower-casing.
const EXACT = new Map<string, string>(BY_LOWER);
for (const name of KNOWN) EXACT.set(name, name);
for (const [short, long] of Object.entries(COMPACT)) EXACT.set(short.toUpperCase(), long);
EXACT.set("Call-Id", "Call-ID");
EXACT.set("Cseq", "CSeq");

/** "v" -> "Via", "call-id" -> "Call-ID", unknown names are kept as written. */
export function canonicalHeaderName(name: string): string {
  return EXACT.get(name) ?? BY_LOWER.get(name.toLowerCase()) ?? name;
}
