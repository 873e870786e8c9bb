// Prisma CLI configuration. The schema and migrations live at the repository root (prisma/),
// the generated client lands in src/generated (see the generator block in the schema).
import { defineConfig, env } from "prisma/config";

export default defineConfig({
  schema: "../../prisma/schema.prisma",
  migrations: { path: "../../prisma/migrations" },
  datasource: { url: env("DATABASE_URL") },
});
