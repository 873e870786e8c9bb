import type {
  CallDetail,
  CallListPage,
  CallListQuery,
  FindingListPage,
  FindingListQuery,
  MessageDetail,
  TraceWindow,
  TraceWindowQuery,
} from "@siplens/contracts";
import { requestJson } from "./http";
import { callDetailSchema, callListPageSchema, findingListPageSchema, messageDetailSchema, traceWindowSchema } from "./schemas";

/**
 * Where the parts of one analysis are read from: the owner's routes (/api/analyses/:id/…) or a share
 * link's (/api/shared/:token/…, redacted alike). The page never holds the whole analysis: calls and
 * findings come a page at a time, a call or a message when it is opened, ladder rows a window at a time.
 */
export interface AnalysisSource {
  /** Query-key prefix: every part of this analysis is cached under it. */
  readonly key: readonly string[];
  calls(query: CallListQuery): Promise<CallListPage>;
  call(ordinal: number): Promise<CallDetail>;
  message(index: number): Promise<MessageDetail>;
  window(query: TraceWindowQuery): Promise<TraceWindow>;
  findings(query: FindingListQuery): Promise<FindingListPage>;
}

/** The query string of a part route: set strings and numbers only (the schemas' inputs type them loosely). */
function search(query: object): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if ((typeof value === "string" && value !== "") || (typeof value === "number" && Number.isFinite(value))) params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

function partsUnder(base: string, key: readonly string[]): AnalysisSource {
  return {
    key,
    calls: (query) => requestJson(`${base}/calls${search(query)}`, callListPageSchema),
    call: (ordinal) => requestJson(`${base}/calls/${ordinal}`, callDetailSchema),
    message: (index) => requestJson(`${base}/messages/${index}`, messageDetailSchema),
    window: (query) => requestJson(`${base}/window${search(query)}`, traceWindowSchema),
    findings: (query) => requestJson(`${base}/findings${search(query)}`, findingListPageSchema),
  };
}

/** The parts of an analysis its owner (or this browser) opened. */
export function ownerSource(id: string): AnalysisSource {
  return partsUnder(`/api/analyses/${encodeURIComponent(id)}`, ["analysis", id]);
}

/** The parts of a shared analysis, read with the share token. */
export function sharedSource(token: string): AnalysisSource {
  return partsUnder(`/api/shared/${encodeURIComponent(token)}`, ["shared", token]);
}
