import { useCallback, useRef, useState } from "react";
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_LABEL } from "@siplens/contracts";
import { analysisIdFrom, api, uploadFile } from "../api/client";
import { ApiError, describeError } from "../api/errors";

/** The JSON paste endpoint takes at most 5 MB; larger pastes go through the streaming upload. */
const PASTE_LIMIT_BYTES = 5 * 1024 * 1024;

export type AnalyzeState =
  | { phase: "idle" }
  | { phase: "uploading"; sent: number; total: number; name: string }
  | { phase: "analysing"; bytesRead?: number; totalBytes?: number; name: string }
  | { phase: "error"; message: string; status?: number; code?: string; tried?: readonly string[] };

/** Paste or upload → (job polling) → analysis id, with progress the start page can show. */
export function useAnalyze(onDone: (analysisId: string) => void) {
  const [state, setState] = useState<AnalyzeState>({ phase: "idle" });
  const abort = useRef<AbortController | null>(null);

  const run = useCallback(
    async (name: string, work: (signal: AbortSignal) => Promise<string>) => {
      abort.current?.abort();
      const controller = new AbortController();
      abort.current = controller;
      try {
        const id = await work(controller.signal);
        if (!controller.signal.aborted) onDone(id);
      } catch (error) {
        if (controller.signal.aborted) {
          setState({ phase: "idle" });
          return;
        }
        setState({
          phase: "error",
          message: describeError(error),
          status: error instanceof ApiError ? error.status : undefined,
          code: error instanceof ApiError ? error.code : undefined,
          tried: error instanceof ApiError ? error.tried : undefined,
        });
      }
      void name;
    },
    [onDone],
  );

  const onJob = (name: string) => (job: { bytesRead?: number | null; totalBytes?: number | null }) =>
    setState({ phase: "analysing", name, bytesRead: job.bytesRead ?? undefined, totalBytes: job.totalBytes ?? undefined });

  const submitFile = useCallback(
    (file: File) => {
      if (file.size === 0) {
        setState({ phase: "error", message: `“${file.name}” is empty (0 bytes). Choose a capture or a text trace with SIP messages in it.` });
        return;
      }
      if (file.size > MAX_UPLOAD_BYTES) {
        setState({
          phase: "error",
          message: `“${file.name}” is ${(file.size / 1024 / 1024).toFixed(0)} MB; the limit is ${MAX_UPLOAD_LABEL}. Cut the capture down (e.g. editcap -A/-B or a display filter "sip") and try again.`,
        });
        return;
      }
      setState({ phase: "uploading", sent: 0, total: file.size, name: file.name });
      void run(file.name, async (signal) => {
        const response = await uploadFile(
          file,
          (p) =>
            setState(p.phase === "uploading" ? { phase: "uploading", sent: p.sent, total: p.total, name: file.name } : { phase: "analysing", name: file.name }),
          signal,
        );
        return analysisIdFrom(response, onJob(file.name), signal);
      });
    },
    [run],
  );

  const submitText = useCallback(
    (text: string, title?: string) => {
      if (!text.trim()) {
        setState({ phase: "error", message: "Paste a SIP trace first, or choose a file." });
        return;
      }
      const bytes = new TextEncoder().encode(text).length;
      if (bytes > PASTE_LIMIT_BYTES) {
        submitFile(new File([text], title ? `${title}.txt` : "pasted-trace.txt", { type: "text/plain" }));
        return;
      }
      setState({ phase: "analysing", name: title ?? "pasted trace" });
      void run("pasted trace", async (signal) => {
        const response = await api.createFromText(text, title);
        return analysisIdFrom(response, onJob(title ?? "pasted trace"), signal);
      });
    },
    [run, submitFile],
  );

  const cancel = useCallback(() => {
    abort.current?.abort();
    setState({ phase: "idle" });
  }, []);

  const reset = useCallback(() => setState({ phase: "idle" }), []);
  return { state, submitText, submitFile, cancel, reset };
}
