/**
 * How a message is named wherever the page names one: by where it is in the input ("frame 2383", as
 * Wireshark numbers packets, or "line 340" of a text trace), never by the analyzer's internal index,
 * which nobody else can look up. Analyses stored before rows carried `where` fall back to the
 * message's 1-based position in the trace.
 */
export function messageName(where: string | undefined, index: number): string {
  return where ?? `message ${index + 1}`;
}

/** The number alone, for the ladder's frame column ("2383"). */
export function whereNumber(where: string | undefined, index: number): string {
  const number = where === undefined ? undefined : /\d+/.exec(where)?.[0];
  return number ?? String(index + 1);
}

/** The heading of that column: "frame" for a capture, "line" for a text trace. */
export function whereColumn(where: string | undefined): string {
  const kind = where === undefined ? undefined : /^[a-z]+/i.exec(where)?.[0];
  return kind ?? "no.";
}
