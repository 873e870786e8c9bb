/** The rfc-editor.org address of a reference such as "RFC 3261 §9.2" (the section anchor when given). */
export function rfcLink(ref: string): string {
  const match = /RFC\s*(\d+)(?:\s*§\s*([\d.]+))?/i.exec(ref);
  if (!match) return "https://www.rfc-editor.org/";
  return `https://www.rfc-editor.org/rfc/rfc${match[1]}${match[2] ? `#section-${match[2]}` : ""}`;
}
