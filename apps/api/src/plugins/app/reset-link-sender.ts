import type { FastifyBaseLogger } from "fastify";

/** Delivers a password-reset link to the account's owner. */
export type ResetLinkSender = (to: { email: string; name: string }, url: string) => Promise<void>;

/**
 * Without a mail server the link goes to the server log (info), for the operator to pass on:
 * the flow works on a fresh install, and a mail sender can take this one's place.
 */
export const logResetLinkSender =
  (log: FastifyBaseLogger): ResetLinkSender =>
  async (to, url) => {
    log.info({ email: to.email, resetUrl: url }, "password reset requested: no mail server is configured, pass this link to the account's owner");
  };
