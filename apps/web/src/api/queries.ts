import { infiniteQueryOptions, queryOptions, type InfiniteData, type QueryClient } from "@tanstack/react-query";
import { MAX_ANALYSIS_PAGE, type FindingCode } from "@siplens/contracts";
import { api } from "./client";
import type { AnalysisDetail, AnalysisList, AnalysisSummary } from "./schemas";

/**
 * Query options per resource: every page asks for the same thing under the same key, and the
 * account caches below are named once.
 */
export const meQuery = () => queryOptions({ queryKey: ["me"] as const, queryFn: api.me, staleTime: 60_000, retry: false });

/** An opened analysis (metadata + overview); its parts are cached under the same prefix (ownerSource). */
export const analysisQuery = (id: string) => queryOptions({ queryKey: ["analysis", id] as const, queryFn: () => api.analysis(id), staleTime: Infinity });

export interface AnalysisListFilter {
  q: string;
  finding: FindingCode | "";
}

export const analysesQuery = (filter: AnalysisListFilter) =>
  infiniteQueryOptions({
    queryKey: ["analyses", filter.q, filter.finding] as const,
    queryFn: ({ pageParam }) => api.list({ q: filter.q || undefined, finding: filter.finding || undefined, cursor: pageParam, limit: MAX_ANALYSIS_PAGE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

/** View counts change while the dialog is closed: always re-read them when it opens. */
export const sharesQuery = (analysisId: string) =>
  queryOptions({ queryKey: ["shares", analysisId] as const, queryFn: () => api.shares(analysisId), staleTime: 0, refetchOnMount: "always" });

/** One fetch per visit: every GET counts a view. */
export const sharedQuery = (token: string) =>
  queryOptions({ queryKey: ["shared", token] as const, queryFn: () => api.shared(token), staleTime: Infinity, retry: false });

/** Everything that belongs to whoever is signed in (or to this browser before signing in). */
const ACCOUNT_KEYS = [["analysis"], ["analyses"], ["shares"]] as const;

/**
 * After sign-in or sign-out: forget what the previous owner could see (owner controls, saved
 * state, lists, links) and re-read who is signed in. Both paths use this one function, so nothing
 * of one account lingers into the next.
 */
export async function clearAccountCaches(client: QueryClient): Promise<void> {
  for (const queryKey of ACCOUNT_KEYS) client.removeQueries({ queryKey });
  await client.invalidateQueries({ queryKey: meQuery().queryKey });
}

/** A changed title or note as the server answered it, written into the caches that show it (no refetch). */
export function storeSummary(client: QueryClient, summary: AnalysisSummary): void {
  const { title, note, updatedAt } = summary;
  client.setQueryData(analysisQuery(summary.id).queryKey, (old: AnalysisDetail | undefined) => (old ? { ...old, title, note, updatedAt } : old));
  client.setQueriesData<InfiniteData<AnalysisList>>({ queryKey: ["analyses"] }, (old) =>
    old ? { ...old, pages: old.pages.map((page) => ({ ...page, items: page.items.map((item) => (item.id === summary.id ? summary : item)) })) } : old,
  );
}
