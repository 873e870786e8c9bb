import { useDeferredValue, useState } from "react";
import { Link } from "react-router";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { MAX_TITLE_CHARS } from "@siplens/contracts";
import { api } from "../api/client";
import { describeError } from "../api/errors";
import { useMe } from "../api/session";
import { analysesQuery, storeSummary } from "../api/queries";
import { NoteField } from "./NoteField";
import type { AnalysisSummary } from "../api/schemas";
import { FINDING_NAMES } from "../analysis/summary";
import { findingCodeSchema, type FindingCode } from "@siplens/contracts";
import { ErrorState, Loading } from "../ui/States";
import { formatCount, formatDate } from "../ui/format";

export function MyAnalysesPage() {
  const me = useMe();
  const [query, setQuery] = useState("");
  const [finding, setFinding] = useState<FindingCode | "">("");
  const q = useDeferredValue(query.trim());
  const signedIn = Boolean(me.data?.user);
  const list = useInfiniteQuery({ ...analysesQuery({ q, finding }), enabled: signedIn });

  if (me.isPending) return <Loading label="Loading…" />;
  if (!signedIn) {
    return (
      <ErrorState title="Sign in to see your analyses.">
        <Link to="/sign-in?next=/analyses">Sign in</Link> or <Link to="/sign-up?next=/analyses">create an account</Link>.
      </ErrorState>
    );
  }
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="page">
      <h1>My analyses</h1>
      <div className="list-filters">
        <input type="search" aria-label="Search analyses by title" placeholder="Search titles…" value={query} onChange={(e) => setQuery(e.target.value)} />
        <select aria-label="Filter by finding" value={finding} onChange={(e) => setFinding(e.target.value as FindingCode | "")}>
          <option value="">Any finding</option>
          {findingCodeSchema.options.map((code) => (
            <option key={code} value={code}>
              {FINDING_NAMES[code]}
            </option>
          ))}
        </select>
      </div>
      {list.isPending && <Loading label="Loading analyses…" />}
      {list.isError && (
        <p className="alert alert-error" role="alert">
          {describeError(list.error)}
        </p>
      )}
      {list.isSuccess && items.length === 0 && (
        <div className="empty-state">
          {q || finding ? (
            <p>No analysis matches.</p>
          ) : (
            <p>
              Nothing saved yet. <Link to="/">Analyse a trace</Link> and press Save.
            </p>
          )}
        </div>
      )}
      {items.length > 0 && (
        <table className="analyses-table" data-testid="analyses-table">
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Format</th>
              <th scope="col">Calls</th>
              <th scope="col">Messages</th>
              <th scope="col">Findings</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <AnalysisRow key={item.id} item={item} />
            ))}
          </tbody>
        </table>
      )}
      {list.hasNextPage && (
        <button type="button" className="btn" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? "Loading…" : "Load more"}
        </button>
      )}
    </div>
  );
}

function AnalysisRow({ item }: { item: AnalysisSummary }) {
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(item.title ?? "");
  const invalidate = () => void client.invalidateQueries({ queryKey: ["analyses"] });
  const rename = useMutation({
    mutationFn: (title: string) => api.update(item.id, { title }),
    onSuccess: (summary) => {
      setEditing(false);
      storeSummary(client, summary);
    },
  });
  const remove = useMutation({ mutationFn: () => api.remove(item.id), onSuccess: invalidate });
  const title = item.title || "Untitled analysis";
  const codes = (item.findingCodes ?? []).filter((c): c is FindingCode => c in FINDING_NAMES);
  return (
    <tr data-testid="analysis-row">
      <td>
        {editing ? (
          <form
            className="title-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (draft.trim()) rename.mutate(draft.trim());
            }}
          >
            <input
              aria-label={`New title for ${title}`}
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              autoFocus
              maxLength={MAX_TITLE_CHARS}
              onKeyDown={(e) => e.key === "Escape" && setEditing(false)}
            />
            <button type="submit" className="btn btn-small btn-primary" disabled={rename.isPending}>
              Save
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <Link to={`/a/${item.id}`}>{title}</Link>
        )}
        <NoteField analysisId={item.id} note={item.note} label={`Note on ${title}`} />
        {(rename.isError || remove.isError) && (
          <p className="error-text small" role="alert">
            {describeError(rename.error ?? remove.error)}
          </p>
        )}
      </td>
      <td data-label="Format">{item.format ?? "—"}</td>
      <td className="num" data-label="Calls">
        {item.callCount != null ? formatCount(item.callCount) : "—"}
      </td>
      <td className="num" data-label="Messages">
        {item.messageCount != null ? formatCount(item.messageCount) : "—"}
      </td>
      <td data-label="Findings">
        {codes.length ? (
          codes.map((c) => (
            <span key={c} className={`badge badge-${c}`}>
              {FINDING_NAMES[c]}
            </span>
          ))
        ) : (
          <span className="muted">{item.findingCount ?? 0}</span>
        )}
      </td>
      <td className="nowrap" data-label="Created">
        {formatDate(item.createdAt)}
      </td>
      <td className="nowrap actions">
        {!editing && (
          <button
            type="button"
            className="btn btn-small btn-ghost"
            onClick={() => {
              setDraft(item.title ?? "");
              setEditing(true);
            }}
            aria-label={`Rename ${title}`}
          >
            Rename
          </button>
        )}
        <button
          type="button"
          className="btn btn-small btn-danger"
          aria-label={`Delete ${title}`}
          disabled={remove.isPending}
          onClick={() => {
            if (window.confirm(`Delete “${title}”? This cannot be undone.`)) remove.mutate();
          }}
        >
          Delete
        </button>
      </td>
    </tr>
  );
}
