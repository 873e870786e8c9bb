// docker compose cannot run on this machine (no daemon); these tests hold the deployment files
// to the structure the README promises: app + official Postgres, volume, health checks,
// migrations at container start.
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../src/paths.js";

interface ComposeService {
  image?: string;
  build?: unknown;
  environment?: Record<string, string | null>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test?: string[]; interval?: string; retries?: number };
}

const compose = parse(await readFile(path.join(repoRoot, "docker-compose.yml"), "utf8")) as {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
};
const dockerfile = await readFile(path.join(repoRoot, "Dockerfile"), "utf8");

describe("docker-compose.yml", () => {
  const services = compose.services;
  const postgres = Object.entries(services).find(([, service]) => /^postgres(:|$)/.test(service.image ?? ""));
  const app = Object.entries(services).find(([, service]) => service.build !== undefined);

  it("has the app (built from the Dockerfile) and an official postgres image", () => {
    expect(postgres, "a service with image postgres:<tag>").toBeDefined();
    expect(app, "a service with build:").toBeDefined();
    expect(postgres?.[1].image).toMatch(/^postgres:\d+/); // pinned major, not :latest
  });

  it("keeps Postgres data in a named volume", () => {
    const [, db] = postgres!;
    const mount = db.volumes?.find((volume) => volume.endsWith(":/var/lib/postgresql/data"));
    expect(mount).toBeDefined();
    const volumeName = mount!.split(":")[0]!;
    expect(compose.volumes).toHaveProperty(volumeName);
  });

  it("health-checks both services and starts the app only once Postgres is healthy", () => {
    const [dbName, db] = postgres!;
    const [, appService] = app!;
    expect(db.healthcheck?.test?.join(" ")).toMatch(/pg_isready/);
    expect(appService.healthcheck?.test?.join(" ")).toMatch(/\/api\/health/);
    expect(appService.depends_on?.[dbName]?.condition).toBe("service_healthy");
  });

  it("points the app's DATABASE_URL at the postgres service with its credentials", () => {
    const [dbName, db] = postgres!;
    const url = new URL(app![1].environment?.DATABASE_URL ?? "");
    expect(url.protocol).toBe("postgresql:");
    expect(url.hostname).toBe(dbName);
    expect(url.username).toBe(db.environment?.POSTGRES_USER);
    expect(url.password).toBe(db.environment?.POSTGRES_PASSWORD);
    expect(url.pathname).toBe(`/${db.environment?.POSTGRES_DB}`);
    expect(app![1].ports).toContain("3000:3000");
  });
});

describe("Dockerfile", () => {
  it("builds on Node 24 with the pnpm of package.json's packageManager and a frozen lockfile", () => {
    expect(dockerfile).toMatch(/^FROM node:24-slim/m);
    expect(dockerfile).toMatch(/^RUN npm install --global "\$\(node -p "require\('\.\/package\.json'\)\.packageManager\.split\('\+'\)\[0\]"\)"$/m);
    expect(dockerfile).toMatch(/pnpm install --frozen-lockfile/);
  });

  it("applies migrations with prisma migrate deploy before serving", () => {
    const cmd = dockerfile.split("\n").find((line) => line.startsWith("CMD"));
    expect(cmd).toBeDefined();
    expect(cmd!.indexOf("prisma migrate deploy")).toBeGreaterThan(-1);
    expect(cmd!.indexOf("prisma migrate deploy")).toBeLessThan(cmd!.indexOf("dist/server.js"));
  });
});

describe("the pnpm version", () => {
  it("is written once, in package.json's packageManager: nothing else in the repository repeats it", async () => {
    const { packageManager } = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as { packageManager: string };
    const version = /^pnpm@(\d+\.\d+\.\d+)/.exec(packageManager)?.[1];
    expect(version, packageManager).toBeDefined();
    const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: repoRoot, encoding: "utf8" }).split("\0").filter(Boolean);
    expect(tracked).toContain("Dockerfile");
    // The lockfile is pnpm's own output: a dependency's version there may equal pnpm's by chance.
    const others = tracked.filter((file) => file !== "package.json" && file !== "pnpm-lock.yaml");
    const repeating: string[] = [];
    for (const file of others) {
      const text = await readFile(path.join(repoRoot, file), "utf8").catch(() => "");
      if (text.includes(version!)) repeating.push(file);
    }
    expect(repeating).toEqual([]);
  });
});
