import fp from "fastify-plugin";
import fastifyCompress from "@fastify/compress";

/**
 * Analysis results are large, repetitive JSON (a 50,000-message trace is ~100 MB); gzip
 * shrinks them roughly tenfold, which is what makes opening a big analysis fast on a real network.
 */
export default fp(
  async (app) => {
    await app.register(fastifyCompress, { global: true, threshold: 4096, encodings: ["gzip", "deflate"] });
  },
  { name: "compress" },
);
