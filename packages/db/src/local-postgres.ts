import { execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

export interface RunningPostgres {
  /** Connection URL of the maintenance database `postgres`. */
  url: string;
  stop(): Promise<void>;
}

/** Directory holding initdb/pg_ctl: `pg_config --bindir`, else the newest /usr/lib/postgresql/<v>/bin. */
export function findPostgresBinDir(): string | undefined {
  const hasTools = (dir: string) => existsSync(path.join(dir, "initdb")) && existsSync(path.join(dir, "pg_ctl"));
  try {
    const dir = execFileSync("pg_config", ["--bindir"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    if (hasTools(dir)) return dir;
  } catch {
    // pg_config is not installed (or not on PATH): look at Debian's layout
  }
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((version) => path.join(root, version, "bin")).find(hasTools);
}

/** Resolves when something accepts PostgreSQL connections at `url` within `timeoutMs`. */
export async function isPostgresReachable(url: string, timeoutMs = 2_000): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

interface ClusterUser {
  /** Prefix that runs a command as the cluster owner (postgres refuses to run as root). */
  wrap(command: string, args: string[]): [string, string[]];
  chown(dir: string): void;
}

function clusterUser(): ClusterUser {
  if (process.getuid?.() !== 0) return { wrap: (command, args) => [command, args], chown: () => {} };
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return {
    wrap: (command, args) => ["runuser", ["-u", "postgres", "--", command, ...args]],
    chown: (dir) => chownSync(dir, uid, gid),
  };
}

function run(user: ClusterUser, command: string, args: string[]): Promise<void> {
  const [file, argv] = user.wrap(command, args);
  return new Promise((resolve, reject) => {
    let output = "";
    const child = spawn(file, argv, { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} failed (${code}):\n${output}`)),
    );
  });
}

/**
 * Starts a throw-away PostgreSQL cluster from the locally installed server binaries: trust auth,
 * loopback only, fsync off, data in a temp directory that `stop()` deletes. About 2 s to start.
 */
export async function startLocalPostgresCluster(options: { port?: number } = {}): Promise<RunningPostgres> {
  const binDir = findPostgresBinDir();
  if (!binDir) {
    throw new Error("PostgreSQL server binaries not found (initdb/pg_ctl). Install them: apt-get install -y postgresql");
  }
  const user = clusterUser();
  const baseDir = mkdtempSync(path.join(tmpdir(), "siplens-pg-"));
  const dataDir = path.join(baseDir, "data");
  user.chown(baseDir);
  const port = options.port ?? (await freePort());
  const pgCtl = path.join(binDir, "pg_ctl");
  try {
    await run(user, path.join(binDir, "initdb"), ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
    const serverOptions = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${baseDir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    await run(user, pgCtl, ["-D", dataDir, "-o", serverOptions, "-l", path.join(baseDir, "server.log"), "-w", "-t", "60", "start"]);
  } catch (error) {
    rmSync(baseDir, { recursive: true, force: true });
    throw error;
  }
  let stopped = false;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await run(user, pgCtl, ["-D", dataDir, "-m", "immediate", "-w", "stop"]).catch(() => {});
      rmSync(baseDir, { recursive: true, force: true });
    },
  };
}
