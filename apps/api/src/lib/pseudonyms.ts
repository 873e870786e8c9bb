import { createHmac, randomBytes } from "node:crypto";
import type { PseudonymOf } from "@siplens/analysis";
import { present } from "@siplens/analysis/access";

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** A fresh secret for one share's pseudonyms. */
export const newRedactionKey = (): Uint8Array<ArrayBuffer> => new Uint8Array(randomBytes(32));

/**
 * Pseudonyms keyed by a share's secret: "host-" + 8 base32 characters of HMAC-SHA256(kind, value).
 * Deterministic per share (every part, every request agrees), unlinkable across shares, and not
 * reversible by hashing guesses (a phone number has few digits; the key makes guessing useless).
 */
export function keyedPseudonyms(key: Uint8Array): PseudonymOf {
  return (kind, value) => {
    const digest = createHmac("sha256", key).update(`${kind}\0${value}`).digest();
    // 40 bits = 8 base32 characters.
    let bits = 0n;
    for (let i = 0; i < 5; i++) bits = (bits << 8n) | BigInt(present(digest[i]));
    let out = "";
    for (let i = 7; i >= 0; i--) out += BASE32[Number((bits >> BigInt(i * 5)) & 31n)];
    return `${kind}-${out}`;
  };
}
