import fp from "fastify-plugin";
import { unavailable } from "../../errors.js";

declare module "fastify" {
  interface FastifyInstance {
    /** Aborted once the instance starts closing; its reason is the 503 to answer work that cannot finish now. */
    shuttingDown: AbortSignal;
  }
}

/**
 * Shutdown as a signal: requests still waiting for their client (an upload body arriving) stop
 * at once and are handed back with a 503 to retry, instead of holding the close until the grace
 * period cuts them off. Registered before the services, so it fires before they wind down.
 */
export default fp(
  async (app) => {
    const controller = new AbortController();
    app.decorate("shuttingDown", controller.signal);
    // Keep-alive ends with the answers in flight: a connection left idle after the close began would
    // hold it until the client gives up on it. (A request whose body is still arriving ends its
    // connection itself, after reading the rest: see closeAfterEarlyAnswer.)
    app.addHook("onSend", async (req, reply) => {
      if (controller.signal.aborted && req.raw.complete !== false) reply.header("connection", "close");
    });
    app.addHook("preClose", async () => {
      controller.abort(unavailable("the server is restarting: send the file again in a few seconds", 5));
    });
  },
  { name: "shutdown" },
);
