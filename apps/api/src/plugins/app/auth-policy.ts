import { APIError, createAuthMiddleware } from "better-auth/api";
import { accountNameSchema } from "@siplens/contracts";
import { weakPasswordReason } from "./password-policy.js";

function checkPassword(password: unknown): void {
  const reason = typeof password === "string" ? weakPasswordReason(password) : null;
  if (reason) throw new APIError("BAD_REQUEST", { code: "WEAK_PASSWORD", message: reason });
}

function checkName(name: unknown): void {
  const parsed = accountNameSchema.safeParse(name);
  if (!parsed.success) throw new APIError("BAD_REQUEST", { code: "INVALID_NAME", message: `name: ${parsed.error.issues[0]?.message ?? "invalid"}` });
}

/**
 * better-auth's "before" hook: our rules for names and passwords on every path that sets one, and a
 * password change always signs out the account's other sessions (someone who knew the old password
 * must not stay signed in).
 */
export const authPolicy = createAuthMiddleware(async (ctx) => {
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  switch (ctx.path) {
    case "/sign-up/email":
      checkName(body.name);
      checkPassword(body.password);
      return;
    case "/update-user":
      if (body.name !== undefined) checkName(body.name);
      return;
    case "/change-password":
      checkPassword(body.newPassword);
      return { context: { body: { ...body, revokeOtherSessions: true } } };
    case "/reset-password":
      checkPassword(body.newPassword);
      return;
  }
});
