import { useEffect, useId, useRef, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Finding } from "@siplens/contracts";
import { api } from "../api/client";
import { describeError } from "../api/errors";
import { sharesQuery } from "../api/queries";
import type { ShareCreated } from "../api/schemas";
import { formatDate } from "../ui/format";
import { ShareScopeChoice, useShareScope } from "./ShareScope";

interface Props {
  analysisId: string;
  /** Calls in the trace (what "whole trace" shares). */
  callCount: number;
  focusFinding: Finding | null;
  onClose: () => void;
}

/** The API answers a path ("/s/<token>"); people copy a full link. */
function shareUrl(share: Pick<ShareCreated, "url" | "token">): string {
  return new URL(share.url || `/s/${share.token}`, window.location.origin).toString();
}

const EXPIRY: [string, number | null][] = [
  ["1 day", 1],
  ["7 days", 7],
  ["30 days", 30],
  ["Never", null],
];

/** Create a read-only link (optionally focused on a finding, pseudonymised, expiring), copy it, revoke old ones. */
export function ShareDialog({ analysisId, callCount, focusFinding, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const client = useQueryClient();
  const ids = { focus: useId(), expiry: useId(), redact: useId(), shiftTimes: useId() };
  const [focus, setFocus] = useState(Boolean(focusFinding));
  const [expiry, setExpiry] = useState("7");
  const [redact, setRedact] = useState(true);
  const [shiftTimes, setShiftTimes] = useState(true);
  const scope = useShareScope(analysisId, focusFinding);
  const [created, setCreated] = useState<ShareCreated | null>(null);
  const [copied, setCopied] = useState(false);
  const sharesKey = sharesQuery(analysisId).queryKey;
  const shares = useQuery(sharesQuery(analysisId));
  const create = useMutation({
    mutationFn: () =>
      api.createShare(analysisId, {
        focusFindingId: focus && focusFinding ? focusFinding.id : undefined,
        expiresInDays: expiry === "never" ? null : Number(expiry),
        redact,
        shiftTimes,
        ...(scope.callOnly && scope.call ? { scopeCallOrdinal: scope.call.ordinal } : {}),
      }),
    onSuccess: (share) => {
      setCreated(share);
      setCopied(false);
      void client.invalidateQueries({ queryKey: sharesKey });
    },
  });
  const revoke = useMutation({ mutationFn: api.revokeShare, onSuccess: () => void client.invalidateQueries({ queryKey: sharesKey }) });

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      if (typeof dialog.showModal === "function") dialog.showModal();
      else dialog.setAttribute("open", "");
    }
  }, []);

  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };

  const link = created ? shareUrl(created) : "";
  return (
    <dialog ref={ref} className="dialog share-dialog" aria-labelledby="share-title" onClose={onClose} onCancel={onClose} data-testid="share-dialog">
      <h2 id="share-title">Share this analysis</h2>
      <p className="muted small">Anyone with the link can view what it shows, read-only, without signing in.</p>
      <form
        className="share-form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <ShareScopeChoice scope={scope} callCount={callCount} />
        {focusFinding && (
          <div className="check">
            <input id={ids.focus} type="checkbox" checked={focus} onChange={(e) => setFocus(e.target.checked)} />
            <label htmlFor={ids.focus}>Open on the finding “{focusFinding.title}”</label>
          </div>
        )}
        <div className="check">
          <input id={ids.redact} type="checkbox" checked={redact} onChange={(e) => setRedact(e.target.checked)} />
          <label htmlFor={ids.redact}>Redact: replace numbers, names, IP addresses and hosts with pseudonyms</label>
        </div>
        <div className="check">
          <input id={ids.shiftTimes} type="checkbox" checked={shiftTimes} onChange={(e) => setShiftTimes(e.target.checked)} />
          <label htmlFor={ids.shiftTimes}>Shift times: move the date and time of day by an offset kept secret (intervals stay exact)</label>
        </div>
        <div className="field-inline">
          <label htmlFor={ids.expiry}>Link expires after</label>
          <select id={ids.expiry} value={expiry} onChange={(e) => setExpiry(e.target.value)}>
            {EXPIRY.map(([label, days]) => (
              <option key={label} value={days === null ? "never" : String(days)}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create link"}
        </button>
      </form>
      {create.isError && (
        <p className="alert alert-error" role="alert">
          {describeError(create.error)}
        </p>
      )}
      {link && (
        <div className="share-link">
          <label htmlFor="share-url" className="small">
            Link
          </label>
          <div className="copy-row">
            <input id="share-url" readOnly value={link} className="mono" data-testid="share-url" onFocus={(e) => e.target.select()} />
            <button type="button" className="btn" onClick={() => void copy(link)}>
              {copied ? "Copied" : "Copy link"}
            </button>
          </div>
        </div>
      )}
      <h3>Links</h3>
      {shares.isPending && <p className="muted small">Loading links…</p>}
      {shares.isError && <p className="error-text small">{describeError(shares.error)}</p>}
      {shares.data && shares.data.items.length === 0 && <p className="muted small">No links yet.</p>}
      {shares.data && shares.data.items.length > 0 && (
        <table className="share-table small" data-testid="share-list">
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Shows</th>
              <th scope="col">Expires</th>
              <th scope="col">Redacted</th>
              <th scope="col">Views</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shares.data.items.map((share) => (
              <tr key={share.id} className={share.revokedAt ? "revoked" : undefined}>
                <td>{formatDate(share.createdAt)}</td>
                <td title={share.scopeCallIds.join("\n") || undefined}>{share.scope === "call" ? "one call" : "whole trace"}</td>
                <td>{share.revokedAt ? "revoked" : share.expiresAt ? formatDate(share.expiresAt) : "never"}</td>
                <td>{share.redact ? "yes" : "no"}</td>
                <td data-testid="share-views">{share.views}</td>
                <td>
                  {!share.revokedAt && (
                    <button type="button" className="btn btn-small btn-danger" onClick={() => revoke.mutate(share.id)} disabled={revoke.isPending}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  );
}
