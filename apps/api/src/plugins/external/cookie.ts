import fp from "fastify-plugin";
import fastifyCookie from "@fastify/cookie";

/** Cookie parsing for the anonymous-owner key (better-auth signs its own session cookie). */
export default fp(
  async (app) => {
    await app.register(fastifyCookie);
  },
  { name: "cookie" },
);
