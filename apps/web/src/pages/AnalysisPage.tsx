import { useCallback, useMemo, useState } from "react";
import { useNavigate, useParams } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client";
import { ownerSource } from "../api/analysisSource";
import { describeError, isNotFound } from "../api/errors";
import { useMe } from "../api/session";
import { analysisQuery, storeSummary } from "../api/queries";
import { MAX_TITLE_CHARS, type Finding } from "@siplens/contracts";
import type { AnalysisDetail } from "../api/schemas";
import { AnalysisView } from "../analysis/AnalysisView";
import { ShareDialog } from "../analysis/ShareDialog";
import { ErrorState, Loading } from "../ui/States";
import { NoteField } from "./NoteField";
import { formatDate } from "../ui/format";

export function AnalysisPage() {
  const { id = "" } = useParams();
  const analysis = useQuery(analysisQuery(id));
  if (analysis.isPending) return <Loading label="Loading analysis…" />;
  if (analysis.isError) {
    return isNotFound(analysis.error) ? (
      <ErrorState title="This analysis does not exist any more.">Unsaved analyses are kept for 7 days. Sign in and save an analysis to keep it.</ErrorState>
    ) : (
      <ErrorState title="The analysis could not be loaded.">{describeError(analysis.error)}</ErrorState>
    );
  }
  return <LoadedAnalysis detail={analysis.data} />;
}

function LoadedAnalysis({ detail }: { detail: AnalysisDetail }) {
  const me = useMe();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [sharing, setSharing] = useState(false);
  const [finding, setFinding] = useState<Finding | null>(null);
  const onFindingChange = useCallback((next: Finding | null) => setFinding(next), []);
  const source = useMemo(() => ownerSource(detail.id), [detail.id]);
  const signedIn = Boolean(me.data?.user);
  const title = detail.title || `${detail.formatName} trace`;

  const rename = useMutation({
    mutationFn: (next: string) => api.update(detail.id, { title: next }),
    onSuccess: (summary) => storeSummary(client, summary),
  });

  // Signing in moves this browser's anonymous analyses into the account, which is what saving means.
  const onSave = () => void navigate(`/sign-in?next=${encodeURIComponent(`/a/${detail.id}`)}&reason=save`);

  const saved = detail.saved;
  const actions = (
    <>
      {saved ? (
        <span className="badge badge-saved" data-testid="saved-badge">
          Saved
        </span>
      ) : (
        detail.owned && (
          <button type="button" className="btn btn-primary btn-small" onClick={onSave} title="Sign in to keep this analysis in your account">
            Save
          </button>
        )
      )}
      {detail.owned && (
        <button type="button" className="btn btn-small" onClick={() => setSharing(true)}>
          Share…
        </button>
      )}
    </>
  );

  return (
    <div className="page wide">
      {!saved && detail.expiresAt && (
        <p className="notice small" role="note">
          Not saved: this analysis will be deleted on {formatDate(detail.expiresAt)}. {signedIn ? "Save it to keep it." : "Sign in and save it to keep it."}
        </p>
      )}
      {saved && detail.owned && <NoteField analysisId={detail.id} note={detail.note} label="Note" />}
      {rename.isError && (
        <p className="error-text small" role="alert">
          The title was not changed. {describeError(rename.error)}
        </p>
      )}
      <AnalysisView
        overview={detail.overview}
        source={source}
        storageKey={detail.id}
        title={detail.owned ? <EditableTitle value={title} onSave={(t) => rename.mutate(t)} /> : <h1>{title}</h1>}
        titleText={title}
        actions={actions}
        onFindingChange={onFindingChange}
      />
      {sharing && <ShareDialog analysisId={detail.id} callCount={detail.overview.callCount} focusFinding={finding} onClose={() => setSharing(false)} />}
    </div>
  );
}

function EditableTitle({ value, onSave }: { value: string; onSave: (value: string) => void }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  if (!editing) {
    return (
      <h1 className="editable-title">
        <span>{value}</span>
        <button
          type="button"
          className="btn btn-ghost btn-small"
          onClick={() => {
            setDraft(value);
            setEditing(true);
          }}
          aria-label="Rename analysis"
        >
          ✎
        </button>
      </h1>
    );
  }
  return (
    <form
      className="title-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (draft.trim()) onSave(draft.trim());
        setEditing(false);
      }}
    >
      <input
        aria-label="Analysis title"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        autoFocus
        onKeyDown={(e) => e.key === "Escape" && setEditing(false)}
        maxLength={MAX_TITLE_CHARS}
      />
      <button type="submit" className="btn btn-small btn-primary">
        Rename
      </button>
      <button type="button" className="btn btn-small btn-ghost" onClick={() => setEditing(false)}>
        Cancel
      </button>
    </form>
  );
}
