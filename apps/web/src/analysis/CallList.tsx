import { useEffect, useMemo, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useVirtualizer, type Virtualizer } from "@tanstack/react-virtual";
import type { AnalysisOverview, CallGroupRef, CallIndexRow, CorrelationBasis, FindingCode, Lane } from "@siplens/contracts";
import { formatClock } from "@siplens/analysis/ladder";
import type { AnalysisSource } from "../api/analysisSource";
import { describeError } from "../api/errors";
import { causeName, FINDING_NAMES, OUTCOMES, type CallFilter, type CallScope } from "./summary";
import { groupLegs, MAX_SELECTED_CALLS, useCallPages, type CallFilterQuery } from "./useAnalysisParts";
import { formatCount } from "../ui/format";
import { ROW_KEYS_HINT, useRovingRows, type RowControl } from "./useRovingRows";
import { itemAt } from "@siplens/analysis/access";

/** Selected calls: Call-ID → ordinal (findings name calls by Call-ID, the API addresses them by ordinal). */
type CallSelection = ReadonlyMap<string, number>;

interface Props {
  source: AnalysisSource;
  overview: AnalysisOverview;
  selected: CallSelection;
  onChange: (next: Map<string, number>) => void;
  laneNames: ReadonlyMap<string, string>;
  /** False when the source serves only some calls (a link to one call): no "Whole trace" to go back to. */
  wholeTrace?: boolean;
  /** The filters the page sets (a 487 cause chip, a selected pattern); the list can clear them. */
  scope: CallScope;
  onScopeChange: (next: CallScope) => void;
}

const ITEM_HEIGHT = 64;
/** A correlated call's entry lists its legs on one more line. */
const GROUP_ITEM_HEIGHT = 82;
const SEARCH_DEBOUNCE_MS = 250;
/** Start loading the next page this many rows before the end of the loaded ones. */
const PREFETCH_ROWS = 20;

/** A URI as people read it in a list: user@host, no scheme, parameters or display name. */
export const shortUri = (uri: string | undefined) =>
  (uri ?? "?")
    .replace(/^sips?:/, "")
    .replace(/[;>].*$/, "")
    .replace(/^.*</, "");

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * What the server searches for: the text typed, or the lane id when the text names a lane by the
 * alias this viewer gave it (aliases live only in this browser).
 */
export function serverQuery(filter: CallFilter, lanes: readonly Lane[], laneNames: ReadonlyMap<string, string>): CallFilterQuery {
  const text = filter.query.trim();
  const needle = text.toLowerCase();
  const aliased = needle ? lanes.find((lane) => laneNames.get(lane.id)?.toLowerCase().includes(needle)) : undefined;
  const q = aliased ? aliased.id : text;
  return {
    ...(filter.outcome ? { outcome: filter.outcome } : {}),
    ...(filter.finding ? { finding: filter.finding } : {}),
    ...(filter.cause ? { cause: filter.cause } : {}),
    ...(filter.pattern ? { pattern: filter.pattern.id } : {}),
    ...(q ? { q } : {}),
  };
}

const BASIS_NAMES: Record<CorrelationBasis, string> = { "x-cid": "X-CID", "session-id": "Session-ID", icid: "icid", heuristic: "heuristic" };

/**
 * One entry per call as users think of it: the legs of a correlated call (several Call-IDs across
 * a B2BUA) show as one entry, the first of them in the list (usually the caller's leg; a later leg
 * when a filter leaves the first out).
 */
function callEntries(calls: readonly CallIndexRow[]): CallIndexRow[] {
  const entryOf = new Map<string, number>();
  const out: CallIndexRow[] = [];
  for (const c of calls) {
    const at = c.group ? entryOf.get(c.group.id) : undefined;
    if (at === undefined) {
      if (c.group) entryOf.set(c.group.id, out.length);
      out.push(c);
      continue;
    }
    // the entry badges what any loaded leg was found to have (leg B's proxy-timeout shows on the call)
    const entry = itemAt(out, at);
    const codes = c.findingCodes.filter((code) => !entry.findingCodes.includes(code));
    if (codes.length) out[at] = { ...entry, findingCodes: [...entry.findingCodes, ...codes] };
  }
  return out;
}

/** The Call-IDs an entry stands for: all legs of its group, or its own. */
const entryCallIds = (call: CallIndexRow): readonly string[] => call.group?.callIds ?? [call.callId];

