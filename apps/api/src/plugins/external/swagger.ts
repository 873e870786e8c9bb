import fp from "fastify-plugin";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import { jsonSchemaTransform } from "fastify-type-provider-zod";
import { apiVersion } from "../../lib/version.js";

/** OpenAPI document generated from the routes' zod schemas; browsable at /api/docs. */
export default fp(
  async (app) => {
    await app.register(fastifySwagger, {
      openapi: {
        info: {
          title: "siplens API",
          description: "Analyse SIP traces, keep them in an account, share diagnoses. Errors are { error, message }.",
          version: apiVersion,
        },
        tags: [
          { name: "analyses", description: "Analyse, list, open, rename, delete" },
          { name: "jobs", description: "Background analyses of large inputs" },
          { name: "shares", description: "Read-only links to a frozen snapshot" },
          { name: "account", description: "Who is signed in (sign-up/in/out live under /api/auth/*)" },
          { name: "service", description: "Health" },
        ],
      },
      transform: jsonSchemaTransform,
    });
    await app.register(fastifySwaggerUi, { routePrefix: "/api/docs", staticCSP: true });
  },
  { name: "swagger" },
);
