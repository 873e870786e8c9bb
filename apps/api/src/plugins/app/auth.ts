import { createHmac, randomBytes } from "node:crypto";
import fp from "fastify-plugin";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { fromNodeHeaders } from "better-auth/node";
import type { User } from "@siplens/contracts";
import type { PrismaClient } from "@siplens/db";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppConfig } from "../../config/env.js";
import { randomId, sha256Hex } from "../../lib/ids.js";
import { retryTransient } from "../../lib/database-errors.js";
import type { Actor } from "../../repositories/actor.js";
import { authPolicy } from "./auth-policy.js";
import { logResetLinkSender, type ResetLinkSender } from "./reset-link-sender.js";

const ANON_COOKIE = "siplens_anon";
const ANON_COOKIE_MAX_AGE_S = 30 * 24 * 3600;

/** AUTH_SECRET, or one generated on first start and kept in the database (shared by every instance). */
async function authSecret(prisma: PrismaClient, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  await prisma.appSetting.createMany({ data: [{ key: "auth_secret", value: randomBytes(32).toString("base64url") }], skipDuplicates: true });
  const row = await prisma.appSetting.findUniqueOrThrow({ where: { key: "auth_secret" } });
  return row.value;
}

/** The origin a browser on this site sends: PUBLIC_URL's, or the request's own scheme and host. */
export function siteOrigin(req: { protocol: string; host: string }, config: AppConfig): string {
  return config.PUBLIC_URL ? new URL(config.PUBLIC_URL).origin : `${req.protocol}://${req.host}`;
}

function createAuth(prisma: PrismaClient, config: AppConfig, secret: string, sendResetLink: ResetLinkSender) {
  return betterAuth({
    appName: "siplens",
    secret,
    basePath: "/api/auth",
    // Without PUBLIC_URL the site's origin is the request's (any host: the service may sit behind
    // any name; cookies stay host-only and the same-origin check still applies).
    baseURL: config.PUBLIC_URL ?? { allowedHosts: ["*"], protocol: config.TRUST_PROXY ? "auto" : "http" },
    database: prismaAdapter(prisma, { provider: "postgresql" }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      // Sign-up then answers the same for new and already registered emails (no enumeration);
      // the client signs in afterwards.
      autoSignIn: false,
      sendResetPassword: ({ user, url }) => sendResetLink({ email: user.email, name: user.name }, url),
      resetPasswordTokenExpiresIn: 3600,
      // Whoever knew the old password is signed out everywhere.
      revokeSessionsOnPasswordReset: true,
    },
    hooks: { before: authPolicy },
    session: { expiresIn: 30 * 24 * 3600, updateAge: 24 * 3600 },
    trustedOrigins: (request) => {
      const origins: string[] = [...config.TRUSTED_ORIGINS];
      if (request) origins.push(new URL(request.url).origin);
      return origins;
    },
    // Our own rate limiter (per IP, stricter on auth) runs in front of every route.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    advanced: { defaultCookieAttributes: { httpOnly: true, sameSite: "lax" } },
  });
}

type Auth = ReturnType<typeof createAuth>;

declare module "fastify" {
  interface FastifyInstance {
    auth: Auth;
    /** Moves the browser's anonymous analyses into the account; clears the anonymous cookie. */
    claimAnonymous: (req: FastifyRequest, reply: FastifyReply, userId: string) => Promise<number>;
  }
  interface FastifyRequest {
    /** The signed-in user, or null (looked up once per request). */
    currentUser(): Promise<User | null>;
    /** The user and the anonymous key of this browser. */
    actor(): Promise<Actor>;
    /** Like actor(), but gives an anonymous browser a key (cookie) so what it creates stays its own. */
    actorForCreate(reply: FastifyReply): Promise<Actor>;
  }
}

export default fp(
  async (app) => {
    const secret = await authSecret(app.prisma, app.config.AUTH_SECRET);
    const auth = createAuth(app.prisma, app.config, secret, logResetLinkSender(app.log));
    // Keyed, so a stored key does not give the address away (IPv4 is small enough to try every one).
    const clientKey = (req: FastifyRequest) => createHmac("sha256", secret).update(`client:${req.ip}`).digest("hex");
    app.decorate("auth", auth);

    const userCache = new WeakMap<FastifyRequest, Promise<User | null>>();
    app.decorateRequest("currentUser", function (this: FastifyRequest) {
      let pending = userCache.get(this);
      if (!pending) {
        // A session lookup is a read (a refresh at most): safe to make again after a dropped connection.
        pending = retryTransient(() => auth.api.getSession({ headers: fromNodeHeaders(this.headers) })).then((s) =>
          s ? { id: s.user.id, email: s.user.email, name: s.user.name } : null,
        );
        userCache.set(this, pending);
      }
      return pending;
    });

    const anonKeyHash = (req: FastifyRequest): string | null => {
      const key = req.cookies[ANON_COOKIE];
      return key && /^[A-Za-z0-9_-]{22}$/.test(key) ? sha256Hex(key) : null;
    };
    app.decorateRequest("actor", async function (this: FastifyRequest) {
      const user = await this.currentUser();
      return { userId: user?.id ?? null, anonKeyHash: anonKeyHash(this), clientKey: clientKey(this) };
    });
    // Behind a TLS-terminating proxy the request itself is plain http: the public URL says whether the site is https.
    const secure = app.config.PUBLIC_URL?.startsWith("https:") ? true : "auto";
    app.decorateRequest("actorForCreate", async function (this: FastifyRequest, reply: FastifyReply) {
      const actor = await this.actor();
      if (actor.userId || actor.anonKeyHash) return actor;
      const key = randomId();
      reply.setCookie(ANON_COOKIE, key, { path: "/", httpOnly: true, sameSite: "lax", secure, maxAge: ANON_COOKIE_MAX_AGE_S });
      return { userId: null, anonKeyHash: sha256Hex(key), clientKey: actor.clientKey };
    });

    app.decorate("claimAnonymous", async (req: FastifyRequest, reply: FastifyReply, userId: string) => {
      const hash = anonKeyHash(req);
      if (!hash) return 0;
      const moved = await app.analyses.claimAnonymous(hash, userId);
      reply.clearCookie(ANON_COOKIE, { path: "/", httpOnly: true, sameSite: "lax", secure });
      return moved;
    });
  },
  { name: "auth", dependencies: ["config", "db", "repositories", "cookie"] },
);