/** Calls with outcome and finding badges, filtered and searched by the server a page at a time; click shows one call, checkboxes build a multi-call view. */
export function CallList({ source, overview, selected, onChange, laneNames, wholeTrace = true, scope, onScopeChange }: Props) {
  // Typing and the selects stay in the list: only the scope re-renders the page around it.
  const [own, setOwn] = useState<Omit<CallFilter, keyof CallScope>>({ outcome: "", finding: "", query: "" });
  const filter: CallFilter = { ...own, ...scope };
  const setFilter = ({ cause, pattern, ...rest }: CallFilter) => {
    setOwn(rest);
    if (cause !== scope.cause || pattern !== scope.pattern) onScopeChange({ cause, pattern });
  };
  const query = useDebounced(filter.query, SEARCH_DEBOUNCE_MS);
  const filterQuery = useMemo(() => serverQuery({ ...own, ...scope, query }, overview.lanes, laneNames), [own, scope, query, overview.lanes, laneNames]);
  const pages = useCallPages(source, filterQuery);
  const calls = useMemo(() => pages.data?.pages.flatMap((p) => p.items) ?? [], [pages.data]);
  const entries = useMemo(() => callEntries(calls), [calls]);
  const total = pages.data?.pages[0]?.total ?? 0;
  const filtered = Boolean(filterQuery.q || filterQuery.outcome || filterQuery.finding || filterQuery.cause || filterQuery.pattern);
  const presentCodes = useMemo(() => Object.keys(overview.findingTotals) as FindingCode[], [overview]);
  const presentOutcomes = useMemo(() => OUTCOMES.filter((o) => (overview.outcomeTotals[o] ?? 0) > 0), [overview]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizerRef = useRef<Virtualizer<HTMLDivElement, Element> | null>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages;
  const keys = useRovingRows(entries.length, scrollRef, virtualizerRef, () => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  });
  const virtualizer = useVirtualizer({
    rangeExtractor: keys.rangeExtractor,
    count: entries.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (entries[i]?.group ? GROUP_ITEM_HEIGHT : ITEM_HEIGHT),
    overscan: 8,
    initialRect: { width: 300, height: 500 },
  });
  virtualizerRef.current = virtualizer;
  const items = virtualizer.getVirtualItems();
  const lastInView = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastInView >= entries.length - PREFETCH_ROWS) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, lastInView, entries.length]);

  const client = useQueryClient();
  const [legError, setLegError] = useState<string | null>(null);
  /** Call-ID → ordinal of every leg of an entry: from the loaded rows, else asked of the server by group. */
  const legsOf = async (call: CallIndexRow): Promise<Map<string, number>> => {
    if (!call.group) return new Map([[call.callId, call.ordinal]]);
    const group: CallGroupRef = call.group;
    const loaded = new Map(calls.filter((c) => c.group?.id === group.id).map((c) => [c.callId, c.ordinal]));
    if (loaded.size === group.legs) return loaded;
    return new Map((await groupLegs(client, source, group.id)).map((c) => [c.callId, c.ordinal]));
  };
  const choose = (call: CallIndexRow, update: (legs: Map<string, number>) => Map<string, number>) => {
    setLegError(null);
    legsOf(call).then(
      (legs) => onChange(update(legs)),
      (error: unknown) => setLegError(`The legs of this call could not be loaded. ${describeError(error)}`),
    );
  };
  const toggle = (call: CallIndexRow) =>
    choose(call, (legs) => {
      const next = new Map(selected);
      const all = [...legs.keys()].every((id) => next.has(id));
      for (const [id, ordinal] of legs) {
        if (all) next.delete(id);
        else next.set(id, ordinal);
      }
      return next;
    });
  const only = (call: CallIndexRow) => choose(call, (legs) => legs);
  const allLoaded = !hasNextPage && calls.length === total;

  return (
    <section className="panel calls-panel" aria-labelledby="calls-title">
      <div className="panel-head">
        <h2 id="calls-title">
          Calls{" "}
          <span className="muted">
            {filtered && pages.data ? `${formatCount(total)} of ${formatCount(overview.callCount)}` : formatCount(overview.callCount)}
          </span>
        </h2>
        {wholeTrace && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => onChange(new Map())}
            disabled={selected.size === 0}
            title="Show every call in the ladder"
          >
            Whole trace
          </button>
        )}
      </div>
      <div className="call-filters">
        <input
          type="search"
          aria-label="Search calls by number, Call-ID or host"
          placeholder="Search number, Call-ID, host…"
          value={filter.query}
          onChange={(e) => setFilter({ ...filter, query: e.target.value })}
        />
        <div className="filter-row">
          <select
            aria-label="Filter by outcome"
            value={filter.outcome}
            onChange={(e) => setFilter({ ...filter, outcome: e.target.value as CallFilter["outcome"] })}
          >
            <option value="">Any outcome</option>
            {presentOutcomes.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
          <select aria-label="Filter by finding" value={filter.finding} onChange={(e) => setFilter({ ...filter, finding: e.target.value as FindingCode | "" })}>
            <option value="">Any finding</option>
            {presentCodes.map((c) => (
              <option key={c} value={c}>
                {FINDING_NAMES[c]}
              </option>
            ))}
          </select>
        </div>
        {(filter.cause || filter.pattern) && (
          <p className="filter-chips small" data-testid="call-filter-chips">
            {filter.cause && (
              <span className="filter-chip">
                487s decided by <strong>{causeName(filter.cause)}</strong>
                <button
                  type="button"
                  className="link"
                  onClick={() => setFilter({ ...filter, cause: "" })}
                  aria-label={`Stop showing only calls whose 487s ${causeName(filter.cause)} decided`}
                >
                  ×
                </button>
              </span>
            )}
            {filter.pattern && (
              <span className="filter-chip">
                Covered by <strong>{filter.pattern.title}</strong>
                <button
                  type="button"
                  className="link"
                  onClick={() => setFilter({ ...filter, pattern: null })}
                  aria-label="Stop showing only the calls of this pattern"
                >
                  ×
                </button>
              </span>
            )}
          </p>
        )}
        {allLoaded && total > 1 && total <= MAX_SELECTED_CALLS && (
          <button type="button" className="btn btn-small btn-ghost" onClick={() => onChange(new Map(calls.map((c) => [c.callId, c.ordinal])))}>
            Show these {formatCount(total)} calls
          </button>
        )}
      </div>
      <div ref={scrollRef} className="call-scroll" aria-busy={pages.isFetching}>
        {pages.isPending && (
          <p className="muted empty" role="status">
            Loading calls…
          </p>
        )}
        {pages.isError && !pages.isFetchNextPageError && (
          <p className="error-text empty" role="alert">
            The calls could not be loaded. {describeError(pages.error)}
          </p>
        )}
        {pages.isSuccess && calls.length === 0 && (
          <p className="muted empty">{overview.callCount ? "No call matches these filters." : "No calls in this trace."}</p>
        )}
        <ul
          style={{ height: virtualizer.getTotalSize() }}
          className="call-items"
          aria-label={`Call list: ${ROW_KEYS_HINT}`}
          onKeyDown={keys.onKeyDown}
          onFocus={keys.onFocus}
        >
          {items.map((item) => {
            const call = entries[item.index];
            if (!call) return null;
            const ids = entryCallIds(call);
            const checked = ids.every((id) => selected.has(id));
            return (
              <CallItem
                key={call.ordinal}
                call={call}
                index={item.index}
                setSize={allLoaded ? entries.length : -1}
                top={item.start}
                height={item.size}
                checked={checked}
                only={checked && selected.size === ids.length}
                tabStop={keys.tabStop(item.index)}
                onToggle={toggle}
                onOnly={only}
              />
            );
          })}
        </ul>
        {hasNextPage && (
          <button type="button" className="btn btn-small btn-ghost more" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
            {isFetchingNextPage ? "Loading more calls…" : `Load more (${formatCount(total - calls.length)} not loaded)`}
          </button>
        )}
        {legError && (
          <p className="error-text small" role="alert">
            {legError}
          </p>
        )}
        {pages.isFetchNextPageError && (
          <p className="error-text small" role="alert">
            More calls could not be loaded. {describeError(pages.error)}
          </p>
        )}
      </div>
    </section>
  );
}

