// `pnpm --filter @siplens/db migrate:new <name> [--draft]`: writes prisma/migrations/<ts>_<name>
// from the difference between the committed migrations and prisma/schema.prisma.
import { createMigration } from "../migrations/create-migration.js";
import { provideServer } from "../server-provisioning.js";

const args = process.argv.slice(2);
const draft = args.includes("--draft");
const name = args.find((arg) => !arg.startsWith("--"));
if (!name || !/^[a-z0-9_]+$/i.test(name)) {
  console.error("usage: pnpm --filter @siplens/db migrate:new <name_in_snake_case> [--draft]");
  process.exit(2);
}

// The engine needs a server where it may create a temporary shadow database; the target
// database itself is never changed.
const server = await provideServer({ databaseUrl: process.env.DATABASE_URL, log: console.error });
try {
  const result = await createMigration({ databaseUrl: server.url, name, draft });
  if (result.created) {
    console.log(`created ${result.directory}/migration.sql\n\n${result.script}`);
  } else {
    console.log(result.reason);
  }
} catch (error) {
  console.error(`could not create the migration: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await server.stop();
}
