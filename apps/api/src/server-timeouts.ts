import type { FastifyInstance, FastifyServerOptions } from "fastify";
import type { AppConfig } from "./config/env.js";

/**
 * Socket limits of the listening server. A connection that sends nothing for IDLE_TIMEOUT_MS before
 * its first request is closed, and one kept alive after a response after at most 10 s, so idle
 * clients cannot hold sockets for ever. A request in progress has requestTimeout (an upload of a few
 * hundred MB over a slow link takes a while; a legacy analysis is re-analysed on open).
 */
export function serverTimeouts(config: AppConfig): Pick<FastifyServerOptions, "connectionTimeout" | "keepAliveTimeout" | "requestTimeout"> {
  return {
    connectionTimeout: config.IDLE_TIMEOUT_MS,
    keepAliveTimeout: Math.min(10_000, config.IDLE_TIMEOUT_MS),
    requestTimeout: 15 * 60 * 1000,
  };
}

/**
 * The idle limit is for sockets between requests: while a handler works (and sends nothing yet)
 * the socket is not idle, so the limit is lifted for the request and set again once it is answered.
 */
export function applySocketLimits(app: FastifyInstance, config: AppConfig): void {
  app.server.headersTimeout = Math.min(30_000, config.IDLE_TIMEOUT_MS);
  app.server.on("request", (req, res) => {
    const socket = req.socket;
    socket.setTimeout(0);
    res.once("finish", () => socket.setTimeout(config.IDLE_TIMEOUT_MS));
  });
}
