import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { Lane } from "@siplens/contracts";
import { branchColour, laneGeometry, type FindingWindow, type VisibleRow } from "@siplens/analysis/ladder";
import { messageName, whereColumn, whereNumber } from "../ui/messageName";

export const ROW_HEIGHT = 26;
// the time column (a µs clock is 15 characters) and the frame/line number column
const GUTTER = 176;
const ANNOTATION_WIDTH = 200;

export interface LadderProps {
  lanes: readonly Lane[];
  /** Rows the ladder is tall: the selected calls' rows, or every message of the trace. */
  rowCount: number;
  /** The row at a position, or undefined while it loads (drawn as a placeholder). */
  rowAt: (position: number) => VisibleRow | undefined;
  /** Told which positions are in view, so the rows there can be loaded. */
  onRangeChange?: (first: number, last: number) => void;
  laneName: (lane: Lane) => string;
  onRenameLane: (laneId: string, name: string) => void;
  evidence: ReadonlySet<number>;
  selected: number | null;
  compare: number | null;
  windows: readonly FindingWindow[];
  activeFindingId: string | null;
  onSelect: (messageIndex: number, withCompare: boolean) => void;
  /** Bumped to ask the ladder to scroll a position into view. */
  scrollRequest: { position: number; align: "center" | "auto"; seq: number } | null;
  readOnlyLanes?: boolean;
}

/**
 * The ladder: lanes are columns, each message one fixed-height SVG row, only the rows in view exist
 * in the DOM (react-virtual), so 500,000 messages scroll like 50 (and only their rows are loaded).
 */
export function Ladder(props: LadderProps) {
  const { lanes, rowCount, rowAt, onRangeChange } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(900);
  const [hoverTx, setHoverTx] = useState<string | undefined>();

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const measure = () => setWidth(element.clientWidth || 900);
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const annotation = props.windows.length ? ANNOTATION_WIDTH : 0;
  // Stable between scroll renders so the memoized rows in view are not redrawn on every frame.
  const geometry = useMemo(() => laneGeometry(lanes.length, width - annotation, GUTTER), [lanes.length, width, annotation]);
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 900, height: 600 },
  });

  useEffect(() => {
    if (props.scrollRequest) virtualizer.scrollToIndex(props.scrollRequest.position, { align: props.scrollRequest.align });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.scrollRequest?.seq]);

  const items = virtualizer.getVirtualItems();
  const firstInView = items[0]?.index ?? 0;
  const lastInView = items.at(-1)?.index ?? 0;
  useEffect(() => onRangeChange?.(firstInView, lastInView), [firstInView, lastInView, onRangeChange]);

  if (rowCount === 0) {
    return <div className="ladder-empty muted">No messages to draw for this selection.</div>;
  }

  const contentWidth = geometry.totalWidth + annotation;
  return (
    <div
      ref={scrollRef}
      className="ladder-scroll"
      tabIndex={0}
      role="region"
      aria-label={`Ladder diagram, ${rowCount} messages between ${lanes.length} hosts`}
      data-testid="ladder"
      data-row-count={rowCount}
      onMouseLeave={() => setHoverTx(undefined)}
    >
      <LaneHeader
        lanes={lanes}
        centres={geometry.centres}
        width={contentWidth}
        whereTitle={whereColumn(rowAt(firstInView)?.row.where)}
        laneName={props.laneName}
        onRename={props.onRenameLane}
        readOnly={props.readOnlyLanes}
      />
      <div className="ladder-body" style={{ height: virtualizer.getTotalSize(), width: contentWidth }}>
        {items.map((item) => {
          const visible = rowAt(item.index);
          if (!visible)
            return (
              <div
                key={`pending-${item.index}`}
                className="lrow lrow-pending muted small"
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                data-testid="ladder-row-pending"
              >
                loading row {item.index + 1}…
              </div>
            );
          const index = visible.row.index;
          const tx = visible.row.transactionId;
          return (
            <LadderRowView
              key={index}
              visible={visible}
              top={item.start}
              centres={geometry.centres}
              width={geometry.totalWidth}
              evidence={props.evidence.has(index)}
              selected={props.selected === index}
              compared={props.compare === index}
              inHoveredTx={tx !== undefined && tx === hoverTx}
              onHover={setHoverTx}
              onSelect={props.onSelect}
            />
          );
        })}
        {props.windows.map((w, k) => (
          <div
            key={w.findingId}
            className={`finding-window sev-${w.severity}${w.findingId === props.activeFindingId ? " active" : ""}`}
            style={{
              top: w.startPosition * ROW_HEIGHT + ROW_HEIGHT / 2,
              height: (w.endPosition - w.startPosition) * ROW_HEIGHT,
              left: geometry.totalWidth + 8 + (k % 4) * 6,
            }}
            data-testid="finding-window"
          >
            <span>{w.label}</span>
          </div>
        ))}
      </div>
    </div>
  );
}

