import { byteAt } from "../../access.js";
/** Text forms of IP addresses: dotted quad, and RFC 5952 canonical IPv6. */

export function ipv4ToString(d: Uint8Array, at: number): string {
  return `${d[at]}.${d[at + 1]}.${d[at + 2]}.${d[at + 3]}`;
}

export function ipv6ToString(d: Uint8Array, at: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((byteAt(d, at + 2 * i) << 8) | byteAt(d, at + 2 * i + 1));
  // IPv4-mapped addresses keep their dotted tail (RFC 5952 §5)
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${ipv4ToString(d, at + 12)}`;
  // Longest run of two or more zero groups, first one on a tie, becomes "::"
  let bestStart = -1,
    bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}
