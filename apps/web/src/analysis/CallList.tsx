import { useMemo, useRef, useState } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { AnalysisResult, CallView, FindingCode } from "@siplens/contracts";
import { FINDING_NAMES, filterCalls, findingCodesByCall, OUTCOMES, type CallFilter } from "./summary";
import { formatClock } from "@siplens/analysis/ladder";
import { formatCount } from "../ui/format";

interface Props {
  result: AnalysisResult;
  selected: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
  laneNames: ReadonlyMap<string, string>;
}

const ITEM_HEIGHT = 58;

const shortUri = (uri: string | undefined) => (uri ?? "?").replace(/^sips?:/, "").replace(/[;>].*$/, "").replace(/^.*</, "");

/** Calls with outcome and finding badges; click shows one call, checkboxes build a multi-call view. */
export function CallList({ result, selected, onChange, laneNames }: Props) {
  const [filter, setFilter] = useState<CallFilter>({ outcome: "", finding: "", query: "" });
  const codesByCall = useMemo(() => findingCodesByCall(result), [result]);
  const calls = useMemo(() => filterCalls(result, filter, laneNames, codesByCall), [result, filter, laneNames, codesByCall]);
  const presentCodes = useMemo(() => [...new Set(result.findings.map((f) => f.code))], [result]);
  const presentOutcomes = useMemo(() => OUTCOMES.filter((o) => result.calls.some((c) => c.outcome === o)), [result]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: calls.length, getScrollElement: () => scrollRef.current, estimateSize: () => ITEM_HEIGHT, overscan: 8, initialRect: { width: 300, height: 500 } });

  const toggle = (callId: string) => {
    const next = new Set(selected);
    if (next.has(callId)) next.delete(callId);
    else next.add(callId);
    onChange(next);
  };

  return (
    <section className="panel calls-panel" aria-labelledby="calls-title">
      <div className="panel-head">
        <h2 id="calls-title">Calls <span className="muted">{calls.length === result.calls.length ? formatCount(result.calls.length) : `${formatCount(calls.length)} of ${formatCount(result.calls.length)}`}</span></h2>
        <button type="button" className="btn btn-small" onClick={() => onChange(new Set())} disabled={selected.size === 0} title="Show every call in the ladder">Whole trace</button>
      </div>
      <div className="call-filters">
        <input type="search" aria-label="Search calls by number, Call-ID or host" placeholder="Search number, Call-ID, host…" value={filter.query} onChange={(e) => setFilter({ ...filter, query: e.target.value })} />
        <div className="filter-row">
          <select aria-label="Filter by outcome" value={filter.outcome} onChange={(e) => setFilter({ ...filter, outcome: e.target.value as CallFilter["outcome"] })}>
            <option value="">Any outcome</option>
            {presentOutcomes.map((o) => <option key={o} value={o}>{o}</option>)}
          </select>
          <select aria-label="Filter by finding" value={filter.finding} onChange={(e) => setFilter({ ...filter, finding: e.target.value as FindingCode | "" })}>
            <option value="">Any finding</option>
            {presentCodes.map((c) => <option key={c} value={c}>{FINDING_NAMES[c]}</option>)}
          </select>
        </div>
        {calls.length > 1 && (
          <button type="button" className="btn btn-small btn-ghost" onClick={() => onChange(new Set(calls.map((c) => c.callId)))}>Show these {formatCount(calls.length)} calls</button>
        )}
      </div>
      <div ref={scrollRef} className="call-scroll" tabIndex={calls.length ? 0 : -1} aria-label="Call list" role="region">
        {calls.length === 0 && <p className="muted empty">{result.calls.length ? "No call matches these filters." : "No calls in this trace."}</p>}
        <ul style={{ height: virtualizer.getTotalSize() }} className="call-items">
          {virtualizer.getVirtualItems().map((item) => {
            const call = calls[item.index];
            if (!call) return null;
            return <CallItem key={call.callId} call={call} codes={codesByCall.get(call.callId)} top={item.start} checked={selected.has(call.callId)} only={selected.size === 1 && selected.has(call.callId)} onToggle={toggle} onOnly={(id) => onChange(new Set([id]))} />;
          })}
        </ul>
      </div>
    </section>
  );
}

function CallItem({ call, codes: codeSet, top, checked, only, onToggle, onOnly }: { call: CallView; codes: ReadonlySet<FindingCode> | undefined; top: number; checked: boolean; only: boolean; onToggle: (id: string) => void; onOnly: (id: string) => void }) {
  const codes = codeSet ? [...codeSet] : [];
  return (
    <li className={`call-item${checked ? " checked" : ""}${only ? " only" : ""}`} style={{ transform: `translateY(${top}px)`, height: ITEM_HEIGHT }} data-testid="call-item">
      <input type="checkbox" checked={checked} onChange={() => onToggle(call.callId)} aria-label={`Include call ${call.callId} in the ladder`} />
      <button type="button" className="call-main" onClick={() => onOnly(call.callId)} title={call.callId}>
        <span className="call-parties mono">{shortUri(call.from)} → {shortUri(call.to)}</span>
        <span className="call-meta">
          <span className={`outcome outcome-${call.outcome}`}>{call.outcome}{call.finalStatus ? ` ${call.finalStatus}` : ""}</span>
          <span className="muted mono small">{call.startTime != null ? formatClock(call.startTime) : ""}</span>
          {codes.map((code) => <span key={code} className={`badge badge-${code}`}>{FINDING_NAMES[code]}</span>)}
        </span>
      </button>
    </li>
  );
}
