/** The start line: Request-Line (RFC 3261 §7.1) or Status-Line (§7.2). */
import type { RequestUriParts } from "./types.js";
import { problem, type Ctx } from "./context.js";
import { isToken, parseUint } from "./lexing.js";
import { clip, parseUri } from "./uri.js";
import { itemAt } from "../access.js";

export function readStartLine(ctx: Ctx, line: string, lineNo: number): void {
  const out = ctx.out;
  const c0 = line.charCodeAt(0);
  if (c0 === 0x20 || c0 === 0x09) {
    problem(ctx, "start line begins with whitespace", lineNo);
    line = line.trimStart();
  }
  if (line.length >= 4 && line.slice(0, 4).toUpperCase() === "SIP/") {
    readStatusLine(ctx, line, lineNo);
    return;
  }
  const words = splitWords(line);
  const lastWord = words[words.length - 1] ?? "";
  if (words.length < 3 || lastWord.length < 5 || lastWord.slice(0, 4).toUpperCase() !== "SIP/") {
    problem(ctx, `"${clip(line)}" is not a SIP request line or status line`, lineNo);
    return;
  }
  out.kind = "request";
  const method = itemAt(words, 0);
  const version = lastWord;
  out.method = method;
  out.version = version;
  if (!isToken(method)) problem(ctx, `method "${clip(method)}" is not a token`, lineNo);
  const lastChar = line.charCodeAt(line.length - 1);
  if (lastChar === 0x20 || lastChar === 0x09) problem(ctx, "Request-Line ends with whitespace", lineNo);
  else if (words.length === 3 && (method.length + itemAt(words, 1).length + version.length + 2 !== line.length || line.includes("\t"))) {
    problem(ctx, "Request-Line elements must be separated by single spaces", lineNo);
  }
  let uri = words.slice(1, -1).join(" ");
  if (words.length > 3) problem(ctx, `Request-URI "${clip(uri)}" contains whitespace`, lineNo);
  if (uri.charCodeAt(0) === 0x3c) {
    problem(ctx, "Request-URI must not be enclosed in <>", lineNo);
    uri = uri.slice(1, uri.charCodeAt(uri.length - 1) === 0x3e ? -1 : undefined);
  }
  out.requestUri = uri;
  const u = parseUri(uri);
  if (u.uri.scheme) {
    const parts: RequestUriParts = { scheme: u.uri.scheme };
    if (u.uri.user !== undefined) parts.user = u.uri.user;
    if (u.uri.host !== undefined) parts.host = u.uri.host;
    if (u.uri.port !== undefined) parts.port = u.uri.port;
    out.requestUriParts = parts;
  }
  if (words.length <= 3) for (const e of u.errors) problem(ctx, `Request-URI: ${e}`, lineNo);
  if (u.uri.headers !== undefined) problem(ctx, "Request-URI must not contain headers ('?…')", lineNo);
  checkVersion(ctx, version, lineNo);
}

/** Splits on runs of spaces and tabs. */
function splitWords(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && (line.charCodeAt(i) === 0x20 || line.charCodeAt(i) === 0x09)) i++;
    const start = i;
    while (i < line.length && line.charCodeAt(i) !== 0x20 && line.charCodeAt(i) !== 0x09) i++;
    if (i > start) words.push(line.slice(start, i));
  }
  return words;
}

function checkVersion(ctx: Ctx, version: string, lineNo: number): void {
  if (version.toUpperCase() !== "SIP/2.0") problem(ctx, `SIP version ${clip(version)} is not supported (SIP/2.0 expected)`, lineNo);
}

function readStatusLine(ctx: Ctx, line: string, lineNo: number): void {
  const out = ctx.out;
  out.kind = "response";
  const sp1 = line.indexOf(" ");
  const version = sp1 === -1 ? line : line.slice(0, sp1);
  out.version = version;
  checkVersion(ctx, version, lineNo);
  if (sp1 === -1) {
    problem(ctx, "status line has no status code", lineNo);
    out.kind = "invalid";
    return;
  }
  let codeStart = sp1 + 1;
  while (line.charCodeAt(codeStart) === 0x20) codeStart++;
  if (codeStart > sp1 + 1) problem(ctx, "Status-Line elements must be separated by single spaces", lineNo);
  const sp2 = line.indexOf(" ", codeStart);
  const code = sp2 === -1 ? line.slice(codeStart) : line.slice(codeStart, sp2);
  out.reasonPhrase = sp2 === -1 ? "" : line.slice(sp2 + 1);
  const status = code.length === 3 ? parseUint(code) : null;
  if (status === null || status < 100 || status > 699) {
    problem(ctx, `status code "${clip(code)}" is not a 3-digit code in 100-699`, lineNo);
    out.kind = "invalid";
    return;
  }
  out.status = status;
  if (sp2 === -1) problem(ctx, "status line has no space after the status code", lineNo, "warning");
}
