import { errorBodySchema, meSchema } from "@siplens/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";

const routes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/api/me",
    { schema: { tags: ["account"], summary: "The signed-in user, or null", response: { 200: meSchema, 503: errorBodySchema } } },
    async (req) => ({ user: await req.currentUser() }),
  );
};
export default routes;
