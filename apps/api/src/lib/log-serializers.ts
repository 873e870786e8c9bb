import type { FastifyRequest } from "fastify";

// Share and password-reset tokens are bearer secrets (only their hash is stored): a log line must not hand them out.
const TOKEN_IN_PATH = /\/(s|api\/shared|api\/auth\/reset-password)\/[^/?#]+/gi;
const TOKEN_IN_QUERY = /([?&]token=)[^&#]*/gi;

/**
 * The router decodes percent-escapes before it matches a route, so "/%61pi/shared/…" or
 * "/api/shared/%41bc" reach the share routes too: the masks match the decoded URL (byte by byte,
 * so a malformed escape cannot make the decoding fail).
 */
const decodeEscapes = (url: string): string => url.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

export function hideTokens(url: string): string {
  return decodeEscapes(url).replace(TOKEN_IN_PATH, "/$1/[token]").replace(TOKEN_IN_QUERY, "$1[token]");
}

/** Fastify's request log fields, with share and reset tokens masked. */
export const logSerializers = {
  req(req: FastifyRequest) {
    return { method: req.method, url: hideTokens(req.url), host: req.headers.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
  },
};
