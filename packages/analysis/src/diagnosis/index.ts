/**
 * The 487 diagnosis: every call that ended in (or involved) a 487 explained with evidence,
 * RFC references and confidence, plus the patterns across calls (cluster-487, timer-pattern).
 */
import type { Finding } from "@siplens/contracts";
import { traceEndTime, type TraceModel } from "../model/types.js";
import { diagnoseTrace } from "./engine.js";

export function diagnose(model: TraceModel): Finding[] {
  return diagnoseTrace({ model, endTime: traceEndTime(model), oneSided: model.oneSided });
}

export { diagnoseTrace } from "./engine.js";
