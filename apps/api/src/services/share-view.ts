import { createPartRedactor, shiftTimes, type PartRedactor } from "@siplens/analysis";
import { keyedPseudonyms } from "../lib/pseudonyms.js";
import type { PartsRepository } from "../repositories/parts.js";

/** The calls a link to one call shows (every leg of a correlated call): its ordinals and Call-IDs. */
export interface CallScope {
  ordinals: number[];
  callIds: string[];
}

/** What a reader may see of one analysis: its id, its size, the redactor its parts go through and the calls it is limited to (shares). */
export interface PartView {
  analysisId: string;
  messageCount: number;
  redactor: PartRedactor | null;
  /** Seconds a share moves every absolute time by; null = as captured. */
  timeShift: number | null;
  scope: CallScope | null;
}

/** The scope of a share's ordinals, or null for the whole trace. */
export async function callScopeOf(parts: PartsRepository, analysisId: string, ordinals: readonly number[]): Promise<CallScope | null> {
  if (!ordinals.length) return null;
  return { ordinals: [...ordinals], callIds: await parts.callIdsOf(analysisId, ordinals) };
}

/** A redactor for one request of a redacted share: its key makes every request agree on the pseudonyms. */
export const shareRedactor = (key: Uint8Array | null): PartRedactor | null => (key ? createPartRedactor(keyedPseudonyms(key)) : null);

/** A part as the view shows it: pseudonymised (redacted share), then its times moved (shifted share). */
export function viewed<T>(view: Pick<PartView, "redactor" | "timeShift">, part: T): T {
  const redacted = view.redactor ? view.redactor.part(part) : part;
  return view.timeShift === null ? redacted : shiftTimes(redacted, view.timeShift);
}
