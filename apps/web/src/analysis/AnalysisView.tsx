import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { AnalysisOverview, CallDetail, Finding, LadderRow, Lane } from "@siplens/contracts";
import {
  buildLadderModel,
  callLadderModel,
  callLanes,
  DEFAULT_TIME_DIGITS,
  findingWindows,
  mergeCallMessages,
  windowedRow,
  type PositionLookup,
  type TimeMode,
  type VisibleRow,
} from "@siplens/analysis/ladder";
import type { AnalysisSource } from "../api/analysisSource";
import { describeError } from "../api/errors";
import { SummaryBar } from "./SummaryBar";
import { SummaryOnlyNotice } from "./SummaryOnlyNotice";
import { isPattern, NO_CALL_SCOPE, patternFilterOf, type CallScope } from "./summary";
import { CallList } from "./CallList";
import { FindingsPanel } from "./FindingsPanel";
import { MessagePaneLoader } from "./MessagePane";
import { HelpDialog } from "./HelpDialog";
import { LadderToolbar, type LadderExport } from "./LadderToolbar";
import { useLaneNames } from "./useLaneNames";
import { useAnalysisKeys } from "./useAnalysisKeys";
import {
  findingsOfCalls,
  resolveCall,
  selectionOf,
  useCallDetails,
  useCallPages,
  useFindingById,
  useFindingPages,
  useMessageDetail,
  useTraceRows,
  WINDOW_ROWS,
  type TraceRows,
} from "./useAnalysisParts";
import { Ladder } from "../ladder/Ladder";
import type { LadderExportContent } from "../ladder/exportContent";
import { formatCount } from "../ui/format";

export interface AnalysisViewProps {
  overview: AnalysisOverview;
  /** Where the calls, rows, messages and findings are read from (owner or share routes). */
  source: AnalysisSource;
  /** Key for remembering lane aliases (analysis id or share token). */
  storageKey: string | null;
  title: ReactNode;
  /** The title as text: what an export of the whole trace is named after. */
  titleText: string;
  actions?: ReactNode;
  readOnly?: boolean;
  focusFindingId?: string | null;
  focusMessageIndex?: number | null;
  /** The source serves some calls only (a link to one call): the view shows them, never the whole trace. */
  callsOnly?: boolean;
  /** Told which finding is selected, so a share can focus on it. */
  onFindingChange?: (finding: Finding | null) => void;
}

const MAX_WINDOWS = 150;
const NO_FILTER = {};

/** What the ladder draws: the selected calls' rows (loaded whole) or the whole trace (loaded as it scrolls). */
interface LadderView {
  lanes: readonly Lane[];
  rowCount: number;
  rowAt: (position: number) => VisibleRow | undefined;
  positionOf: PositionLookup;
}

const firstOf = (indices: readonly number[]) => indices.reduce<number | undefined>((min, i) => (min === undefined || i < min ? i : min), undefined);

