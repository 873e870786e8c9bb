/**
 * Pseudonyms for a shared analysis, by SIP grammar: every URI user part (and its ;rn=/;isub=),
 * password and host, every display name, every header that can carry an identifier (From/To,
 * Contact, P-Asserted-Identity, Diversion, History-Info, Route/Record-Route/Via hosts, Warning
 * agents, Server/User-Agent serials, Call-Info, Organization, Subject, unknown and X- headers),
 * whole Call-IDs, digest credentials (quoted or not), SDP origin/connection/session lines and
 * keys. The pseudonym of a value comes from an injected function (the API: a keyed HMAC per
 * share), so the same value gets the same pseudonym in every part of the analysis (overview,
 * calls, messages, findings), in every request, without a pass over the whole result, and the
 * ladder and the diagnosis still read correctly. Method names, status codes and reasons, header
 * names, timer names, durations, finding codes and RFC section numbers are not identifiers and stay.
 *
 * Per part, two passes over the same input: the first meets the identifiers where the grammar
 * puts them, the second rewrites, so free text (explanations, notes) also loses every value the
 * part names elsewhere (linear in the part's size).
 */
import type { AnalysisResult } from "@siplens/contracts";
import { mapJson } from "./json-map.js";
import { redactFreeText } from "./redaction/free-text.js";
import { redactAddressValue, redactHeaderValue } from "./redaction/header.js";
import { PseudonymBook, type PseudonymKind, type PseudonymOf } from "./redaction/pseudonym-book.js";
import { redactSdpOrigin } from "./redaction/sdp.js";
import { redactSipText } from "./redaction/sip-text.js";
import { redactUri } from "./redaction/uri.js";

export type { PseudonymKind, PseudonymOf } from "./redaction/pseudonym-book.js";

const ADDRESS_SHAPE = /^(?:sips?|tel):|[<@]/i;
/** Fields that hold protocol mechanics or our own labels, never an identifier (tags and branches are random). */
const MECHANICS = new Set([
  "transport",
  "where",
  "kind",
  "method",
  "branch",
  "fromTag",
  "toTag",
  "transactionId",
  "code",
  "severity",
  "outcome",
  "basis",
  "format",
  "formatName",
  "proto",
  "type",
  "direction",
  "formats",
  "dimension",
]);

/** A string field of a part by what it holds (its property name). */
function redactField(value: string, key: string | undefined, book: PseudonymBook): string {
  if (key !== undefined && MECHANICS.has(key)) return value;
  switch (key) {
    case "raw":
      return redactSipText(value, book);
    case "requestUri":
      return redactUri(value, book);
    case "fromUri":
    case "toUri":
    case "from":
    case "to":
      // A call's From/To are addresses; a ladder row's are lane ids.
      return ADDRESS_SHAPE.test(value) ? redactAddressValue(value, book) : redactFreeText(value, book);
    case "callId":
    case "callIds":
    case "otherCallId":
      return book.of("call", value);
    case "ip":
    case "connection":
      return book.of("host", value);
    case "origin":
      return redactSdpOrigin(value, book);
    default:
      return redactFreeText(value, book);
  }
}

function redactTree(value: unknown, book: PseudonymBook): unknown {
  return mapJson(
    value,
    (leaf, key) => (typeof leaf === "string" ? redactField(leaf, key, book) : leaf),
    (record, key) =>
      key === "headers" && typeof record["name"] === "string" && typeof record["value"] === "string"
        ? { ...record, value: redactHeaderValue(record["name"], record["value"], book) }
        : undefined,
  );
}

/** Pseudonymises parts of one analysis; every part and text it is given uses the same pseudonyms. */
export interface PartRedactor {
  /** Notes the sensitive values of texts (e.g. lane ids) without rewriting anything. */
  discover(...texts: string[]): void;
  /** A copy of a JSON part (overview, call row or detail, message, finding…) with every string rewritten. */
  part<T>(value: T): T;
  /** Rewrites one text about the same trace (a title, a note): values it names itself are hidden too. */
  text(value: string): string;
}

/** A part redactor whose pseudonyms come from `pseudonymOf` (pure: no state beyond the values seen). */
export function createPartRedactor(pseudonymOf: PseudonymOf): PartRedactor {
  const book = new PseudonymBook(pseudonymOf);
  return {
    discover(...texts) {
      for (const t of texts) redactFreeText(t, book);
    },
    part<T>(value: T): T {
      redactTree(value, book);
      return redactTree(value, book) as T;
    },
    text(value) {
      redactFreeText(value, book);
      return redactFreeText(value, book);
    },
  };
}

/** Pseudonyms numbered per kind in order of discovery ("host-1", "host-2" …): for a whole result. */
export function sequentialPseudonyms(): PseudonymOf {
  const counters: Record<PseudonymKind, number> = { host: 0, user: 0, name: 0, call: 0, id: 0 };
  return (kind) => `${kind}-${++counters[kind]}`;
}

export interface Redaction {
  result: AnalysisResult;
  /** Rewrites any other text about the same trace (a title, a note) with the same pseudonyms. */
  text: (value: string) => string;
}

/** Pseudonymise a whole result (small traces, the CLI) and keep its pseudonyms for texts that travel with it (pure). */
export function createRedaction(result: AnalysisResult, pseudonymOf: PseudonymOf = sequentialPseudonyms()): Redaction {
  const redactor = createPartRedactor(pseudonymOf);
  // Lanes first, so host-1, host-2 … read left to right on the ladder.
  redactor.discover(...result.lanes.map((lane) => lane.id));
  return { result: redactor.part(result), text: (value) => redactor.text(value) };
}

/** Pseudonymise numbers/user parts, IPs and host names consistently in a result (pure; the input is not changed). */
export function redactResult(result: AnalysisResult): AnalysisResult {
  return createRedaction(result).result;
}
