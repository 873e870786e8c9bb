import fp from "fastify-plugin";
import { HttpError } from "../../errors.js";
import { siteOrigin } from "./auth.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF defence for cookie-authenticated writes: a browser always names the page's origin on
 * state-changing requests (Origin, or Sec-Fetch-Site), so anything from another site is refused.
 * Requests without either header are not from a browser page and carry no ambient risk.
 */
export default fp(
  async (app) => {
    app.addHook("onRequest", async (req) => {
      if (SAFE_METHODS.has(req.method)) return;
      const origin = req.headers.origin;
      if (origin) {
        if (origin === siteOrigin(req, app.config) || app.config.TRUSTED_ORIGINS.includes(origin)) return;
        throw new HttpError(403, "forbidden", "cross-site request refused");
      }
      const fetchSite = req.headers["sec-fetch-site"];
      if (fetchSite === "cross-site") throw new HttpError(403, "forbidden", "cross-site request refused");
    });
  },
  { name: "same-origin", dependencies: ["config"] },
);
