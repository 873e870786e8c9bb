/** A failed API call, carrying the server's `{ error, message }` body so the UI can say what went wrong. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Formats the analyzer tried, when the input was not recognised as a trace. */
    readonly tried: readonly string[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Builds an ApiError from a response body that may or may not be the agreed JSON error shape. */
export function apiErrorFrom(status: number, body: unknown, fallback: string): ApiError {
  if (body && typeof body === "object") {
    const record = body as Record<string, unknown>;
    const message = typeof record.message === "string" && record.message ? record.message : fallback;
    const code = typeof record.error === "string" ? record.error : typeof record.code === "string" ? record.code : `http-${status}`;
    const tried = Array.isArray(record.tried) ? record.tried.filter((t): t is string => typeof t === "string") : [];
    return new ApiError(status, code, message, tried);
  }
  if (typeof body === "string" && body.trim() && body.length < 400) return new ApiError(status, `http-${status}`, body.trim());
  return new ApiError(status, `http-${status}`, fallback);
}

export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 410);
}
