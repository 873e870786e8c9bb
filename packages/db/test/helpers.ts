import { provideServer, type ProvidedServer } from "../src/server-provisioning.js";

/** The server the tests create their databases on: DATABASE_URL's, else whatever provideServer finds. */
export function testServer(): Promise<ProvidedServer> {
  return provideServer({ databaseUrl: process.env.DATABASE_URL || undefined });
}
