import { MAX_UPLOAD_BYTES } from "@siplens/contracts";
import { z } from "zod";

/**
 * The service configuration, validated once at start-up. This is the only module that reads
 * process.env: everything else receives an AppConfig, so tests can build apps with any settings.
 */
const trustProxy = z
  .string()
  .trim()
  .refine((v) => v !== "true", "TRUST_PROXY=true would trust any X-Forwarded-For; give a hop count (1) or the proxy addresses")
  .transform((v): false | number | string[] =>
    v === "" || v === "false" || v === "0"
      ? false
      : /^\d+$/.test(v)
        ? Number(v)
        : v
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean),
  );

const csv = z.string().transform((v) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);

export const envSchema = z.object({
  DATABASE_URL: z.string().min(1, "DATABASE_URL is required (postgres://…)"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Public origin of the site, e.g. https://siplens.example. Without it the request's own origin is used. */
  PUBLIC_URL: z.url().optional(),
  /** Extra origins allowed to make state-changing requests (comma separated). */
  TRUSTED_ORIGINS: csv.default([]),
  /** Signs auth cookies. Without it a random secret is generated once and kept in the database. */
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
  /**
   * Reverse proxies in front of the API, so rate limits key on the real client address: a hop
   * count ("1") or the proxies' addresses/CIDRs ("10.0.0.0/8,127.0.0.1"). Not "true": trusting
   * every hop lets any client pick its own address with X-Forwarded-For.
   */
  TRUST_PROXY: trustProxy.default(false),
  /** Built web app to serve (with SPA fallback); absent folder = API only. */
  WEB_DIST: z.string().optional(),
  /** Largest upload accepted (multipart "file"). */
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1).max(MAX_UPLOAD_BYTES).default(MAX_UPLOAD_BYTES),
  /** Worker threads for large analyses (uploads, background jobs); pastes have their own small pool. */
  ANALYSIS_WORKERS: z.coerce.number().int().min(1).max(16).default(2),
  PASTE_WORKERS: z.coerce.number().int().min(1).max(16).default(1),
  /** Time cap of one analysis. */
  ANALYSIS_TIMEOUT_MS: z.coerce.number().int().min(1000).default(180_000),
  /** Heap cap of one analysis worker. */
  ANALYSIS_MAX_HEAP_MB: z.coerce.number().int().min(64).default(2048),
  /** Pastes larger than this are analysed as background jobs (202) instead of answering directly. */
  PASTE_INLINE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(1024 * 1024),
  /** How long an upload request waits for its analysis before answering 202 with a job. */
  UPLOAD_WAIT_MS: z.coerce.number().int().min(0).default(2000),
  /** An upload analysed while it arrives gives its worker back after waiting this long for the client in all. */
  UPLOAD_SLOW_CLIENT_MS: z.coerce.number().int().min(0).default(3000),
  /** An upload whose client sends nothing for this long is answered 408 and dropped. */
  UPLOAD_IDLE_MS: z.coerce.number().int().min(100).default(30_000),
  /** The longest an upload's body may take to arrive (300 MiB in 10 min is 0.5 MB/s). */
  UPLOAD_BODY_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(10 * 60_000),
  /** Storage quota of one anonymous browser: analyses kept (queued jobs included) and their input bytes. */
  QUOTA_ANON_ANALYSES: z.coerce.number().int().min(1).default(50),
  QUOTA_ANON_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(1024 * 1024 * 1024),
  /** Storage quota of one account. */
  QUOTA_ACCOUNT_ANALYSES: z.coerce.number().int().min(1).default(1000),
  QUOTA_ACCOUNT_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(10 * 1024 * 1024 * 1024),
  /** Jobs one account or browser may have queued or running at once (the queue is shared fairly among owners). */
  JOB_QUEUE_MAX_PER_OWNER: z.coerce.number().int().min(1).default(4),
  /** Anonymous jobs queued or running at once from one client address, whatever browser keys it uses. */
  JOB_QUEUE_MAX_PER_IP: z.coerce.number().int().min(1).default(8),
  /** Memory-heavy opens (legacy re-analysis, redacted share views, huge parts) running at once; more wait OPEN_HEAVY_WAIT_MS, then 503. */
  OPEN_HEAVY_MAX: z.coerce.number().int().min(1).default(4),
  OPEN_HEAVY_WAIT_MS: z.coerce.number().int().min(0).default(2000),
  JOB_POLL_MS: z.coerce.number().int().min(50).default(1000),
  JOB_LEASE_MS: z.coerce.number().int().min(1000).default(30_000),
  PURGE_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(10 * 60 * 1000),
  /** A connection that sends nothing for this long is closed (idle keep-alive, stalled request, silent client). */
  IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_ANALYSES_MAX: z.coerce.number().int().min(1).default(60),
  RATE_LIMIT_AUTH_MAX: z.coerce.number().int().min(1).default(20),
  /** Sign-in attempts per account (whatever the address) in SIGN_IN_ACCOUNT_WINDOW_MS. */
  SIGN_IN_ACCOUNT_MAX: z.coerce.number().int().min(1).default(10),
  SIGN_IN_ACCOUNT_WINDOW_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(15 * 60_000),
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1000).default(60_000),
});

export type AppConfig = z.infer<typeof envSchema>;

/** Parses the environment; throws one readable error listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