export function AnalysisView(props: AnalysisViewProps) {
  const { overview, source } = props;
  const client = useQueryClient();
  const [selection, setSelection] = useState<Map<string, number>>(() => new Map());
  const [callScope, setCallScope] = useState<CallScope>(NO_CALL_SCOPE);
  const [timeMode, setTimeMode] = useState<TimeMode>("since-start");
  const [collapse, setCollapse] = useState(false);
  const [activeFinding, setActiveFinding] = useState<Finding | null>(null);
  const [selected, setSelected] = useState<number | null>(props.focusMessageIndex ?? null);
  const [compare, setCompare] = useState<number | null>(null);
  const [help, setHelp] = useState(false);
  const [pendingScroll, setPendingScroll] = useState<{ index: number; align: "center" | "auto" } | null>(() =>
    props.focusMessageIndex != null && !props.focusFindingId ? { index: props.focusMessageIndex, align: "center" } : null,
  );
  const [scrollRequest, setScrollRequest] = useState<{ position: number; align: "center" | "auto"; seq: number } | null>(null);
  const [range, setRange] = useState({ first: 0, last: 0 });
  // A trace of one call opens on that call (whole, so retransmissions can be folded), not on a whole-trace ladder first.
  const [opening, setOpening] = useState(
    () => props.callsOnly === true || (overview.callCount === 1 && !props.focusFindingId && props.focusMessageIndex == null),
  );
  const lanes = useLaneNames(props.storageKey);
  const selectionRef = useRef(selection);
  // eslint-disable-next-line react-hooks/refs -- the latest-value ref: callbacks made before this render read the selection it shows
  selectionRef.current = selection;

  const callMode = selection.size > 0;
  const ordinals = useMemo(() => [...selection.values()], [selection]);
  const calls = useCallDetails(source, ordinals);
  const trace = useTraceRows(source, overview.messageCount, range, !callMode && !opening);
  const timeDigits = overview.timeDigits ?? DEFAULT_TIME_DIGITS;
  const callMessages = useMemo(() => (callMode ? mergeCallMessages(calls.details) : []), [callMode, calls.details]);
  // the selected calls' own lanes (labels even for hosts the overview's capped list lacks), along their path
  const callModel = useMemo(
    () =>
      callMode ? callLadderModel(callLanes(calls.details, overview.lanes), callMessages, { collapseRetransmissions: collapse, timeMode, timeDigits }) : null,
    [callMode, calls.details, overview.lanes, callMessages, collapse, timeMode, timeDigits],
  );
  const retransmissions = callMode ? callMessages.some((m) => m.retransmissionOf !== undefined) : overview.hasRetransmissions;
  const laneIndex = useMemo(() => new Map(overview.lanes.map((lane, i) => [lane.id, i])), [overview.lanes]);
  const ladder = useMemo<LadderView>(() => {
    if (callModel) return { lanes: callModel.lanes, rowCount: callModel.rows.length, rowAt: (p) => callModel.rows[p], positionOf: callModel.positionOf };
    const count = overview.messageCount;
    return {
      lanes: overview.lanes,
      rowCount: count,
      rowAt: (p) => {
        const row = trace.rowAt(p);
        return row && windowedRow(row, laneIndex, timeMode, overview.startTime, timeDigits);
      },
      positionOf: { get: (index) => (index >= 0 && index < count ? index : undefined) },
    };
  }, [callModel, overview, trace, laneIndex, timeMode, timeDigits]);
  // where a message is in the input, for naming one the page has not opened (the ladder has its rows)
  const callWhere = useMemo(() => new Map(callMessages.map((m) => [m.index, m.where])), [callMessages]);
  const whereOf = useCallback((index: number) => (callMode ? callWhere.get(index) : trace.rowAt(index)?.where), [callMode, callWhere, trace]);

  const findingPages = useFindingPages(source, !callMode && !opening);
  const traceFindings = useMemo(() => findingPages.data?.pages.flatMap((p) => p.items) ?? [], [findingPages.data]);
  const callFindings = useMemo(() => findingsOfCalls(calls.details, overview.traceFindings), [calls.details, overview.traceFindings]);
  const scopeFindings = callMode ? callFindings : traceFindings;
  const scopeTotal = callMode ? callFindings.length : (findingPages.data?.pages[0]?.total ?? overview.findingCount);
  const evidence = useMemo(() => new Set(activeFinding?.evidence ?? []), [activeFinding]);
  const windows = useMemo(() => {
    const candidates = scopeFindings.length > MAX_WINDOWS ? (activeFinding ? [activeFinding] : []) : scopeFindings;
    return findingWindows(candidates, ladder.positionOf, timeDigits);
  }, [scopeFindings, activeFinding, ladder.positionOf, timeDigits]);

  // Scroll once the ladder that contains the target exists (the selected calls may still be loading).
  useEffect(() => {
    if (!pendingScroll || (callMode && calls.pending)) return;
    const position = ladder.positionOf.get(pendingScroll.index);
    if (position === undefined) return;
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the scroll waits for a rendered ladder that holds its target
    setScrollRequest((previous) => ({ position, align: pendingScroll.align, seq: (previous?.seq ?? 0) + 1 }));
    setPendingScroll(null);
  }, [pendingScroll, ladder, callMode, calls.pending]);

  const { onFindingChange } = props;
  useEffect(() => onFindingChange?.(activeFinding), [activeFinding, onFindingChange]);

  const chooseCalls = useCallback((next: Map<string, number>) => {
    setPendingScroll(null);
    setSelection(next);
  }, []);

  /** Jumps to a finding's first evidence; its calls replace the selection when it is not in view (or `open` asks). */
  const selectFinding = useCallback(
    (finding: Finding, open = false) => {
      setActiveFinding(finding);
      // A pattern over many calls: the list shows the calls it covers (a bulk trace has tens of thousands).
      if (isPattern(finding)) setCallScope((scope) => (scope.pattern?.id === finding.id ? scope : { ...scope, pattern: patternFilterOf(finding) }));
      const first = firstOf(finding.evidence);
      if (first !== undefined) {
        setSelected(first);
        setPendingScroll({ index: first, align: "center" });
      }
      const current = selectionRef.current;
      if (open || (current.size > 0 && !finding.callIds.every((id) => current.has(id)))) {
        void selectionOf(client, source, finding.callIds).then(setSelection, () => setSelection(new Map()));
      }
    },
    [client, source],
  );

  // A share link opens on its finding (with its calls) or its message.
  const focus = useFindingById(source, overview, props.focusFindingId ?? null);
  const focusApplied = useRef(false);
  useEffect(() => {
    if (focusApplied.current || !focus.data) return;
    focusApplied.current = true;
    // A link to one call opens on all its calls anyway (and a redacted one cannot look calls up by Call-ID).
    selectFinding(focus.data, !props.callsOnly);
  }, [focus.data, selectFinding, props.callsOnly]);

  const firstCalls = useCallPages(source, NO_FILTER);
  useEffect(() => {
    if (!opening || firstCalls.isPending) return;
    const first = firstCalls.data?.pages[0]?.items ?? [];
    const opened = props.callsOnly ? first : first.slice(0, 1);
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the opening selection comes from the first call page, fetched after mount
    if (opened.length) setSelection(new Map(opened.map((c) => [c.callId, c.ordinal])));
    setOpening(false);
  }, [opening, firstCalls.isPending, firstCalls.data, props.callsOnly]);

  // A message shown from elsewhere (evidence of another call) brings its call into the selection.
  const shown = useMessageDetail(source, selected);
  useEffect(() => {
    const message = shown.data;
    const current = selectionRef.current;
    if (!message || current.size === 0 || current.has(message.callId)) return;
    void resolveCall(client, source, message.callId).then((row) => {
      if (row) setSelection((previous) => (previous.size === 0 || previous.has(row.callId) ? previous : new Map([...previous, [row.callId, row.ordinal]])));
    });
  }, [shown.data, client, source]);

  const showMessage = useCallback((index: number, align: "center" | "auto" = "center") => {
    setSelected(index);
    setPendingScroll({ index, align });
  }, []);

  const onSelectRow = useCallback((index: number, withCompare: boolean) => {
    if (withCompare) setCompare((current) => (current === index ? null : index));
    else setSelected(index);
  }, []);

  const stepMessage = useCallback(
    (delta: number) => {
      if (ladder.rowCount === 0) return;
      const current = selected == null ? undefined : ladder.positionOf.get(selected);
      const next = current === undefined ? (delta > 0 ? 0 : ladder.rowCount - 1) : Math.min(ladder.rowCount - 1, Math.max(0, current + delta));
      // The whole-trace ladder is one row per message: the position is the index, loaded or not.
      const index = callModel ? callModel.rows[next]?.row.index : next;
      if (index !== undefined) showMessage(index, "auto");
    },
    [ladder, callModel, selected, showMessage],
  );

  const stepFinding = useCallback(
    (delta: number) => {
      const list = scopeFindings.length ? scopeFindings : overview.traceFindings;
      if (!list.length) return;
      const current = list.findIndex((f) => f.id === activeFinding?.id);
      const next = list[current === -1 ? (delta > 0 ? 0 : list.length - 1) : (current + delta + list.length) % list.length];
      if (next) selectFinding(next);
    },
    [scopeFindings, overview.traceFindings, activeFinding, selectFinding],
  );

  const keyHandlers = useMemo(
    () => ({
      nextMessage: () => stepMessage(1),
      previousMessage: () => stepMessage(-1),
      nextFinding: () => stepFinding(1),
      previousFinding: () => stepFinding(-1),
      escape: () => {
        if (help) setHelp(false);
        else if (compare != null) setCompare(null);
        else setSelected(null);
      },
      help: () => setHelp(true),
    }),
    [stepMessage, stepFinding, help, compare],
  );
  useAnalysisKeys(keyHandlers);

  // Only a change of window matters (rows load a window at a time): scrolling within one re-renders nothing here.
  const onRangeChange = useCallback((first: number, last: number) => {
    const next = { first: first - (first % WINDOW_ROWS), last: last - (last % WINDOW_ROWS) };
    setRange((r) => (r.first === next.first && r.last === next.last ? r : next));
  }, []);

  const scopeLabel = useMemo(() => selectionLabel(selection.size, calls.details), [selection.size, calls.details]);
  const exportContent = useCallback((): LadderExportContent | null => {
    const shown: LadderExport | null = callModel
      ? calls.pending
        ? null
        : { model: callModel, coverage: null }
      : loadedWindowExport(trace, range.first, overview, laneIndex, timeMode, timeDigits);
    if (!shown) return null;
    return {
      lanes: shown.model.lanes,
      rows: shown.model.rows,
      laneName: lanes.laneName,
      findings: scopeFindings,
      positionOf: shown.model.positionOf,
      timeDigits,
      callIds: callMode ? calls.details.map((d) => d.callId) : [],
      analysisTitle: props.titleText,
      scope: shown.coverage ? `${scopeLabel}, ${shown.coverage}` : scopeLabel,
    };
  }, [
    callModel,
    calls.pending,
    calls.details,
    callMode,
    trace,
    range.first,
    overview,
    laneIndex,
    timeMode,
    timeDigits,
    lanes.laneName,
    scopeFindings,
    props.titleText,
    scopeLabel,
  ]);
  const ladderError = callMode ? calls.error : trace.error;
  const findingsError = callMode ? calls.error : findingPages.error;
  const hidden = overview.findingCount - scopeTotal;

  return (
    <div className="analysis">
      <div className="analysis-head">
        <div className="analysis-title">{props.title}</div>
        <div className="analysis-actions">
          {props.actions}
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts (?)">
            ?
          </button>
        </div>
      </div>
      {overview.summaryOnly && <SummaryOnlyNotice notice={overview.summaryOnly} />}
      <SummaryBar overview={overview} activeCause={callScope.cause} onCause={(cause) => setCallScope((scope) => ({ ...scope, cause }))} />
      <div className={`workspace${selected != null ? " with-message" : ""}`}>
        <CallList
          source={source}
          overview={overview}
          selected={selection}
          onChange={chooseCalls}
          laneNames={lanes.names}
          wholeTrace={!props.callsOnly}
          scope={callScope}
          onScopeChange={setCallScope}
        />
        <section className="panel ladder-panel" aria-labelledby="ladder-title">
          <LadderToolbar
            rowCount={ladder.rowCount}
            laneCount={callModel ? ladder.lanes.length : overview.laneCount}
            timeMode={timeMode}
            onTimeMode={setTimeMode}
            collapse={collapse}
            onCollapse={setCollapse}
            collapseUnavailable={callMode ? undefined : "Select calls to fold their retransmissions: the whole trace is read a window at a time."}
            scopeLabel={scopeLabel}
            retransmissions={retransmissions}
            exportContent={exportContent}
          />
          {ladderError && (
            <p className="error-text small" role="alert">
              {callMode ? "The selected calls could not be loaded." : "Ladder rows could not be loaded."} {describeError(ladderError)}
            </p>
          )}
          {opening || (callMode && calls.pending && calls.details.length === 0) ? (
            <div className="ladder-empty muted" role="status">
              {opening ? "Loading the call…" : "Loading the selected calls…"}
            </div>
          ) : (
            <Ladder
              lanes={ladder.lanes}
              rowCount={ladder.rowCount}
              rowAt={ladder.rowAt}
              onRangeChange={callMode ? undefined : onRangeChange}
              laneName={lanes.laneName}
              onRenameLane={lanes.rename}
              evidence={evidence}
              selected={selected}
              compare={compare}
              windows={windows}
              activeFindingId={activeFinding?.id ?? null}
              onSelect={onSelectRow}
              scrollRequest={scrollRequest}
            />
          )}
        </section>
        <div className="side">
          <FindingsPanel
            findings={scopeFindings}
            total={scopeTotal}
            selected={activeFinding}
            onSelect={selectFinding}
            onShowMessage={showMessage}
            emptyText={emptyFindingsText(overview, hidden)}
            loading={opening || (callMode ? calls.pending : findingPages.isPending)}
            error={findingsError}
            onMore={!callMode && findingPages.hasNextPage ? () => void findingPages.fetchNextPage() : undefined}
            loadingMore={findingPages.isFetchingNextPage}
            timeDigits={timeDigits}
          />
          {selected != null && (
            <MessagePaneLoader
              key={selected}
              source={source}
              index={selected}
              compareIndex={compare}
              onClose={() => setSelected(null)}
              onClearCompare={() => setCompare(null)}
              timeDigits={timeDigits}
              whereOf={whereOf}
            />
          )}
        </div>
      </div>
      {help && <HelpDialog onClose={() => setHelp(false)} />}
    </div>
  );
}

