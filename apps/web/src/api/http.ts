import type { z } from "zod";
import { apiErrorFrom } from "./errors";

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function fallbackMessage(status: number): string {
  if (status === 401) return "Please sign in first.";
  if (status === 403) return "You do not have access to this.";
  if (status === 404) return "Not found.";
  if (status === 413) return "The input is too large.";
  if (status >= 500) return "The server had a problem. Please try again.";
  return `Request failed (${status}).`;
}

/** fetch + JSON + zod: every response is parsed against its wire schema so the UI never renders a guess. */
export async function requestJson<T>(url: string, schema: z.ZodType<T>, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.body !== undefined && typeof init.body === "string" && !headers.has("content-type")) headers.set("content-type", "application/json");
  headers.set("accept", "application/json");
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers, credentials: "same-origin" });
  } catch {
    throw apiErrorFrom(0, undefined, "Cannot reach the siplens server. Check your connection.");
  }
  const body = await readBody(response);
  if (!response.ok) throw apiErrorFrom(response.status, body, fallbackMessage(response.status));
  return schema.parse(body);
}

/** For endpoints answering 204 / no body. */
export async function requestVoid(url: string, init: RequestInit = {}): Promise<void> {
  const headers = new Headers(init.headers);
  if (typeof init.body === "string" && !headers.has("content-type")) headers.set("content-type", "application/json");
  const response = await fetch(url, { ...init, headers, credentials: "same-origin" }).catch(() => {
    throw apiErrorFrom(0, undefined, "Cannot reach the siplens server. Check your connection.");
  });
  if (!response.ok) throw apiErrorFrom(response.status, await readBody(response), fallbackMessage(response.status));
}
