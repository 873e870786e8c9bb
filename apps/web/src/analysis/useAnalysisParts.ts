import { useMemo } from "react";
import { useInfiniteQuery, useQueries, useQuery, type QueryClient, type UseQueryResult } from "@tanstack/react-query";
import {
  MAX_PART_PAGE,
  type AnalysisOverview,
  type CallDetail,
  type CallIndexRow,
  type CallListQuery,
  type Finding,
  type LadderRow,
  type TraceWindow,
} from "@siplens/contracts";
import type { AnalysisSource } from "../api/analysisSource";

/** Calls per page of the call list, findings per page of the findings panel, rows per ladder window. */
const CALL_PAGE = 100;
const FINDING_PAGE = 100;
export const WINDOW_ROWS = 500;
/** Ladder windows out of view are dropped soon: the page never keeps the whole trace. */
const WINDOW_GC_MS = 30_000;

export type CallFilterQuery = Pick<CallListQuery, "outcome" | "finding" | "cause" | "pattern" | "q">;

/** The call list, filtered and searched by the server, a page at a time. */
export function useCallPages(source: AnalysisSource, filter: CallFilterQuery) {
  return useInfiniteQuery({
    queryKey: [...source.key, "calls", filter],
    queryFn: ({ pageParam }) => source.calls({ ...filter, cursor: pageParam, limit: CALL_PAGE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: Infinity,
  });
}

const callKey = (source: AnalysisSource, ordinal: number) => [...source.key, "call", ordinal];

// Stable combiners: useQueries re-runs an inline one on every render, which would rebuild the ladder each time.
function combineDetails(results: ReadonlyArray<UseQueryResult<CallDetail>>) {
  return {
    details: results.flatMap((r) => (r.data ? [r.data] : [])),
    pending: results.some((r) => r.isPending),
    error: results.find((r) => r.error)?.error ?? null,
  };
}

function combineWindows(results: ReadonlyArray<UseQueryResult<TraceWindow>>): TraceRows {
  const windows = results.flatMap((r) => (r.data ? [r.data] : []));
  const byStart = new Map(windows.map((w) => [w.start, w]));
  return {
    windows,
    rowAt: (index: number) => byStart.get(Math.floor(index / WINDOW_ROWS) * WINDOW_ROWS)?.rows[index % WINDOW_ROWS],
    pending: results.some((r) => r.isPending),
    error: results.find((r) => r.error)?.error ?? null,
  };
}

/** The selected calls whole (transactions, findings, message summaries), in the order given. */
export function useCallDetails(source: AnalysisSource, ordinals: readonly number[]) {
  return useQueries({
    queries: ordinals.map((ordinal) => ({ queryKey: callKey(source, ordinal), queryFn: () => source.call(ordinal), staleTime: Infinity })),
    combine: combineDetails,
  });
}

export function useMessageDetail(source: AnalysisSource, index: number | null) {
  return useQuery({
    queryKey: [...source.key, "message", index],
    queryFn: () => source.message(index ?? 0),
    enabled: index != null,
    staleTime: Infinity,
  });
}

/** Every finding of the trace (trace patterns and call findings), a page at a time. */
export function useFindingPages(source: AnalysisSource, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: [...source.key, "findings"],
    queryFn: ({ pageParam }) => source.findings({ cursor: pageParam, limit: FINDING_PAGE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
    staleTime: Infinity,
  });
}

export interface TraceRows {
  /** The loaded row at a message index, or undefined while its window is on its way. */
  rowAt: (index: number) => LadderRow | undefined;
  /** The loaded windows around the view, consecutive by index (for exports). */
  windows: readonly TraceWindow[];
  pending: boolean;
  error: Error | null;
}

/**
 * Whole-trace ladder rows for the message indices in view (plus one window either side), read from
 * /window in fixed windows so the same rows are cached under the same key while scrolling.
 */
export function useTraceRows(source: AnalysisSource, messageCount: number, range: { first: number; last: number }, enabled: boolean): TraceRows {
  const starts = useMemo(() => {
    if (!enabled || messageCount === 0) return [];
    const first = Math.max(0, Math.floor(range.first / WINDOW_ROWS) - 1);
    const last = Math.min(Math.floor((messageCount - 1) / WINDOW_ROWS), Math.floor(range.last / WINDOW_ROWS) + 1);
    const list: number[] = [];
    for (let w = first; w <= last; w++) list.push(w * WINDOW_ROWS);
    return list;
  }, [enabled, messageCount, range.first, range.last]);
  return useQueries({
    queries: starts.map((start) => ({
      queryKey: [...source.key, "window", start],
      queryFn: () => source.window({ start, count: WINDOW_ROWS }),
      staleTime: Infinity,
      gcTime: WINDOW_GC_MS,
    })),
    combine: combineWindows,
  });
}

/** The call row of a Call-ID (findings name calls by Call-ID; the API addresses them by ordinal). */
export function resolveCall(client: QueryClient, source: AnalysisSource, callId: string): Promise<CallIndexRow | null> {
  return client.fetchQuery({
    queryKey: [...source.key, "call-id", callId],
    queryFn: async () => (await source.calls({ q: callId, limit: 20 })).items.find((c) => c.callId === callId) ?? null,
    staleTime: Infinity,
  });
}

/** Calls a selection can hold at once (each is fetched whole). */
export const MAX_SELECTED_CALLS = 50;

/** The call rows of every leg of a correlated call (asked of the server by group once, then cached). */
export function groupLegs(client: QueryClient, source: AnalysisSource, groupId: string): Promise<CallIndexRow[]> {
  return client.fetchQuery({
    queryKey: [...source.key, "group", groupId],
    queryFn: async () => (await source.calls({ group: groupId, limit: MAX_SELECTED_CALLS })).items,
    staleTime: Infinity,
  });
}

/**
 * A selection of calls by Call-ID → ordinal, for the calls a finding covers (none when too many),
 * with the other legs of each correlated call among them: a finding on one leg may rest on the
 * other's messages, and the ladder shows the call whole.
 */
export async function selectionOf(client: QueryClient, source: AnalysisSource, callIds: readonly string[]): Promise<Map<string, number>> {
  const selection = new Map<string, number>();
  if (callIds.length === 0 || callIds.length > MAX_SELECTED_CALLS) return selection;
  const rows = await Promise.all(callIds.map((id) => resolveCall(client, source, id)));
  for (const row of rows) if (row) selection.set(row.callId, row.ordinal);
  const groups = [...new Set(rows.flatMap((row) => (row?.group && row.group.callIds.some((id) => !selection.has(id)) ? [row.group.id] : [])))];
  const legs = await Promise.all(groups.map((group) => groupLegs(client, source, group)));
  for (const leg of legs.flat()) if (selection.size < MAX_SELECTED_CALLS) selection.set(leg.callId, leg.ordinal);
  return selection;
}

/** A finding by id: among the overview's trace findings, else by paging through /findings. */
export function useFindingById(source: AnalysisSource, overview: AnalysisOverview, id: string | null) {
  return useQuery({
    queryKey: [...source.key, "finding", id],
    enabled: id != null,
    staleTime: Infinity,
    queryFn: async (): Promise<Finding | null> => {
      const inOverview = overview.traceFindings.find((f) => f.id === id);
      if (inOverview) return inOverview;
      let cursor: string | undefined;
      do {
        const page = await source.findings({ cursor, limit: MAX_PART_PAGE });
        const found = page.items.find((f) => f.id === id);
        if (found) return found;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return null;
    },
  });
}

/**
 * The findings of the selected calls, each once, in their numbering order (f1, f2 …): their own,
 * and the trace-wide ones that include them (read from the overview's trace findings).
 */
export function findingsOfCalls(details: readonly CallDetail[], traceFindings: readonly Finding[]): Finding[] {
  const byId = new Map<string, Finding>();
  const traceById = new Map(traceFindings.map((f) => [f.id, f]));
  for (const detail of details) {
    for (const f of detail.findings) byId.set(f.id, f);
    for (const id of detail.traceFindingIds) {
      const f = traceById.get(id);
      if (f) byId.set(id, f);
    }
  }
  const number = (f: Finding) => Number(f.id.replace(/^\D+/, "")) || 0;
  return [...byId.values()].sort((a, b) => number(a) - number(b));
}
