import { useState } from "react";
import type { MessageDetail } from "@siplens/contracts";
import { formatDateTime } from "@siplens/analysis/ladder";
import type { AnalysisSource } from "../api/analysisSource";
import { describeError } from "../api/errors";
import { diffLines } from "./diff";
import { useMessageDetail } from "./useAnalysisParts";
import { messageName } from "../ui/messageName";

type Tab = "raw" | "headers" | "sdp" | "diff";

const endpoint = (e: MessageDetail["src"]) => (e ? `${e.ip}${e.port != null ? `:${e.port}` : ""}` : "?");

/** How the pane names messages and times: as the input does (its frames or lines, its precision). */
interface Naming {
  /** Decimal places of a second the input's times carry (overview.timeDigits). */
  timeDigits?: number;
  /** Where a message not loaded here is in the input, when the page knows (a retransmission's first copy). */
  whereOf?: (index: number) => string | undefined;
}

interface Props extends Naming {
  message: MessageDetail;
  compare: MessageDetail | null;
  compareError?: Error | null;
  onClose: () => void;
  onClearCompare: () => void;
}

interface LoaderProps extends Naming {
  source: AnalysisSource;
  index: number;
  compareIndex: number | null;
  onClose: () => void;
  onClearCompare: () => void;
}

/** Reads the message (and the one to compare with) when it is opened: the ladder never carries raw text. */
export function MessagePaneLoader({ source, index, compareIndex, onClose, onClearCompare, timeDigits, whereOf }: LoaderProps) {
  const message = useMessageDetail(source, index);
  const compare = useMessageDetail(source, compareIndex);
  if (message.data)
    return (
      <MessagePane
        message={message.data}
        compare={compare.data ?? null}
        compareError={compare.error}
        onClose={onClose}
        onClearCompare={onClearCompare}
        timeDigits={timeDigits}
        whereOf={whereOf}
      />
    );
  const name = messageName(whereOf?.(index), index);
  return (
    <section className="panel message-pane" aria-labelledby="message-title" data-testid="message-pane" aria-busy={message.isPending}>
      <div className="panel-head">
        <h2 id="message-title">
          <span className="mono">{name}</span>
        </h2>
        <button type="button" className="btn btn-ghost btn-small" onClick={onClose} aria-label="Close message pane (Esc)">
          ✕
        </button>
      </div>
      {message.isError ? (
        <p className="error-text" role="alert">
          The message at {name} could not be loaded. {describeError(message.error)}
        </p>
      ) : (
        <p className="muted" role="status">
          Loading message…
        </p>
      )}
    </section>
  );
}

/** One message: raw text (always as text, never HTML), parsed headers, SDP summary, diff against a second one. */
export function MessagePane({ message, compare, compareError, onClose, onClearCompare, timeDigits, whereOf }: Props) {
  const [tab, setTab] = useState<Tab>("raw");
  const active: Tab = tab === "diff" && !compare ? "raw" : tab;
  const tabs: [Tab, string][] = [
    ["raw", "Raw"],
    ["headers", "Headers"],
    ["sdp", "SDP"],
  ];
  if (compare) tabs.push(["diff", `Diff with ${compare.where}`]);
  const original = message.retransmissionOf;
  return (
    <section className="panel message-pane" aria-labelledby="message-title" data-testid="message-pane">
      <div className="panel-head">
        <h2 id="message-title">
          <span className="mono">{message.where}</span> {message.label}
        </h2>
        <button type="button" className="btn btn-ghost btn-small" onClick={onClose} aria-label="Close message pane (Esc)">
          ✕
        </button>
      </div>
      <p className="message-meta small mono">
        {endpoint(message.src)} → {endpoint(message.dst)} · {message.transport.toUpperCase()}
        <br />
        {formatDateTime(message.time, timeDigits)}
        {original !== undefined && <> · retransmission of {whereOf?.(original) ?? "an earlier copy"}</>}
      </p>
      {message.problems.length > 0 && (
        <ul className="message-problems small">
          {message.problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
      <div className="tabs" role="tablist" aria-label="Message views">
        {tabs.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={active === id}
            aria-controls={`tabpanel-${id}`}
            className={active === id ? "active" : undefined}
            onClick={() => setTab(id)}
          >
            {label}
          </button>
        ))}
        {compare && (
          <button type="button" className="btn btn-ghost btn-small" onClick={onClearCompare}>
            Stop comparing
          </button>
        )}
      </div>
      <div className="tab-body" role="tabpanel" id={`tabpanel-${active}`} aria-labelledby={`tab-${active}`}>
        {active === "raw" && (
          <pre className="raw mono" data-testid="raw-message" tabIndex={0}>
            {message.raw}
          </pre>
        )}
        {active === "headers" && <HeaderTable message={message} />}
        {active === "sdp" && <SdpSummary message={message} />}
        {active === "diff" && compare && <DiffView left={message} right={compare} />}
      </div>
      {compareError && (
        <p className="error-text small" role="alert">
          The message to compare could not be loaded. {describeError(compareError)}
        </p>
      )}
      {!compare && <p className="muted small hint">Shift-click a second arrow to compare two messages.</p>}
    </section>
  );
}

function HeaderTable({ message }: { message: MessageDetail }) {
  if (!message.headers.length) return <p className="muted">No headers parsed.</p>;
  return (
    <table className="header-table mono small">
      <caption className="visually-hidden">Headers of the message at {message.where}</caption>
      <thead>
        <tr>
          <th scope="col">Header</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {message.headers.map((h, i) => (
          <tr key={i}>
            <th scope="row">{h.name}</th>
            <td>{h.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SdpSummary({ message }: { message: MessageDetail }) {
  const sdp = message.sdp;
  if (!sdp) return <p className="muted">This message carries no SDP.</p>;
  return (
    <div className="sdp small">
      <dl className="details">
        {sdp.origin && (
          <div>
            <dt>Origin</dt>
            <dd className="mono">{sdp.origin}</dd>
          </div>
        )}
        {sdp.connection && (
          <div>
            <dt>Connection</dt>
            <dd className="mono">{sdp.connection}</dd>
          </div>
        )}
      </dl>
      <table className="header-table mono">
        <caption className="visually-hidden">Media streams</caption>
        <thead>
          <tr>
            <th scope="col">Media</th>
            <th scope="col">Port</th>
            <th scope="col">Proto</th>
            <th scope="col">Formats</th>
            <th scope="col">Dir</th>
          </tr>
        </thead>
        <tbody>
          {sdp.media.map((m, i) => (
            <tr key={i}>
              <td>{m.type}</td>
              <td>{m.port}</td>
              <td>{m.proto}</td>
              <td>{m.formats.join(" ")}</td>
              <td>{m.direction ?? "sendrecv"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DiffView({ left, right }: { left: MessageDetail; right: MessageDetail }) {
  const lines = diffLines(left.raw, right.raw);
  return (
    <div className="diff mono small" data-testid="message-diff">
      <div className="diff-head">
        <span>
          {left.where} {left.label}
        </span>
        <span>
          {right.where} {right.label}
        </span>
      </div>
      {lines.map((line, i) => (
        <div key={i} className={`diff-line diff-${line.kind}`}>
          <span className="diff-cell">{"left" in line ? line.left : ""}</span>
          <span className="diff-cell">{"right" in line ? line.right : ""}</span>
        </div>
      ))}
    </div>
  );
}
