import type { ErrorCode } from "@siplens/contracts";

/** An error whose status, code and message are safe to show to the client. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly extra: { tried?: string[] } = {},
    /** Sent as Retry-After: the client may try again after this many seconds. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export const notFound = (what = "analysis") => new HttpError(404, "not-found", `no such ${what}`);
export const unauthorized = (message = "sign in first") => new HttpError(401, "unauthorized", message);
export const badRequest = (message: string) => new HttpError(400, "bad-request", message);
/** The database cannot be reached: a 503 whose message (fixed, safe) is shown, with a Retry-After. */
export const databaseUnavailable = () => new HttpError(503, "database-unavailable", "the database is unavailable; try again shortly");
/** Not now (shutting down, too busy); the same request may succeed after `retryAfterSeconds`. */
export const unavailable = (message: string, retryAfterSeconds: number) => new HttpError(503, "unavailable", message, {}, retryAfterSeconds);
export const tooLarge = (message: string) => new HttpError(413, "payload-too-large", message);

/** The input is not a SIP trace in any format we know; `tried` names each format. */
export const notATrace = (tried: string[]) =>
  new HttpError(422, "not-a-trace", `this is not a SIP trace in any format we read (tried: ${tried.join(", ")})`, { tried });