/**
 * The whole-trace export: the run of loaded rows around the view, as its own ladder (only the lanes it
 * touches) with the trace's time column, saying which rows of how many it covers.
 */
function loadedWindowExport(
  trace: TraceRows,
  first: number,
  overview: AnalysisOverview,
  laneIndex: ReadonlyMap<string, number>,
  timeMode: TimeMode,
  timeDigits: number,
): LadderExport | null {
  const sorted = [...trace.windows].sort((a, b) => a.start - b.start);
  const rows: LadderRow[] = [];
  for (const window of sorted) {
    const end = rows.at(-1)?.index;
    if (end !== undefined && window.start !== end + 1) {
      if (end >= first) break;
      rows.length = 0;
    }
    rows.push(...window.rows);
  }
  const head = rows[0];
  const tail = rows.at(-1);
  if (!head || !tail) return null;
  const model = buildLadderModel({ lanes: overview.lanes, rows }, { collapseRetransmissions: false, timeMode, timeDigits });
  for (const visible of model.rows) visible.timeText = windowedRow(visible.row, laneIndex, timeMode, overview.startTime, timeDigits).timeText;
  const whole = head.index === 0 && tail.index === overview.messageCount - 1;
  const coverage = whole
    ? null
    : `rows ${formatCount(head.index + 1)}–${formatCount(tail.index + 1)} of ${formatCount(overview.messageCount)} (the loaded window)`;
  return { model, coverage };
}

function emptyFindingsText(overview: AnalysisOverview, hidden: number): string {
  if (overview.summaryOnly) return `Nothing to diagnose: a ${overview.summaryOnly.formatName} has no full SIP messages (see above).`;
  if (hidden > 0) return `No findings for the calls shown (${formatCount(hidden)} elsewhere in the trace).`;
  return "No 487 or CANCEL problem found in this trace.";
}

/** "whole trace", "1 call", "3 calls"; correlated legs count as one call: "1 call (2 legs)". */
function selectionLabel(selected: number, details: readonly CallDetail[]): string {
  if (selected === 0) return "whole trace";
  const calls = details.length === selected ? new Set(details.map((d) => d.group?.id ?? d.callId)).size : selected;
  const noun = calls === 1 ? "1 call" : `${calls} calls`;
  return calls === selected ? noun : `${noun} (${selected} legs)`;
}
