import fp from "fastify-plugin";
import { createGate, type Gate } from "../../lib/gate.js";

declare module "fastify" {
  interface FastifyInstance {
    /**
     * The bound on memory-heavy opens: re-analysing a legacy analysis, building a redacted or
     * scoped share view, reading a very large part through a share's view. Many visitors of one
     * big share must not each inflate it at once.
     */
    heavyWork: Gate;
  }
}

export default fp(
  async (app) => {
    app.decorate(
      "heavyWork",
      createGate({
        slots: app.config.OPEN_HEAVY_MAX,
        maxWaitMs: app.config.OPEN_HEAVY_WAIT_MS,
        maxWaiting: app.config.OPEN_HEAVY_MAX * 4,
        busy: "the server is busy opening large analyses: try again in a few seconds",
      }),
    );
  },
  { name: "heavy-work", dependencies: ["config"] },
);
