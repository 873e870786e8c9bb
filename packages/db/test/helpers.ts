import { provideServer, type ProvidedServer } from "../src/server-provisioning.js";
import { withDatabase } from "../src/database-url.js";

/**
 * The server the tests create their databases on: the one behind DATABASE_URL (npm test hands
 * every package a fresh database there), else whatever provideServer finds.
 */
export async function testServer(): Promise<ProvidedServer> {
  const fromEnv = process.env.DATABASE_URL;
  const server = await provideServer({ databaseUrl: fromEnv ? withDatabase(fromEnv, "postgres") : undefined });
  return server;
}
