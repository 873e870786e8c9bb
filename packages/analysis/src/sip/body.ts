/** The body: Content-Length against the real bytes (RFC 3261 §18.3, §20.14) and the SDP summary. */
import { problem, type Ctx, type ParseOptions } from "./context.js";
import { advanceUtf8Bytes, utf8Length } from "./framing.js";
import { parseParams } from "./lexing.js";
import { summarizeSdp } from "./sdp.js";

/** The body of the first application/sdp part of a multipart body, if any. */
function findSdpPart(body: string, boundary: string): string | undefined {
  const delimiter = `--${boundary}`;
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const next = body.indexOf(delimiter, at + delimiter.length);
    const part = body.slice(at + delimiter.length, next === -1 ? body.length : next);
    const h = /\r?\n\r?\n/.exec(part);
    if (h && /(^|\n)content-type[ \t]*:[ \t]*application\/sdp/i.test(part.slice(0, h.index))) {
      return part.slice(h.index + h[0].length);
    }
    at = next;
  }
  return undefined;
}

function countLf(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i !== -1; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) return false;
  }
  return true;
}

export function readBody(ctx: Ctx, bodyText: string, opts: ParseOptions): void {
  const out = ctx.out;
  const realBytes = opts.bodyBytes ?? utf8Length(bodyText);
  out.bodyLength = realBytes;
  out.body = bodyText;
  const cl = out.contentLength;
  if (cl !== undefined) {
    const line = ctx.firstLine.get("Content-Length");
    if (cl > realBytes) {
      // Text exports often turn CRLF into LF; a body that fits once its line ends are CRLF again is whole.
      if (!(ctx.lfOnly && realBytes + countLf(bodyText) === cl)) {
        problem(ctx, `Content-Length mismatch: ${cl} declared, but the body has only ${realBytes} bytes`, line);
      }
    } else if (cl < realBytes) {
      const cut = opts.bodyBytes === undefined ? advanceUtf8Bytes(bodyText, 0, cl, bodyText.length) : Math.min(cl, bodyText.length);
      const extra = bodyText.slice(cut);
      out.body = bodyText.slice(0, cut);
      // Trailing CR/LF after the body is paste or keep-alive residue, not a second message.
      if (!isBlank(extra)) {
        problem(
          ctx,
          `Content-Length mismatch: ${cl} declared, but the body has ${realBytes} bytes; the ${realBytes - cl} bytes after it are ignored`,
          line,
          "warning",
        );
      }
    }
  }
  if (out.body.length === 0) return;
  if (out.contentType === "application/sdp" || (out.contentType === undefined && out.body.startsWith("v=0"))) {
    out.sdp = summarizeSdp(out.body);
  } else if (out.contentType?.startsWith("multipart/")) {
    // SIP-I/SIP-T and S/MIME carry the SDP as one part of a multipart body (RFC 5621).
    const ct = out.headers.find((h) => h.name === "Content-Type")?.value ?? "";
    const boundary = parseParams(ct.slice(ct.indexOf(";") + 1)).params["boundary"];
    const sdp = typeof boundary === "string" ? findSdpPart(out.body, boundary) : undefined;
    if (sdp !== undefined) out.sdp = summarizeSdp(sdp);
  }
}
