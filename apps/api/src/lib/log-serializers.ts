import type { FastifyRequest } from "fastify";

// Share tokens are bearer secrets (only their hash is stored): a log line must not hand them out.
const TOKEN_IN_PATH = /\/(s|api\/shared)\/[^/?#]+/g;

export function hideShareTokens(url: string): string {
  return url.replace(TOKEN_IN_PATH, "/$1/[token]");
}

/** Fastify's request log fields, with share tokens masked. */
export const logSerializers = {
  req(req: FastifyRequest) {
    return { method: req.method, url: hideShareTokens(req.url), host: req.headers.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
  },
};
