import { exampleText } from "./helpers.js";

/**
 * 50,000 messages: the caller-hangup corpus trace (7 messages, sngrep text) repeated with a new
 * Call-ID, tags and branches per copy, each copy 50 ms after the previous one.
 */
export function bigTrace(minMessages: number): { text: string; messages: number } {
  const base = exampleText("caller-hangup.sngrep.txt");
  const blocks = base.split(/\n(?=\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d{6} )/);
  const perCopy = blocks.length;
  const copies = Math.ceil(minMessages / perCopy);
  const parts: string[] = [];
  const start = Date.UTC(2026, 10, 26, 3, 0, 0);
  for (let c = 0; c < copies; c++) {
    for (const block of blocks) {
      parts.push(
        block
          .replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:(\d\d)\.(\d{6})/, (_all: string, s: string, us: string) => {
            const t = new Date(start + c * 50 + Number(s) * 1000 + Math.floor(Number(us) / 1000));
            const pad = (n: number, w = 2) => String(n).padStart(w, "0");
            return `${t.getUTCFullYear()}/${pad(t.getUTCMonth() + 1)}/${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}.${pad(t.getUTCMilliseconds(), 3)}${String(us).slice(3)}`;
          })
          .replaceAll("1-17549@", `${c + 1}-17549@`)
          .replaceAll("17549SIPpTag00", `c${c}T`)
          .replaceAll("branch=z9hG4bK-17549-1", `branch=z9hG4bK-17549-${c + 1}`),
      );
    }
  }
  return { text: `${parts.join("\n")}\n`, messages: copies * perCopy };
}
