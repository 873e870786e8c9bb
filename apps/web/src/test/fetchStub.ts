import { vi } from "vitest";

export interface StubbedCall {
  url: string;
  method: string;
  body: unknown;
}

/** Replaces fetch with a router of canned responses and records every call. */
export function stubFetch(handler: (url: string, method: string, body: unknown) => Response): StubbedCall[] {
  const calls: StubbedCall[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      const method = (init?.method ?? "GET").toUpperCase();
      const body = typeof init?.body === "string" ? (JSON.parse(init.body) as unknown) : undefined;
      calls.push({ url, method, body });
      return Promise.resolve(handler(url, method, body));
    }),
  );
  return calls;
}