interface CallItemProps {
  call: CallIndexRow;
  index: number;
  /** Entries in the list, -1 while more pages are to come. */
  setSize: number;
  top: number;
  height: number;
  checked: boolean;
  only: boolean;
  /** Which control of this row takes Tab (the list's one tab stop), if any. */
  tabStop: RowControl | null;
  onToggle: (call: CallIndexRow) => void;
  onOnly: (call: CallIndexRow) => void;
}

function CallItem({ call, index, setSize, top, height, checked, only, tabStop, onToggle, onOnly }: CallItemProps) {
  const group = call.group;
  const label = group ? `call ${call.callId} and its ${group.legs - 1} other ${group.legs === 2 ? "leg" : "legs"}` : `call ${call.callId}`;
  return (
    <li
      className={`call-item${checked ? " checked" : ""}${only ? " only" : ""}${group ? " grouped" : ""}`}
      style={{ transform: `translateY(${top}px)`, height }}
      data-testid="call-item"
      data-group={group?.id}
      data-index={index}
      aria-posinset={index + 1}
      aria-setsize={setSize}
    >
      <input
        type="checkbox"
        checked={checked}
        onChange={() => onToggle(call)}
        aria-label={`Include ${label} in the ladder`}
        tabIndex={tabStop === "check" ? 0 : -1}
        data-control="check"
      />
      <button
        type="button"
        className="call-main"
        onClick={() => onOnly(call)}
        title={group ? group.callIds.join("\n") : call.callId}
        tabIndex={tabStop === "main" ? 0 : -1}
        data-control="main"
        aria-pressed={only}
      >
        <span className="call-parties mono">
          {shortUri(call.from)} → {shortUri(call.to)}
        </span>
        <span className="call-meta">
          <span className={`outcome outcome-${call.outcome}`}>
            {call.outcome}
            {call.finalStatus ? ` ${call.finalStatus}` : ""}
          </span>
          <span className="muted mono small">{call.startTime != null ? formatClock(call.startTime) : ""}</span>
          {call.findingCodes.map((code) => (
            <span key={code} className={`badge badge-${code}`}>
              {FINDING_NAMES[code]}
            </span>
          ))}
        </span>
        {group && (
          <span className="call-legs small" data-testid="call-legs" title={`${group.note} (confidence ${Math.round(group.confidence * 100)}%)`}>
            <span className={`badge badge-legs badge-basis-${group.basis}`}>
              {group.legs} legs · {BASIS_NAMES[group.basis]} · {Math.round(group.confidence * 100)}%
            </span>
            <span className="muted mono">{group.callIds.map((id) => id.slice(0, 14)).join(" ⇄ ")}</span>
          </span>
        )}
      </button>
    </li>
  );
}
