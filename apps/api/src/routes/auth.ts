import { fromNodeHeaders } from "better-auth/node";
import { CONTROL_CHARACTERS_REFUSED, type ErrorBody, type ErrorCode, type SignInResult } from "@siplens/contracts";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { badRequest, HttpError } from "../errors.js";
import { controlCharacterAt } from "../lib/control-characters.js";

/** Our code for a failed answer of better-auth, by its status. */
const errorCodeOf = (status: number): ErrorCode =>
  status === 401
    ? "unauthorized"
    : status === 403
      ? "forbidden"
      : status === 404
        ? "not-found"
        : status === 429
          ? "rate-limited"
          : status >= 500
            ? "internal"
            : "bad-request";

/** better-auth's own code ("INVALID_EMAIL_OR_PASSWORD") in our spelling ("invalid-email-or-password"). */
function reasonOf(code: unknown, error: ErrorCode): { reason?: string } {
  const reason = typeof code === "string" && /^[A-Z0-9_]{1,64}$/.test(code) ? code.toLowerCase().replaceAll("_", "-") : undefined;
  return reason && reason !== error ? { reason } : {};
}

/** better-auth's routes have no zod schema here: control characters are refused before it sees them. */
async function refuseControlCharacters(req: FastifyRequest) {
  for (const [where, value] of [
    ["params", req.params],
    ["querystring", req.query],
    ["body", req.body],
  ] as const) {
    const at = controlCharacterAt(value);
    if (at) throw badRequest(`${where}: ${at} ${CONTROL_CHARACTERS_REFUSED}`);
  }
}

/**
 * better-auth behind Fastify: the request is rebuilt as a Web Request, the answer copied back
 * (every Set-Cookie included). Errors are rewritten to { error, message }. A successful sign-in
 * moves this browser's anonymous analyses into the account and says how many (claimedAnalyses).
 */
const routes: FastifyPluginAsync = async (app) => {
  const perIp = { rateLimit: { max: app.config.RATE_LIMIT_AUTH_MAX, timeWindow: app.config.RATE_LIMIT_WINDOW_MS } };
  // Many addresses guessing one account's password are throttled by the account, not only per address.
  // (A limiter of its own: the route's per-IP one has already run for this request.)
  const signInsOfAccount = app.createRateLimit({
    max: app.config.SIGN_IN_ACCOUNT_MAX,
    timeWindow: app.config.SIGN_IN_ACCOUNT_WINDOW_MS,
    keyGenerator: (req) => `sign-in:${emailOf(req.body).trim().toLowerCase()}`,
  });
  async function perAccount(req: FastifyRequest, reply: FastifyReply) {
    const limit = await signInsOfAccount(req);
    if (limit.isAllowed || !limit.isExceeded) return;
    reply.header("retry-after", String(limit.ttlInSeconds));
    throw new HttpError(429, "rate-limited", `too many sign-in attempts for this account: try again in ${Math.ceil(limit.ttlInSeconds / 60)} minutes`);
  }
  app.route({
    method: "POST",
    url: "/api/auth/sign-in/email",
    schema: { hide: true },
    preValidation: refuseControlCharacters,
    preHandler: perAccount,
    config: perIp,
    handler: forward,
  });
  app.route({
    method: ["GET", "POST"],
    url: "/api/auth/*",
    schema: { hide: true },
    preValidation: refuseControlCharacters,
    config: perIp,
    handler: forward,
  });

  async function forward(req: FastifyRequest, reply: FastifyReply) {
    const url = new URL(req.url, `${req.protocol}://${req.host}`);
    const body = req.method === "POST" && req.body !== undefined ? JSON.stringify(req.body) : undefined;
    const response = await app.auth.handler(new Request(url, { method: req.method, headers: fromNodeHeaders(req.headers), body }));

    reply.code(response.status);
    response.headers.forEach((value, name) => {
      if (name !== "set-cookie" && name !== "content-length") reply.header(name, value);
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length) reply.header("set-cookie", cookies);

    const text = await response.text();
    if (response.status >= 400) {
      let parsed: { code?: unknown; message?: unknown } = {};
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        // not JSON: keep the generic message
      }
      const error = errorCodeOf(response.status);
      const body: ErrorBody = {
        error,
        message: typeof parsed.message === "string" && parsed.message ? parsed.message : "authentication failed",
        ...reasonOf(parsed.code, error),
      };
      return reply.type("application/json").send(body);
    }
    if (url.pathname === "/api/auth/sign-in/email" && response.ok) {
      const answer = JSON.parse(text) as { user?: { id?: string } };
      const userId = answer.user?.id;
      if (userId) {
        const claimed: SignInResult = { claimedAnalyses: await app.claimAnonymous(req, reply, userId) };
        return reply.type("application/json").send({ ...answer, ...claimed });
      }
    }
    return reply.send(text || null);
  }
};

/** The e-mail a sign-in names, as text: the rate limit keys on it before the body is validated. */
function emailOf(body: unknown): string {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === "string" || typeof email === "number" ? String(email) : "";
}
export default routes;
