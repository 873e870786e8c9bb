// The shared SIP corpus for tests and benches (Node-only test support): where it is, its traces
// and its manifest. The corpus sits beside the project (../shared/corpus from the repository root)
// on our machines, but a clone may live anywhere, so SIPLENS_CORPUS overrides and
// /work/shared/corpus is the last resort.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

function locateCorpus(): string {
  const candidates = [process.env["SIPLENS_CORPUS"], resolve(repoRoot, "../shared/corpus"), "/work/shared/corpus"].filter(
    (c): c is string => typeof c === "string" && c.length > 0,
  );
  return candidates.find((c) => existsSync(join(c, "manifest.json"))) ?? candidates[0] ?? "/work/shared/corpus";
}

/** The corpus folder (holds manifest.json and traces/). */
const CORPUS_DIR = locateCorpus();
/** The corpus traces folder: one folder a scenario, its files named after it. */
export const CORPUS_TRACES = join(CORPUS_DIR, "traces");
export const haveCorpus = existsSync(join(CORPUS_DIR, "manifest.json"));

/**
 * Third-party captures from the field (with provenance in its README): SIPLENS_CORPUS_EXTERNAL, or
 * corpus-external beside the corpus. Null when absent, so that the tests on it can be skipped.
 */
export const EXTERNAL_CORPUS: string | null =
  [process.env["SIPLENS_CORPUS_EXTERNAL"], join(CORPUS_DIR, "../corpus-external")].find((d): d is string => !!d && existsSync(join(d, "README.md"))) ?? null;

/** A scenario's file, e.g. tracePath("S1a_caller_hangup_direct_udp", "sngrep.txt"). */
export const tracePath = (scenario: string, ext = "pcap"): string => join(CORPUS_TRACES, scenario, `${scenario}.${ext}`);
export const traceBytes = (scenario: string, ext = "pcap"): Uint8Array => new Uint8Array(readFileSync(tracePath(scenario, ext)));
export const traceText = (scenario: string, ext: string): string => readFileSync(tracePath(scenario, ext), "utf8");
/** A file as the manifest names it (its paths start at the corpus folder's parent). */
export const manifestFilePath = (path: string): string => join(CORPUS_DIR, "..", path);

/** A call of a scenario, as the manifest tells what happened in it. */
export interface ManifestCall {
  call_id: string;
  labels: string[];
  cancels?: { frame: number; from_caller: boolean }[];
  responses_487?: { frame: number; retransmission: boolean; to_caller: boolean; acked?: boolean }[];
  race?: { cancel_minus_200_ms: number; winner: string; cancel_answered_with: number[] };
  proxy_timeout?: { cancel_after_invite_s: number; cancel_after_last_provisional_s: number; final_to_caller: number };
  missing_ack?: { "487_transmissions": number; retransmission_offsets_s: number[] };
}

export interface ManifestScenario {
  sip_messages: number;
  calls: ManifestCall[];
}

/** A file of the corpus: what wrote it and how many SIP messages it holds. */
export interface ManifestFile {
  format: string;
  scenario_folder: string;
  tool_format?: string;
  bytes?: number;
  sip_messages?: number;
  sip_messages_in_file?: number;
  capture_sip_messages?: number;
}

export interface CorpusManifest {
  scenarios: Record<string, ManifestScenario>;
  /** Keyed by path (see manifestFilePath). */
  files: Record<string, ManifestFile>;
}

let manifest: CorpusManifest | undefined;

/** The manifest (read once); empty when the corpus is absent, so corpus-driven tests list nothing. */
export function corpusManifest(): CorpusManifest {
  manifest ??= haveCorpus ? (JSON.parse(readFileSync(join(CORPUS_DIR, "manifest.json"), "utf8")) as CorpusManifest) : { scenarios: {}, files: {} };
  return manifest;
}

/** One scenario of the manifest; a test naming one that is not there fails with its name. */
export function manifestScenario(name: string): ManifestScenario {
  const scenario = corpusManifest().scenarios[name];
  if (!scenario) throw new Error(`the corpus manifest has no scenario ${name}`);
  return scenario;
}

/** Per-call truth of a bulk scenario (one JSON object a line). */
export function bulkCalls(scenario: string): ManifestCall[] {
  return traceText(scenario, "calls.jsonl")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as ManifestCall);
}
