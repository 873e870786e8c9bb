import { useEffect } from "react";

export interface KeyHandlers {
  nextMessage: () => void;
  previousMessage: () => void;
  nextFinding: () => void;
  previousFinding: () => void;
  escape: () => void;
  help: () => void;
}

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
}

/** j/k/↑/↓ messages, n/p findings, Esc closes, ? help — ignored while the user types in a field. */
export function useAnalysisKeys(handlers: KeyHandlers, enabled = true) {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === "Escape") {
        handlers.escape();
        return;
      }
      if (typingInto(event.target)) return;
      if (document.querySelector("dialog[open]")) return;
      const action: Record<string, (() => void) | undefined> = {
        j: handlers.nextMessage,
        ArrowDown: handlers.nextMessage,
        k: handlers.previousMessage,
        ArrowUp: handlers.previousMessage,
        n: handlers.nextFinding,
        p: handlers.previousFinding,
        "?": handlers.help,
      };
      const run = action[event.key];
      if (run) {
        event.preventDefault();
        run();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [handlers, enabled]);
}
