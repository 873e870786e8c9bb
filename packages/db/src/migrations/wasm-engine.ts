import { readFile } from "node:fs/promises";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SchemaEngine, SchemaFilter } from "@prisma/schema-engine-wasm";
import pg from "pg";
import { poolConfigFromUrl } from "../database-url.js";
import { schemaPath } from "../paths.js";

import type * as WasmBindingsModule from "@prisma/schema-engine-wasm/schema_engine_bg";

type WasmBindings = typeof WasmBindingsModule;

// Node has WebAssembly, but @types/node does not declare it without the DOM lib.
interface WasmRuntime {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const { WebAssembly } = globalThis as unknown as { WebAssembly: WasmRuntime };

let bindings: Promise<WasmBindings> | undefined;

/**
 * The engine arms 10 s timeout timers (query/lock guards) that outlive the command, so a CLI
 * would linger 10 s after finishing. Unref'd timers still fire but no longer hold the process.
 */
function withUnrefTimers(glue: Record<string, unknown>): Record<string, unknown> {
  const imports: Record<string, unknown> = { ...glue };
  for (const [name, value] of Object.entries(glue)) {
    if (name.startsWith("__wbg_setTimeout_") && typeof value === "function") {
      imports[name] = (...args: unknown[]) => {
        const timer = (value as (...a: unknown[]) => { unref?: () => void })(...args);
        timer.unref?.();
        return timer;
      };
    }
  }
  return imports;
}

/**
 * Instantiates Prisma's schema engine compiled to wasm. The package's entry point imports the
 * .wasm file as an ES module, which Node 20 cannot do, so we compile it ourselves and hand the
 * instance to the wasm-bindgen glue. Once per process: the glue keeps the instance in a global.
 */
function loadBindings(): Promise<WasmBindings> {
  bindings ??= (async () => {
    const glueUrl = import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const glue = (await import(glueUrl)) as WasmBindings & { __wbg_set_wasm(exports: unknown): void };
    const wasmPath = path.join(path.dirname(fileURLToPath(glueUrl)), "schema_engine_bg.wasm");
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
      "./schema_engine_bg.js": withUnrefTimers(glue),
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
    return glue;
  })();
  return bindings;
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

type QueryResultLike = { fields?: { dataTypeID: number }[] };

/**
 * The engine reads Postgres catalogs (pg_class.relkind, pg_constraint.contype, ...) whose columns
 * have the one-byte type "char", which PrismaPg rejects as unsupported. Its text form is just the
 * character, so labelling those columns as text is lossless.
 */
class ClientReadingCharAsText extends pg.Client {
  // pg's query() has many overloads (promise and callback); we only relabel result fields.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one signature that stands for all of pg's overloads
  override query(...args: unknown[]): any {
    const last = args.at(-1);
    if (typeof last === "function") {
      const callback = last as (error: unknown, result: unknown) => void;
      args[args.length - 1] = (error: unknown, result: QueryResultLike | QueryResultLike[]) => callback(error, error ? result : relabelCharColumns(result));
    }
    const pending = (super.query as (...a: unknown[]) => unknown)(...args);
    return pending instanceof Promise ? pending.then(relabelCharColumns) : pending;
  }
}

function relabelCharColumns(result: QueryResultLike | QueryResultLike[]): QueryResultLike | QueryResultLike[] {
  for (const single of Array.isArray(result) ? result : [result]) {
    for (const field of single?.fields ?? []) {
      if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    }
  }
  return result;
}

/**
 * PrismaPg, except for the shadow database: PrismaPg drops it while its own pool still holds a
 * connection, so the DROP fails and the database is left behind. Here the pool ends first and
 * the DROP forces out anything left.
 */
class PgWithDisposableShadow implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres";
  readonly adapterName: string;
  private readonly main: PrismaPg;

  constructor(private readonly pool: pg.Pool) {
    this.main = new PrismaPg(pool);
    this.adapterName = this.main.adapterName;
  }

  connect(): Promise<SqlDriverAdapter> {
    return this.main.connect();
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const name = `prisma_migrate_shadow_db_${randomUUID()}`;
    await this.pool.query(`CREATE DATABASE "${name}"`);
    const shadowPool = new pg.Pool({ ...this.pool.options, database: name, max: 2 });
    shadowPool.on("error", () => {
      // connections still closing when the forced DROP terminates them
    });
    const adapter = await new PrismaPg(shadowPool).connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await shadowPool.end();
      await this.pool.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    };
    return adapter;
  }
}

/**
 * Runs `use` with a schema engine talking to Postgres through Prisma's pg driver adapter, then
 * frees the engine and closes the pool (an idle pool would keep the process alive). The pool
 * gets discrete settings, not the URL, so the shadow database the adapter creates for diffs
 * really is another database (pg lets a connectionString override `database`).
 */
export async function withWasmSchemaEngine<T>(databaseUrl: string, use: (engine: SchemaEngine) => Promise<T>, onLog?: (line: string) => void): Promise<T> {
  const glue = await loadBindings();
  const pool = new pg.Pool({ ...poolConfigFromUrl(databaseUrl), max: 2, Client: ClientReadingCharAsText });
  pool.on("error", () => {
    // idle-client errors resurface on the next query; nothing to do here
  });
  try {
    const schema = await readFile(schemaPath, "utf8");
    const adapter = bindMigrationAwareSqlAdapterFactory(new PgWithDisposableShadow(pool));
    const engine = await glue.SchemaEngine.new({ datamodels: [[path.basename(schemaPath), schema]] }, (line: string) => onLog?.(line), adapter);
    try {
      return await use(engine);
    } finally {
      engine.free();
    }
  } finally {
    await pool.end();
  }
}

/** No tables or enums are managed outside Prisma. */
export const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };
