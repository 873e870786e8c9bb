/**
 * How siplens writes an address: host, or host:port, with an IPv6 host in brackets
 * ("[2001:db8::1]:5060"). A host the parser already bracketed (a Via sent-by) is kept as is.
 */
export function formatAddress(host: string, port?: number | string | null): string {
  const h = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return port === undefined || port === null || port === "" ? h : `${h}:${port}`;
}
