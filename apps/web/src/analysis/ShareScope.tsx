import { useEffect, useId, useMemo, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { CallIndexRow, Finding } from "@siplens/contracts";
import { ownerSource } from "../api/analysisSource";
import { formatCount } from "../ui/format";
import { resolveCall } from "./useAnalysisParts";
import { shortUri } from "./CallList";

export interface ShareScopeState {
  /** The one call the focused finding is about (with its legs), or null when it spans several. */
  call: CallIndexRow | null;
  pending: boolean;
  callOnly: boolean;
  setCallOnly: (callOnly: boolean) => void;
}

/**
 * Whether a link shares the focused finding's call only or the whole trace: "this call only" is
 * offered (and chosen) when the finding is about one call (all its Call-IDs legs of one correlated call).
 */
export function useShareScope(analysisId: string, focusFinding: Finding | null): ShareScopeState {
  const client = useQueryClient();
  const source = useMemo(() => ownerSource(analysisId), [analysisId]);
  const first = focusFinding?.callIds[0];
  const row = useQuery({
    queryKey: [...source.key, "share-scope-call", first],
    queryFn: () => (first ? resolveCall(client, source, first) : null),
    enabled: Boolean(first),
    staleTime: Infinity,
  });
  const legs = row.data?.group?.callIds ?? (row.data ? [row.data.callId] : []);
  const call = row.data && focusFinding?.callIds.every((id) => legs.includes(id)) ? row.data : null;
  const [choice, setChoice] = useState<boolean | null>(null);
  // Until the user chooses, a focused finding's call is the default.
  // eslint-disable-next-line react-hooks/set-state-in-effect -- a newly loaded call drops the choice made for the previous one
  useEffect(() => setChoice(null), [call?.ordinal]);
  return { call, pending: row.isFetching, callOnly: call !== null && (choice ?? true), setCallOnly: setChoice };
}

/** The choice of what a link shows, and a sentence that says it. */
export function ShareScopeChoice({ scope, callCount }: { scope: ShareScopeState; callCount: number }) {
  const name = useId();
  const { call } = scope;
  const legs = call?.group ? ` (${call.group.legs} legs)` : "";
  const whole = `the whole trace: all ${formatCount(callCount)} ${callCount === 1 ? "call" : "calls"}, every message and finding`;
  return (
    <fieldset className="share-scope">
      <legend>What the link shows</legend>
      {call && (
        <div className="check">
          <input id={`${name}-call`} type="radio" name={name} checked={scope.callOnly} onChange={() => scope.setCallOnly(true)} />
          <label htmlFor={`${name}-call`}>
            This call only:{" "}
            <span className="mono">
              {shortUri(call.from)} → {shortUri(call.to)}
            </span>
            {legs}
          </label>
        </div>
      )}
      <div className="check">
        <input id={`${name}-trace`} type="radio" name={name} checked={!scope.callOnly} onChange={() => scope.setCallOnly(false)} />
        <label htmlFor={`${name}-trace`}>
          Whole trace ({formatCount(callCount)} {callCount === 1 ? "call" : "calls"})
        </label>
      </div>
      <p className="small" data-testid="share-scope-says" aria-live="polite">
        {scope.pending
          ? "Finding the finding's call…"
          : scope.callOnly && call
            ? `The link shows this call${legs} only: its messages and findings, nothing of the other calls.`
            : `The link shows ${whole}.`}
      </p>
    </fieldset>
  );
}
