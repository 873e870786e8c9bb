import { useCallback, useMemo, useState } from "react";
import type { Lane } from "@siplens/contracts";

/** Lane aliases chosen by the viewer, remembered per analysis in this browser. */
export function useLaneNames(storageKey: string | null) {
  const [names, setNames] = useState<Map<string, string>>(() => {
    if (!storageKey) return new Map();
    try {
      const stored = localStorage.getItem(`siplens.lanes.${storageKey}`);
      return new Map(stored ? (JSON.parse(stored) as [string, string][]) : []);
    } catch {
      return new Map();
    }
  });
  const rename = useCallback(
    (laneId: string, name: string) => {
      setNames((previous) => {
        const next = new Map(previous);
        if (name) next.set(laneId, name);
        else next.delete(laneId);
        if (storageKey) {
          try {
            localStorage.setItem(`siplens.lanes.${storageKey}`, JSON.stringify([...next]));
          } catch {
            /* private mode: names last for this visit */
          }
        }
        return next;
      });
    },
    [storageKey],
  );
  const laneName = useCallback((lane: Lane) => names.get(lane.id) ?? lane.name, [names]);
  return useMemo(() => ({ names, rename, laneName }), [names, rename, laneName]);
}
