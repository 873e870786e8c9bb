import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Finding } from "@siplens/contracts";
import { buildTraceModel } from "../analyze.js";
import { ModelBuilder } from "../model/build.js";
import { traceEndTime, type TraceModel } from "../model/types.js";
import { parseSipMessage } from "../sip/parse.js";
import { diagnoseTrace } from "./engine.js";
import type { DxMsg } from "./input.js";
import { CORPUS_DIR } from "../../test/corpus.js";

/** Test helpers (not exported from the package): corpus traces and our own fixtures, diagnosed. */
const CORPUS = `${CORPUS_DIR}/`;
export const FIXTURES = fileURLToPath(new URL("../../test/fixtures/diagnosis/", import.meta.url));

export interface ManifestCall {
  call_id: string;
  labels: string[];
  cancels?: { frame: number; from_caller: boolean }[];
  responses_487?: { frame: number; retransmission: boolean; to_caller: boolean; acked?: boolean }[];
  race?: { cancel_minus_200_ms: number; winner: string; cancel_answered_with: number[] };
  proxy_timeout?: { cancel_after_invite_s: number; cancel_after_last_provisional_s: number; final_to_caller: number };
  missing_ack?: { "487_transmissions": number; retransmission_offsets_s: number[] };
}

export const manifest = JSON.parse(readFileSync(`${CORPUS}manifest.json`, "utf8")) as {
  scenarios: Record<string, { calls: ManifestCall[] }>;
};

export function corpusModel(scenario: string, ext = "pcap"): TraceModel {
  return buildTraceModel(new Uint8Array(readFileSync(`${CORPUS}traces/${scenario}/${scenario}.${ext}`)));
}

export function fixtureModel(name: string): TraceModel {
  return buildTraceModel(new Uint8Array(readFileSync(`${FIXTURES}${name}`)));
}

/** The model of only the messages `keep` accepts, as if the capture had missed the others. */
export function partialModel(model: TraceModel, keep: (m: DxMsg) => boolean): TraceModel {
  const builder = new ModelBuilder({ parse: parseSipMessage });
  for (const m of model.messages) {
    if (!keep(m)) continue;
    builder.add({ text: model.payloads.text(m.index), time: m.time, src: m.src, dst: m.dst, transport: m.transport, where: m.where, ...(m.frame !== undefined ? { frame: m.frame } : {}) });
  }
  return builder.finish(model.format, model.formatName);
}

/** Diagnoses only the messages `keep` accepts; the capture still ran as long as the whole one. */
export function diagnosePartial(model: TraceModel, keep: (m: DxMsg) => boolean): Finding[] {
  const partial = partialModel(model, keep);
  return diagnoseTrace({ model: partial, endTime: traceEndTime(model), oneSided: partial.oneSided });
}

/** The one finding with this code (fails the test when there are none or several). */
export function one(findings: Finding[], code: string): Finding {
  const hits = findings.filter((f) => f.code === code);
  if (hits.length !== 1) throw new Error(`expected one ${code}, got ${hits.length} among ${codesOf(findings).join(",")}`);
  return hits[0]!;
}

/** Per-call truth of a bulk scenario (one JSON object a line). */
export function bulkCalls(scenario: string): ManifestCall[] {
  return readFileSync(`${CORPUS}traces/${scenario}/${scenario}.calls.jsonl`, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as ManifestCall);
}

export function callFindings(findings: Finding[], callId: string): Finding[] {
  return findings.filter((f) => f.callIds.length === 1 && f.callIds[0] === callId && f.code !== "cluster-487" && f.code !== "timer-pattern");
}

export function codesOf(findings: Finding[]): string[] {
  return [...new Set(findings.map((f) => f.code))].sort();
}

/** The manifest's labels in our codes ("none" dropped). */
export function expectedCodes(call: ManifestCall): string[] {
  const map: Record<string, string> = { "no-winner-all-branches-487": "no-winner", "missing-ack-487-retransmit": "missing-ack" };
  return [...new Set(call.labels.filter((l) => l !== "none").map((l) => map[l] ?? l))].sort();
}
