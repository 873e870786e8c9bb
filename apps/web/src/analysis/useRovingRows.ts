import { useCallback, useEffect, useRef, useState, type FocusEvent, type KeyboardEvent, type RefObject } from "react";
import { defaultRangeExtractor, type Range, type Virtualizer } from "@tanstack/react-virtual";
import { itemAt, present } from "@siplens/analysis/access";

/** The two controls of a call row: the include checkbox and the button that shows the call alone. */
export type RowControl = "check" | "main";

/** What the list's accessible name tells a screen-reader user about its keys. */
export const ROW_KEYS_HINT = "arrow keys move between calls, Enter shows one, Space on its checkbox adds it";

/** Rows PageUp/PageDown move by when the list has not been measured yet. */
const FALLBACK_PAGE_ROWS = 8;

/**
 * A virtualised list as one tab stop (roving tabindex): only the active row's active control takes
 * Tab; Up/Down/Home/End/PageUp/PageDown move between rows, Left/Right between a row's controls. A row
 * out of view is scrolled in and focused once rendered; moving past the loaded rows asks for more.
 * The virtualiser takes `rangeExtractor`, which keeps the active row rendered even when scrolled
 * away, so the list never loses its tab stop.
 */
export function useRovingRows(
  count: number,
  scrollRef: RefObject<HTMLDivElement | null>,
  virtualizerRef: RefObject<Virtualizer<HTMLDivElement, Element> | null>,
  loadMore: () => void,
) {
  const [active, setActive] = useState(0);
  const [control, setControl] = useState<RowControl>("main");
  const focusPending = useRef(false);
  const current = Math.min(active, Math.max(0, count - 1));
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      if (current >= range.count || indexes.includes(current)) return indexes;
      return [...indexes, current].sort((a, b) => a - b);
    },
    [current],
  );

  // Focus follows the active row once it is rendered (it may need a scroll, or a page, first).
  useEffect(() => {
    if (!focusPending.current) return;
    const target = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${current}"] [data-control="${control}"]`);
    if (!target) return;
    focusPending.current = false;
    target.focus();
  });

  const moveTo = (index: number, next: RowControl = control) => {
    if (count === 0) return;
    const clamped = Math.max(0, Math.min(count - 1, index));
    if (index >= count - 1) loadMore();
    focusPending.current = true;
    setActive(clamped);
    setControl(next);
    virtualizerRef.current?.scrollToIndex(clamped, { align: "auto" });
  };

  const pageRows = () => {
    const height = scrollRef.current?.clientHeight ?? 0;
    const items = virtualizerRef.current?.getVirtualItems() ?? [];
    const rowHeight = items.length ? (present(items.at(-1)).end - itemAt(items, 0).start) / items.length : 0;
    return height && rowHeight ? Math.max(1, Math.floor(height / rowHeight) - 1) : FALLBACK_PAGE_ROWS;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const moves: Record<string, (() => void) | undefined> = {
      ArrowDown: () => moveTo(current + 1),
      ArrowUp: () => moveTo(current - 1),
      Home: () => moveTo(0),
      End: () => moveTo(count - 1),
      PageDown: () => moveTo(current + pageRows()),
      PageUp: () => moveTo(current - pageRows()),
      ArrowLeft: () => moveTo(current, "check"),
      ArrowRight: () => moveTo(current, "main"),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    move();
  };

  // A click (or a screen reader's own navigation) into a row makes it the active one.
  const onFocus = (event: FocusEvent<HTMLElement>) => {
    const row = event.target.closest<HTMLElement>("[data-index]");
    const index = Number(row?.dataset.index);
    const which = event.target.getAttribute("data-control");
    if (!Number.isInteger(index) || (which !== "check" && which !== "main")) return;
    if (index !== current) setActive(index);
    if (which !== control) setControl(which);
  };

  return {
    rangeExtractor,
    onKeyDown,
    onFocus,
    /** The control of row `index` that takes Tab, or null: one in the whole list. */
    tabStop: (index: number): RowControl | null => (index === current ? control : null),
  };
}
