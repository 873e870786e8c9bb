import { databaseGlobalSetup } from "@siplens/db/testing";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/** The API tests run against a real PostgreSQL: a fresh migrated database of their own, dropped afterwards. */
export default databaseGlobalSetup("api");
