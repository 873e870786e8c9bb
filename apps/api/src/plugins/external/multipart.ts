import fp from "fastify-plugin";
import fastifyMultipart from "@fastify/multipart";

/** One file per upload, streamed; a few small text fields at most. */
export default fp(
  async (app) => {
    await app.register(fastifyMultipart, {
      limits: { fileSize: app.config.UPLOAD_MAX_BYTES, files: 1, fields: 4, fieldSize: 1024, parts: 6, headerPairs: 100 },
    });
  },
  { name: "multipart", dependencies: ["config"] },
);
