import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import type { AnalysisResult, Finding } from "@siplens/contracts";
import { SummaryBar } from "./SummaryBar";
import { CallList } from "./CallList";
import { FindingsPanel } from "./FindingsPanel";
import { MessagePane } from "./MessagePane";
import { HelpDialog } from "./HelpDialog";
import { LadderToolbar } from "./LadderToolbar";
import { useLaneNames } from "./useLaneNames";
import { useAnalysisKeys } from "./useAnalysisKeys";
import { Ladder } from "../ladder/Ladder";
import { buildLadderModel, findingWindows } from "@siplens/analysis/ladder";
import type { TimeMode } from "@siplens/analysis/ladder";

export interface AnalysisViewProps {
  result: AnalysisResult;
  /** Key for remembering lane aliases (analysis id or share token). */
  storageKey: string | null;
  title: ReactNode;
  actions?: ReactNode;
  readOnly?: boolean;
  focusFindingId?: string | null;
  focusMessageIndex?: number | null;
  /** Told which finding is selected, so a share can focus on it. */
  onFindingChange?: (findingId: string | null) => void;
}

const MAX_WINDOWS = 150;

export function AnalysisView(props: AnalysisViewProps) {
  const { result } = props;
  const [selectedCalls, setSelectedCalls] = useState<Set<string>>(() => initialCalls(result, props.focusFindingId));
  const [timeMode, setTimeMode] = useState<TimeMode>("since-start");
  const [collapse, setCollapse] = useState(false);
  const [findingId, setFindingId] = useState<string | null>(props.focusFindingId ?? null);
  const [selected, setSelected] = useState<number | null>(props.focusMessageIndex ?? null);
  const [compare, setCompare] = useState<number | null>(null);
  const [help, setHelp] = useState(false);
  const [pendingScroll, setPendingScroll] = useState<{ index: number; align: "center" | "auto" } | null>(() => initialScroll(result, props.focusFindingId, props.focusMessageIndex));
  const [scrollRequest, setScrollRequest] = useState<{ position: number; align: "center" | "auto"; seq: number } | null>(null);
  const lanes = useLaneNames(props.storageKey);

  const model = useMemo(() => buildLadderModel(result, { callIds: selectedCalls, collapseRetransmissions: collapse, timeMode }), [result, selectedCalls, collapse, timeMode]);
  const scopeFindings = useMemo(
    () => (selectedCalls.size === 0 ? result.findings : result.findings.filter((f) => f.callIds.some((id) => selectedCalls.has(id)))),
    [result, selectedCalls],
  );
  const activeFinding = result.findings.find((f) => f.id === findingId) ?? null;
  const evidence = useMemo(() => new Set(activeFinding?.evidence ?? []), [activeFinding]);
  const windows = useMemo(() => {
    const candidates = scopeFindings.length > MAX_WINDOWS ? (activeFinding ? [activeFinding] : []) : scopeFindings;
    return findingWindows(candidates, model.positionOf);
  }, [scopeFindings, activeFinding, model.positionOf]);
  const transactionOf = useCallback((index: number) => result.messages[index]?.transactionId, [result]);

  // Scroll once the model that contains the target exists.
  useEffect(() => {
    if (!pendingScroll) return;
    const position = model.positionOf.get(pendingScroll.index);
    if (position !== undefined) setScrollRequest((previous) => ({ position, align: pendingScroll.align, seq: (previous?.seq ?? 0) + 1 }));
    setPendingScroll(null);
  }, [pendingScroll, model]);

  const { onFindingChange } = props;
  useEffect(() => onFindingChange?.(findingId), [findingId, onFindingChange]);

  const ensureVisible = useCallback(
    (index: number) => {
      const callId = result.messages[index]?.callId;
      if (selectedCalls.size > 0 && callId && !selectedCalls.has(callId)) setSelectedCalls(new Set([...selectedCalls, callId]));
    },
    [result, selectedCalls],
  );

  const selectFinding = useCallback(
    (finding: Finding) => {
      setFindingId((current) => (current === finding.id ? current : finding.id));
      if (selectedCalls.size > 0 && !finding.callIds.every((id) => selectedCalls.has(id))) {
        setSelectedCalls(new Set(finding.callIds.length <= 50 ? finding.callIds : []));
      }
      const first = Math.min(...finding.evidence);
      if (Number.isFinite(first)) {
        setSelected(first);
        setPendingScroll({ index: first, align: "center" });
      }
    },
    [selectedCalls],
  );

  const showMessage = useCallback(
    (index: number, align: "center" | "auto" = "center") => {
      ensureVisible(index);
      setSelected(index);
      setPendingScroll({ index, align });
    },
    [ensureVisible],
  );

  const onSelectRow = useCallback((index: number, withCompare: boolean) => {
    if (withCompare) setCompare((current) => (current === index ? null : index));
    else setSelected(index);
  }, []);

  const stepMessage = useCallback(
    (delta: number) => {
      if (model.rows.length === 0) return;
      const current = selected == null ? undefined : model.positionOf.get(selected);
      const nextPosition = current === undefined ? (delta > 0 ? 0 : model.rows.length - 1) : Math.min(model.rows.length - 1, Math.max(0, current + delta));
      const row = model.rows[nextPosition];
      if (row) showMessage(row.row.index, "auto");
    },
    [model, selected, showMessage],
  );

  const stepFinding = useCallback(
    (delta: number) => {
      const list = scopeFindings.length ? scopeFindings : result.findings;
      if (!list.length) return;
      const current = list.findIndex((f) => f.id === findingId);
      const next = list[current === -1 ? (delta > 0 ? 0 : list.length - 1) : (current + delta + list.length) % list.length];
      if (next) selectFinding(next);
    },
    [scopeFindings, result.findings, findingId, selectFinding],
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

  const message = selected == null ? null : (result.messages[selected] ?? null);
  const compareMessage = compare == null ? null : (result.messages[compare] ?? null);

  return (
    <div className="analysis">
      <div className="analysis-head">
        <div className="analysis-title">{props.title}</div>
        <div className="analysis-actions">
          {props.actions}
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts (?)">?</button>
        </div>
      </div>
      <SummaryBar result={result} />
      <div className={`workspace${message ? " with-message" : ""}`}>
        <CallList result={result} selected={selectedCalls} onChange={setSelectedCalls} laneNames={lanes.names} />
        <section className="panel ladder-panel" aria-labelledby="ladder-title">
          <LadderToolbar
            model={model}
            timeMode={timeMode}
            onTimeMode={setTimeMode}
            collapse={collapse}
            onCollapse={setCollapse}
            laneName={lanes.laneName}
            findings={scopeFindings}
            scopeLabel={selectedCalls.size === 0 ? "whole trace" : selectedCalls.size === 1 ? "1 call" : `${selectedCalls.size} calls`}
            exportName={typeof props.title === "string" ? props.title : "siplens-ladder"}
            retransmissions={result.ladder.rows.some((r) => r.retransmission)}
          />
          <Ladder
            model={model}
            laneName={lanes.laneName}
            onRenameLane={lanes.rename}
            evidence={evidence}
            selected={selected}
            compare={compare}
            windows={windows}
            activeFindingId={findingId}
            transactionOf={transactionOf}
            onSelect={onSelectRow}
            scrollRequest={scrollRequest}
          />
        </section>
        <div className="side">
          <FindingsPanel findings={scopeFindings} selectedId={findingId} onSelect={selectFinding} onShowMessage={(i) => showMessage(i)} hiddenCount={result.findings.length - scopeFindings.length} />
          {message && <MessagePane key={message.index} message={message} compare={compareMessage} onClose={() => setSelected(null)} onClearCompare={() => setCompare(null)} />}
        </div>
      </div>
      {help && <HelpDialog onClose={() => setHelp(false)} />}
    </div>
  );
}

/** Big traces open on the first call with a finding rather than 50,000 rows of everything. */
function initialCalls(result: AnalysisResult, focusFindingId?: string | null): Set<string> {
  const focus = focusFindingId ? result.findings.find((f) => f.id === focusFindingId) : undefined;
  if (focus && focus.callIds.length > 0 && focus.callIds.length <= 50) return new Set(focus.callIds);
  return new Set();
}

function initialScroll(result: AnalysisResult, focusFindingId?: string | null, focusMessageIndex?: number | null) {
  const focus = focusFindingId ? result.findings.find((f) => f.id === focusFindingId) : undefined;
  if (focus && focus.evidence.length) return { index: Math.min(...focus.evidence), align: "center" as const };
  if (focusMessageIndex != null) return { index: focusMessageIndex, align: "center" as const };
  return null;
}
