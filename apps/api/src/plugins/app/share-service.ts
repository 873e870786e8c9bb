import fp from "fastify-plugin";
import { createShareService, type ShareService } from "../../services/shares.js";

declare module "fastify" {
  interface FastifyInstance {
    shareService: ShareService;
  }
}

export default fp(
  async (app) => {
    app.decorate(
      "shareService",
      createShareService({ analyses: app.analyses, parts: app.parts, shares: app.shares, jobRunner: app.jobRunner, heavyWork: app.heavyWork }),
    );
  },
  { name: "share-service", dependencies: ["repositories", "job-runner", "heavy-work"] },
);
