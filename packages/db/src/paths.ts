import path from "node:path";
import { fileURLToPath } from "node:url";

// Works from src/ (tsx, vitest) and dist/ (node): both sit one level below the package root.
const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export const dbPackageRoot = packageRoot;
export const repoRoot = path.resolve(packageRoot, "..", "..");
const prismaDir = path.join(repoRoot, "prisma");
export const schemaPath = path.join(prismaDir, "schema.prisma");
export const migrationsDir = path.join(prismaDir, "migrations");
export const prismaConfigPath = path.join(packageRoot, "prisma.config.ts");
