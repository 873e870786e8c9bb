import type { PoolConfig } from "pg";

/**
 * Turns a postgres:// URL into discrete pg settings. Needed wherever a pool is derived from the
 * URL with another database name: pg lets a connectionString override an explicit `database`.
 */
export function poolConfigFromUrl(databaseUrl: string): PoolConfig {
  const url = new URL(databaseUrl);
  const socketHost = url.searchParams.get("host");
  const sslmode = url.searchParams.get("sslmode");
  return {
    host: socketHost ?? (decodeURIComponent(url.hostname) || "localhost"),
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username) || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: decodeURIComponent(url.pathname.replace(/^\//, "")) || undefined,
    ssl: sslmode && sslmode !== "disable" ? { rejectUnauthorized: sslmode === "verify-full" } : undefined,
  };
}

/** The same server URL pointing at another database. */
export function withDatabase(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Database name of a URL (without the leading slash). */
export function databaseName(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ""));
}
