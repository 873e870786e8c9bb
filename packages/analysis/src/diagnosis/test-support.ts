import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Finding } from "@siplens/contracts";
import { buildTraceModel } from "../analyze.js";
import { ModelBuilder } from "../model/build.js";
import { traceEndTime, type TraceModel } from "../model/types.js";
import { parseSipMessage } from "../sip/parse.js";
import { diagnoseTrace } from "./engine.js";
import type { DxMsg } from "./input.js";
import { traceBytes, type ManifestCall } from "../../test/corpus.js";

/** Test helpers (not exported from the package): corpus traces and our own fixtures, diagnosed. */
export const FIXTURES = fileURLToPath(new URL("../../test/fixtures/diagnosis/", import.meta.url));

export function corpusModel(scenario: string, ext = "pcap"): TraceModel {
  return buildTraceModel(traceBytes(scenario, ext));
}

export function fixtureModel(name: string): TraceModel {
  return buildTraceModel(new Uint8Array(readFileSync(`${FIXTURES}${name}`)));
}

/** The model of only the messages `keep` accepts, as if the capture had missed the others. */
export function partialModel(model: TraceModel, keep: (m: DxMsg) => boolean): TraceModel {
  const builder = new ModelBuilder({ parse: parseSipMessage });
  for (const m of model.messages) {
    if (!keep(m)) continue;
    builder.add({
      text: model.payloads.text(m.index),
      time: m.time,
      src: m.src,
      dst: m.dst,
      transport: m.transport,
      where: m.where,
      ...(m.frame !== undefined ? { frame: m.frame } : {}),
    });
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
