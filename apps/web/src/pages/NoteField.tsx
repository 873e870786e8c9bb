import { useId, useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { MAX_NOTE_CHARS } from "@siplens/contracts";
import { api } from "../api/client";
import { describeError } from "../api/errors";
import { storeSummary } from "../api/queries";

interface Props {
  analysisId: string;
  note: string;
  /** Names the analysis for screen readers where several notes share a page ("Note on …"). */
  label: string;
}

/** An analysis's note: saved when the field is left or Enter is pressed (Shift+Enter for a new line). */
export function NoteField({ analysisId, note, label }: Props) {
  const client = useQueryClient();
  const id = useId();
  const [draft, setDraft] = useState(note);
  const save = useMutation({ mutationFn: (next: string) => api.update(analysisId, { note: next }), onSuccess: (summary) => storeSummary(client, summary) });
  const commit = () => {
    if (draft !== note && !save.isPending) save.mutate(draft);
  };
  return (
    <div className="note-field">
      <label htmlFor={id} className="small">
        {label}
      </label>
      <textarea
        id={id}
        value={draft}
        rows={1}
        maxLength={MAX_NOTE_CHARS}
        placeholder="Add a note…"
        aria-invalid={save.isError || undefined}
        aria-describedby={save.isError ? `${id}-error` : undefined}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey) {
            e.preventDefault();
            commit();
          }
        }}
      />
      <span className="muted small" role="status">
        {save.isPending ? "Saving…" : save.isSuccess && draft === note ? "Saved" : ""}
      </span>
      {save.isError && (
        <p id={`${id}-error`} className="error-text small" role="alert">
          The note was not saved. {describeError(save.error)}
        </p>
      )}
    </div>
  );
}
