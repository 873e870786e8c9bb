import type { CallIndexRow } from "@siplens/contracts";
import { messageDetailOf, type ExampleParts } from "./corpus";
import { jsonResponse } from "./render";

export interface PartsServerOptions {
  /** The most calls or findings one page answers (a server may answer fewer than asked). */
  pageSize?: number;
}

const matches = (call: CallIndexRow, q: string) =>
  [call.callId, call.from ?? "", call.to ?? "", ...call.hosts].some((text) => text.toLowerCase().includes(q.toLowerCase()));

/**
 * Answers the part routes under `base` (/api/analyses/:id or /api/shared/:token) from real analyzer
 * parts, the way the API does: filters and search on the server, offset cursors, 404 for what is not there.
 */
export function partsServer(parts: ExampleParts, base: string, options: PartsServerOptions = {}) {
  return (url: string): Response | undefined => {
    const parsed = new URL(url, "http://test");
    if (!parsed.pathname.startsWith(`${base}/`)) return undefined;
    const path = parsed.pathname.slice(base.length);
    const query = parsed.searchParams;
    const int = (name: string, fallback: number) => (query.has(name) ? Number(query.get(name)) : fallback);
    const page = <T>(items: T[]) => {
      const offset = int("cursor", 0);
      const limit = Math.min(int("limit", 100), options.pageSize ?? Infinity);
      const slice = items.slice(offset, offset + limit);
      return { items: slice, total: items.length, nextCursor: offset + limit < items.length ? String(offset + limit) : null };
    };
    let match: RegExpExecArray | null;
    if (path === "/calls") {
      const outcome = query.get("outcome");
      const finding = query.get("finding");
      const q = query.get("q");
      const group = query.get("group");
      const cause = query.get("cause");
      const pattern = query.get("pattern");
      const covered = pattern ? new Set(parts.findings.find((f) => f.id === pattern)?.callIds) : null;
      const calls = parts.callRows.filter(
        (c) =>
          (!outcome || c.outcome === outcome) &&
          (!finding || c.findingCodes.includes(finding as never)) &&
          (!cause || (c.causes487 ?? []).includes(cause as never)) &&
          (!covered || covered.has(c.callId)) &&
          (!q || matches(c, q)) &&
          (!group || c.group?.id === group),
      );
      return jsonResponse(200, page(calls));
    }
    if ((match = /^\/calls\/(\d+)$/.exec(path))) {
      const detail = parts.details[Number(match[1])];
      return detail ? jsonResponse(200, detail) : jsonResponse(404, { error: "not-found", message: "No such call." });
    }
    if ((match = /^\/messages\/(\d+)$/.exec(path))) {
      const detail = messageDetailOf(parts, Number(match[1]));
      return detail ? jsonResponse(200, detail) : jsonResponse(404, { error: "not-found", message: "No such message." });
    }
    if (path === "/window") {
      const start = int("start", 0);
      const count = int("count", 500);
      return jsonResponse(200, {
        start,
        messageCount: parts.overview.messageCount,
        messages: parts.summaries.slice(start, start + count),
        rows: parts.rows.slice(start, start + count),
      });
    }
    if (path === "/findings") {
      const code = query.get("code");
      return jsonResponse(200, page(parts.findings.filter((f) => !code || f.code === code)));
    }
    return jsonResponse(404, { error: "not-found", message: "Not found." });
  };
}