function LaneHeader(props: {
  lanes: readonly Lane[];
  centres: number[];
  width: number;
  whereTitle: string;
  laneName: (lane: Lane) => string;
  onRename: (id: string, name: string) => void;
  readOnly?: boolean;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState("");
  return (
    <div className="lane-header" style={{ width: props.width }}>
      <span className="lane-gutter-title muted small">time</span>
      <span className="lane-gutter-where muted small">{props.whereTitle}</span>
      {props.lanes.map((lane, i) => {
        const style: CSSProperties = { left: (props.centres[i] ?? 0) - 74, width: 148 };
        const name = props.laneName(lane);
        if (editing === lane.id) {
          return (
            <form
              key={lane.id}
              className="lane-label editing"
              style={style}
              onSubmit={(e) => {
                e.preventDefault();
                props.onRename(lane.id, draft.trim());
                setEditing(null);
              }}
            >
              <input
                autoFocus
                aria-label={`New name for ${lane.name}`}
                value={draft}
                onChange={(e) => setDraft(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === "Escape") {
                    e.stopPropagation();
                    setEditing(null);
                  }
                }}
                onBlur={() => setEditing(null)}
              />
            </form>
          );
        }
        return (
          <button
            key={lane.id}
            type="button"
            className="lane-label"
            style={style}
            title={`${lane.addresses.join(", ")}${props.readOnly ? "" : " — click to rename"}`}
            disabled={props.readOnly}
            onClick={() => {
              setDraft(name);
              setEditing(lane.id);
            }}
          >
            {name}
          </button>
        );
      })}
    </div>
  );
}

interface RowProps {
  visible: VisibleRow;
  top: number;
  centres: number[];
  width: number;
  evidence: boolean;
  selected: boolean;
  compared: boolean;
  inHoveredTx: boolean;
  onHover: (tx: string | undefined) => void;
  onSelect: (messageIndex: number, withCompare: boolean) => void;
}

function statusClass(label: string): string {
  const status = /^(\d{3})\b/.exec(label)?.[1];
  if (!status) return "req";
  if (status.startsWith("1")) return "s1";
  if (status.startsWith("2")) return "s2";
  if (status === "487") return "s487";
  return "s4";
}

const LadderRowView = memo(function LadderRowView({ visible, top, centres, width, evidence, selected, compared, inHoveredTx, onHover, onSelect }: RowProps) {
  const { row } = visible;
  const a = centres[visible.fromLane] ?? 0;
  const b = centres[visible.toLane] ?? 0;
  const colour = branchColour(row.branchIndex);
  const y = ROW_HEIGHT - 8;
  const dir = b >= a ? 1 : -1;
  const label = `${row.retransmission ? "↻ " : ""}${row.label}${visible.hiddenRetransmissions ? ` ×${visible.hiddenRetransmissions + 1}` : ""}`;
  const classes = [
    "lrow",
    statusClass(row.label),
    row.retransmission ? "retr" : "",
    evidence ? "evidence" : "",
    selected ? "selected" : "",
    compared ? "compared" : "",
    inHoveredTx ? "tx-hover" : "",
  ]
    .filter(Boolean)
    .join(" ");
  return (
    <div
      className={classes}
      style={{ transform: `translateY(${top}px)`, width, height: ROW_HEIGHT }}
      data-index={row.index}
      data-testid="ladder-row"
      onMouseEnter={() => onHover(row.transactionId)}
      onClick={(e) => onSelect(row.index, e.shiftKey || e.metaKey || e.ctrlKey)}
      title={`${messageName(row.where, row.index)}: ${row.label}${row.retransmission ? " (retransmission)" : ""} — click to open, shift-click to compare`}
    >
      <span className="lrow-time mono">{visible.timeText}</span>
      <span className="lrow-where mono" data-testid="ladder-row-where">
        {whereNumber(row.where, row.index)}
      </span>
      <svg width={width} height={ROW_HEIGHT} className="lrow-svg" aria-hidden="true">
        {centres.map((x, i) => (
          <line key={i} x1={x} y1={0} x2={x} y2={ROW_HEIGHT} className="lane-line" />
        ))}
        {a === b ? (
          <>
            <path d={`M${a} ${y - 9} h22 v9 h-20`} fill="none" stroke={colour} strokeWidth={1.4} strokeDasharray={row.retransmission ? "4 3" : undefined} />
            <text x={a + 28} y={y - 2} className="lrow-label" fill={colour}>
              {label}
            </text>
          </>
        ) : (
          <>
            <line x1={a} y1={y} x2={b - dir * 3} y2={y} stroke={colour} strokeWidth={1.4} strokeDasharray={row.retransmission ? "4 3" : undefined} />
            <path d={`M${b} ${y} l${-dir * 8} -4 v8 z`} fill={colour} />
            <text x={(a + b) / 2} y={y - 5} textAnchor="middle" className="lrow-label">
              {label}
            </text>
          </>
        )}
      </svg>
    </div>
  );
});
