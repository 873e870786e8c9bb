import { useCallback, useId, useRef, useState, type DragEvent } from "react";
import { useNavigate } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { loadExampleFile, loadExamples, UNDERSTOOD_FORMATS, type Example } from "./examples";
import { useAnalyze, type AnalyzeState } from "./useAnalyze";
import { MAX_UPLOAD_LABEL } from "@siplens/contracts";
import { formatBytes } from "../ui/format";

export function StartPage() {
  const navigate = useNavigate();
  const onDone = useCallback((id: string) => void navigate(`/a/${id}`), [navigate]);
  const { state, submitText, submitFile, cancel, reset } = useAnalyze(onDone);
  const [text, setText] = useState("");
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const pasteId = useId();
  const busy = state.phase === "uploading" || state.phase === "analysing";
  const examples = useQuery({ queryKey: ["examples"], queryFn: loadExamples, staleTime: Infinity });

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) submitFile(file);
    else {
      const dropped = event.dataTransfer.getData("text/plain");
      if (dropped) setText(dropped);
    }
  };

  const runExample = async (example: Example) => {
    try {
      const file = await loadExampleFile(example);
      if (example.kind === "text") submitText(await file.text(), example.title);
      else submitFile(file);
    } catch {
      submitText("");
    }
  };

  return (
    <div className="page start">
      <section className="start-hero">
        <h1>Why did that call end in 487?</h1>
        <p className="lead">
          Paste a SIP trace or drop a capture. siplens draws the ladder of every call and explains each
          <span className="mono"> 487 Request Terminated</span>: caller hang-up, lost fork branch, proxy timer, CANCEL/200 race, missing ACK.
        </p>
      </section>

      <div className="start-grid">
        <form
          className="card paste-card"
          onSubmit={(e) => {
            e.preventDefault();
            submitText(text);
          }}
        >
          <label htmlFor={pasteId} className="card-title">
            Paste a trace
          </label>
          <textarea
            id={pasteId}
            className="paste-area mono"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              if (state.phase === "error") reset();
            }}
            placeholder={
              "INVITE sip:2001@10.0.0.2 SIP/2.0\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK…\n…\n\n(sngrep, ngrep, sipgrep, tshark, tcpdump -A, SIPp, Kamailio, Asterisk, FreeSWITCH logs or bare SIP)"
            }
            spellCheck={false}
            autoComplete="off"
            disabled={busy}
            aria-describedby="paste-help"
          />
          <div className="row-between">
            <span id="paste-help" className="muted small">
              {text ? `${formatBytes(new TextEncoder().encode(text).length)} pasted` : "Text of up to 5 MB; larger pastes are uploaded as a file."}
            </span>
            <button type="submit" className="btn btn-primary" disabled={busy || !text.trim()}>
              Analyse
            </button>
          </div>
        </form>

        <div
          className={`card drop-zone${dragging ? " dragging" : ""}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <span className="card-title">Upload a capture or log</span>
          <svg width="40" height="40" viewBox="0 0 24 24" aria-hidden="true" className="drop-icon">
            <path
              d="M12 16V4m0 0-4 4m4-4 4 4M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.6"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
          <p>Drop a file here, or</p>
          <label className="btn">
            Choose a file…
            <input
              ref={fileInput}
              type="file"
              className="visually-hidden"
              data-testid="file-input"
              accept=".pcap,.pcapng,.cap,.gz,.txt,.log,.sip,.tsv,application/vnd.tcpdump.pcap,text/plain,application/gzip"
              disabled={busy}
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) submitFile(file);
                e.target.value = "";
              }}
            />
          </label>
          <p className="muted small">pcap, pcapng, gzip or text · up to {MAX_UPLOAD_LABEL}</p>
        </div>
      </div>

      <Progress state={state} onCancel={cancel} />
      {state.phase === "error" && <AnalyzeError message={state.message} status={state.status} code={state.code} tried={state.tried} onDismiss={reset} />}

      <section className="examples" aria-labelledby="examples-title">
        <h2 id="examples-title">Try an example</h2>
        {examples.isPending && <p className="muted">Loading examples…</p>}
        <ul className="example-list">
          {examples.data?.map((example) => (
            <li key={example.file}>
              <button type="button" className="example" onClick={() => void runExample(example)} disabled={busy}>
                <span className="example-title">{example.title}</span>
                <span className="example-desc">{example.description}</span>
                <span className="badge badge-neutral">{example.format}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>

      <details className="formats">
        <summary>Formats siplens understands</summary>
        <ul>
          {UNDERSTOOD_FORMATS.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      </details>
    </div>
  );
}

function Progress({ state, onCancel }: { state: AnalyzeState; onCancel: () => void }) {
  if (state.phase !== "uploading" && state.phase !== "analysing") return null;
  const uploading = state.phase === "uploading";
  const done = uploading ? state.sent : (state.bytesRead ?? 0);
  const total = uploading ? state.total : (state.totalBytes ?? 0);
  const percent = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : undefined;
  return (
    <div className="card progress-card" role="status" aria-live="polite">
      <div className="row-between">
        <strong>{uploading ? `Uploading ${state.name}` : `Analysing ${state.name}`}</strong>
        <button type="button" className="btn btn-ghost btn-small" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <progress max={100} value={percent} aria-label={uploading ? "Upload progress" : "Analysis progress"} />
      <span className="muted small mono" data-testid="progress-bytes">
        {total > 0 ? `${formatBytes(done)} of ${formatBytes(total)}${percent !== undefined ? ` (${percent}%)` : ""}` : "Reading SIP messages…"}
      </span>
    </div>
  );
}

function AnalyzeError({
  message,
  status,
  code,
  tried,
  onDismiss,
}: {
  message: string;
  status?: number;
  code?: string;
  tried?: readonly string[];
  onDismiss: () => void;
}) {
  const aboutFormat = code === "not-a-trace" || code === "unsupported-media-type" || status === 415 || (status === 422 && code !== "analysis-failed");
  return (
    <div className="alert alert-error" role="alert">
      <div>
        <strong>
          {aboutFormat
            ? "siplens could not read this input."
            : code === "quota-exceeded"
              ? "There is no room for another analysis."
              : status && status >= 500
                ? "The analysis failed on the server."
                : "The analysis did not finish."}
        </strong>
        <p className="alert-message">{message}</p>
        {aboutFormat && tried && tried.length > 0 && <p className="small">Tried: {tried.join(", ")}.</p>}
        {aboutFormat && <p className="small">Understood formats: {UNDERSTOOD_FORMATS.join(", ")}.</p>}
      </div>
      <button type="button" className="btn btn-ghost btn-small" onClick={onDismiss} aria-label="Dismiss error">
        Dismiss
      </button>
    </div>
  );
}
