import { MAX_UPLOAD_LABEL, type CreateShareBody } from "@siplens/contracts";
import { ApiError, apiErrorFrom } from "./errors";
import { requestJson, requestVoid } from "./http";
import {
  analysisDetailSchema,
  analysisListSchema,
  analysisSummarySchema,
  authResponseSchema,
  createAnalysisResponseSchema,
  jobStatusSchema,
  shareCreatedSchema,
  meSchema,
  shareListSchema,
  sharedAnalysisSchema,
  signInResultSchema,
  type CreateAnalysisResponse,
} from "./schemas";

const json = (body: unknown) => JSON.stringify(body);

export const api = {
  me: () => requestJson("/api/me", meSchema),
  createFromText: (text: string, title?: string) => requestJson("/api/analyses", createAnalysisResponseSchema, { method: "POST", body: json({ text, title }) }),
  job: (jobId: string) => requestJson(`/api/jobs/${encodeURIComponent(jobId)}`, jobStatusSchema),
  analysis: (id: string) => requestJson(`/api/analyses/${encodeURIComponent(id)}`, analysisDetailSchema),
  list: (params: { q?: string; finding?: string; cursor?: string; limit: number }) => {
    const search = new URLSearchParams();
    if (params.q) search.set("q", params.q);
    if (params.finding) search.set("finding", params.finding);
    if (params.cursor) search.set("cursor", params.cursor);
    search.set("limit", String(params.limit));
    return requestJson(`/api/analyses?${search}`, analysisListSchema);
  },
  update: (id: string, patch: { title: string; note?: string } | { title?: string; note: string }) =>
    requestJson(`/api/analyses/${encodeURIComponent(id)}`, analysisSummarySchema, { method: "PATCH", body: json(patch) }),
  remove: (id: string) => requestVoid(`/api/analyses/${encodeURIComponent(id)}`, { method: "DELETE" }),
  createShare: (id: string, body: CreateShareBody) =>
    requestJson(`/api/analyses/${encodeURIComponent(id)}/shares`, shareCreatedSchema, { method: "POST", body: json(body) }),
  shares: (id: string) => requestJson(`/api/analyses/${encodeURIComponent(id)}/shares`, shareListSchema),
  revokeShare: (shareId: string) => requestVoid(`/api/shares/${encodeURIComponent(shareId)}`, { method: "DELETE" }),
  shared: (token: string) => requestJson(`/api/shared/${encodeURIComponent(token)}`, sharedAnalysisSchema),
  /** Answers how many of this browser's anonymous analyses moved into the account. */
  signIn: (email: string, password: string) => requestJson("/api/auth/sign-in/email", signInResultSchema, { method: "POST", body: json({ email, password }) }),
  /** Signs in right after signing up: sign-in is where this browser's anonymous analyses move into the account. */
  signUp: async (name: string, email: string, password: string) => {
    await requestJson("/api/auth/sign-up/email", authResponseSchema, { method: "POST", body: json({ name, email, password }) });
    return api.signIn(email, password);
  },
  signOut: () => requestJson("/api/auth/sign-out", authResponseSchema, { method: "POST", body: "{}" }),
  /** The reset link leads through the API to /reset-password?token=… (or ?error=INVALID_TOKEN). */
  requestPasswordReset: (email: string) =>
    requestJson("/api/auth/request-password-reset", authResponseSchema, { method: "POST", body: json({ email, redirectTo: "/reset-password" }) }),
  resetPassword: (token: string, newPassword: string) =>
    requestJson("/api/auth/reset-password", authResponseSchema, { method: "POST", body: json({ token, newPassword }) }),
};

export interface UploadProgress {
  phase: "uploading" | "analysing";
  sent: number;
  total: number;
}

/**
 * Multipart upload with XMLHttpRequest, because fetch still cannot report upload progress.
 * Resolves with the server's answer (a finished analysis or a job to poll).
 */
export function uploadFile(file: File, onProgress: (progress: UploadProgress) => void, signal?: AbortSignal): Promise<CreateAnalysisResponse> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/analyses/upload");
    xhr.withCredentials = true;
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (event) => onProgress({ phase: "uploading", sent: event.loaded, total: event.lengthComputable ? event.total : file.size });
    xhr.upload.onload = () => onProgress({ phase: "analysing", sent: file.size, total: file.size });
    xhr.onerror = () => reject(apiErrorFrom(0, undefined, "The upload failed: the connection to the server was lost."));
    xhr.onabort = () => reject(apiErrorFrom(0, "aborted", "Upload cancelled."));
    xhr.onload = () => {
      let body: unknown = xhr.responseText;
      try {
        body = JSON.parse(xhr.responseText) as unknown;
      } catch {
        /* keep text */
      }
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(
          apiErrorFrom(xhr.status, body, xhr.status === 413 ? `The file is larger than the ${MAX_UPLOAD_LABEL} limit.` : `Upload failed (${xhr.status}).`),
        );
        return;
      }
      const parsed = createAnalysisResponseSchema.safeParse(body);
      if (parsed.success) resolve(parsed.data);
      else reject(apiErrorFrom(xhr.status, undefined, "The server sent an answer siplens could not read."));
    };
    signal?.addEventListener("abort", () => xhr.abort());
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Consecutive unanswered polls (network, 502–504) before the page stops following a job. */
const MAX_POLL_FAILURES = 5;

/**
 * Polls a job until it is done (returns the analysis id) or failed (throws its message). The
 * server answers a job's state truthfully (a 404 means it is not this visitor's), so only a poll
 * that got no answer is asked again; giving up then says the analysis may still finish.
 */
async function waitForJob(
  jobId: string,
  onProgress: (job: { bytesRead?: number | null; totalBytes?: number | null; status: string }) => void,
  signal?: AbortSignal,
): Promise<string> {
  let delay = 250;
  let failures = 0;
  for (;;) {
    if (signal?.aborted) throw apiErrorFrom(0, "aborted", "Cancelled.");
    let job: Awaited<ReturnType<typeof api.job>>;
    try {
      job = await api.job(jobId);
      failures = 0;
    } catch (error) {
      const unanswered = error instanceof ApiError && (error.status === 0 || (error.status >= 502 && error.status <= 504));
      if (!unanswered) throw error;
      if (++failures > MAX_POLL_FAILURES) {
        throw apiErrorFrom(
          error.status,
          undefined,
          "Lost contact with the server while the analysis ran. It may still finish: reload this page, or look in your analyses, in a minute.",
        );
      }
      await sleep(delay);
      delay = Math.min(delay * 1.5, 1500);
      continue;
    }
    onProgress(job);
    if (job.status === "done" && job.analysisId) return job.analysisId;
    if (job.status === "failed") {
      const error = job.error ?? { error: "analysis-failed", message: "The analysis failed." };
      // Only "not a trace" is about the input; anything else is the server's trouble.
      throw apiErrorFrom(error.error === "not-a-trace" || error.error === "unsupported-media-type" ? 422 : 500, error, "The analysis failed.");
    }
    await sleep(delay);
    delay = Math.min(delay * 1.5, 1500);
  }
}

/** Whatever the create call answered, end with an analysis id. */
export async function analysisIdFrom(
  response: CreateAnalysisResponse,
  onProgress: (job: { bytesRead?: number | null; totalBytes?: number | null; status: string }) => void,
  signal?: AbortSignal,
): Promise<string> {
  if ("job" in response) return waitForJob(response.job.id, onProgress, signal);
  return response.id;
}
