export type { NameAddr, ParsedHeader, ParsedSip, ParseProblem, ReasonValue, RequestUriParts, Via } from "./types.js";
export { parseSipMessage, parseSipBytes, type ParseOptions } from "./parse.js";
export {
  frameSipMessage, frameSipText, looksLikeSipStart, looksLikeSipStartText, findNextSipStart, findHeaderEnd,
  readContentLength, skipLineBreaks, utf8Length, type FrameResult, type TextFrameResult, type FrameOptions,
} from "./framing.js";
export { canonicalHeaderName } from "./header-names.js";
export { summarizeSdp } from "./sdp.js";
