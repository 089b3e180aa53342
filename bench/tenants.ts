import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { connect } from "../src/dialect/connect.js";
import type { ConnectionConfig } from "../src/dialect/dialect.js";
import type { ResultRow } from "./lib/contenders.js";
import { writeMortarProject } from "./lib/generate.js";
import { measureNode, type Sample } from "./lib/measure.js";
import { BENCH_DIR, MORTAR_BIN, REPO_ROOT } from "./lib/paths.js";

/**
 * tenants: a fleet of 1,000 SQLite tenants × 20 migrations, and 200 PostgreSQL schemas × 20,
 * migrated by `mortar migrate --tenants --parallel N` (N = 1, 2, 4, 8), against
 *  - a shell loop running `mortar migrate` once per tenant: a sample of SHELL_SAMPLE tenants
 *    is timed and the figure extrapolated to the whole fleet (said in the contender's name);
 *  - an in-process serial loop (bench/tenants-serial.mjs): one process, a new connection and
 *    Migrator per tenant, nothing shared.
 * Each contender runs once on freshly emptied tenants (the fleet run is long enough that a
 * median of several costs minutes for little). Peak memory is each process's VmHWM.
 * BENCH_TENANTS_SQLITE=1000 BENCH_TENANTS_PG=200 BENCH_TENANTS_PARALLEL=1,2,4,8 narrow it.
 */
const SQLITE_TENANTS = Number(process.env.BENCH_TENANTS_SQLITE ?? 1000);
const PG_TENANTS = Number(process.env.BENCH_TENANTS_PG ?? 200);
const MIGRATIONS = 20;
const SHELL_SAMPLE = 50;
const PARALLEL = (process.env.BENCH_TENANTS_PARALLEL ?? "1,2,4,8").split(",").map(Number);
const PG_SERVER: ConnectionConfig = { driver: "postgres", host: "127.0.0.1", port: 5432, username: "postgres", database: "postgres" };

interface Fleet {
  readonly label: "sqlite" | "postgres";
  readonly dir: string;
  readonly ids: string[];
  /** Untimed: every tenant back to empty. */
  reset(): Promise<void>;
  /** Environment pointing a plain `mortar migrate` at one tenant. */
  envFor(id: string): Record<string, string>;
  /** The serial loop's plan entry for one tenant. */
  planFor(id: string): { connection: ConnectionConfig; schema?: string };
  drop(): Promise<void>;
}

export async function tenantsBench(): Promise<ResultRow[]> {
  const root = mkdtempSync(join(tmpdir(), "mortar-bench-tenants-"));
  const rows: ResultRow[] = [];
  try {
    for (const fleet of [sqliteFleet(root), await postgresFleet(root)]) {
      try {
        rows.push(...(await measureFleet(fleet)));
      } finally {
        await fleet.drop();
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return rows;
}

async function measureFleet(fleet: Fleet): Promise<ResultRow[]> {
  const results: { name: string; sample: Sample }[] = [];
  const workload = `tenants-${fleet.ids.length}x${MIGRATIONS}`;
  const note = (name: string, sample: Sample) => {
    results.push({ name, sample });
    console.log(`  ${workload} ${fleet.label} ${name}: ${Math.round(sample.ms)} ms, peak ${Math.round(sample.rssKiB / 1024)} MiB`);
  };

  for (const parallel of PARALLEL) {
    await fleet.reset();
    note(`fleet --parallel ${parallel}`, await measureNode([MORTAR_BIN, "migrate", "--tenants", "--parallel", String(parallel), "--json"], fleet.dir, {}));
  }

  await fleet.reset();
  const plan = join(fleet.dir, "serial-plan.json");
  writeFileSync(plan, JSON.stringify({ path: join(fleet.dir, "databases/migrations"), tenants: fleet.ids.map((id) => fleet.planFor(id)) }));
  note("in-process serial loop", await measureNode([resolve(BENCH_DIR, "tenants-serial.mjs"), plan], fleet.dir, {}));

  await fleet.reset();
  const sample = fleet.ids.slice(0, SHELL_SAMPLE);
  const shellMs = await shellLoop(fleet, sample);
  note(`shell loop (${sample.length} timed, × ${fleet.ids.length / sample.length})`, { ms: (shellMs * fleet.ids.length) / sample.length, rssKiB: 0 });

  const best = results.filter((r) => r.name.startsWith("fleet")).sort((a, b) => a.sample.ms - b.sample.ms)[0]!;
  return results.map(({ name, sample }) => ({
    workload,
    dialect: fleet.label,
    contender: name,
    medianMs: Math.round(sample.ms),
    samplesMs: [Math.round(sample.ms)],
    peakRssKiB: sample.rssKiB,
    // How many times slower than the best fleet run: the serial loop's figure is the goal's ≥ 2, the shell loop's ≥ 4.
    ratio: Math.round((sample.ms / best.sample.ms) * 100) / 100,
    reference: best.name,
  }));
}

/** `for each tenant: mortar migrate` in bash, timed as a whole. */
async function shellLoop(fleet: Fleet, ids: readonly string[]): Promise<number> {
  const script = ids.map((id) => `${Object.entries(fleet.envFor(id)).map(([k, v]) => `${k}='${v}'`).join(" ")} "${process.execPath}" "${MORTAR_BIN}" migrate >/dev/null || exit 1`).join("\n");
  const started = performance.now();
  await new Promise<void>((done, fail) => {
    const child = spawn("bash", ["-c", script], { cwd: fleet.dir, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1" }, stdio: "inherit" });
    child.on("error", fail);
    child.on("close", (code) => (code === 0 ? done() : fail(new Error(`shell loop exited ${code}`))));
  });
  return performance.now() - started;
}

function project(root: string, label: string, config: string): string {
  const dir = join(root, label);
  writeMortarProject(dir, MIGRATIONS, REPO_ROOT);
  writeFileSync(join(dir, "mortar.config.mjs"), config);
  return dir;
}

function sqliteFleet(root: string): Fleet {
  const dir = project(root, "sqlite", `export default { tenants: { glob: "databases/tenants/*.sqlite" } };\n`);
  const ids = Array.from({ length: SQLITE_TENANTS }, (_, i) => `tenant_${String(i + 1).padStart(4, "0")}`);
  const folder = join(dir, "databases/tenants");
  const file = (id: string) => join(folder, `${id}.sqlite`);
  return {
    label: "sqlite",
    dir,
    ids,
    reset: async () => {
      rmSync(folder, { recursive: true, force: true });
      mkdirSync(folder, { recursive: true });
      for (const id of ids) writeFileSync(file(id), ""); // an empty file is an empty SQLite database
    },
    envFor: (id) => ({ DB_CONNECTION: "sqlite", DB_DATABASE: file(id) }),
    planFor: (id) => ({ connection: { driver: "sqlite", database: file(id) } }),
    drop: async () => undefined,
  };
}

async function postgresFleet(root: string): Promise<Fleet> {
  const database = `mortar_bench_tenants_${process.pid}`;
  await withPostgres(PG_SERVER, async (db) => {
    await db.execute(`create database "${database}"`);
  });
  const connection: ConnectionConfig = { ...PG_SERVER, database };
  const dir = project(root, "postgres", `export default { default: "main", connections: { main: ${JSON.stringify(connection)} }, tenants: { schemas: "tenant\\\\_%" } };\n`);
  const ids = Array.from({ length: PG_TENANTS }, (_, i) => `tenant_${String(i + 1).padStart(3, "0")}`);
  return {
    label: "postgres",
    dir,
    ids,
    reset: () =>
      withPostgres(connection, async (db) => {
        for (const id of ids) await db.execute(`drop schema if exists "${id}" cascade; create schema "${id}"`);
      }),
    // pg reads PGOPTIONS: the per-tenant `mortar migrate` of a shell loop sets its schema so.
    envFor: (id) => ({ DB_CONNECTION: "postgres", DB_HOST: "127.0.0.1", DB_PORT: "5432", DB_USERNAME: "postgres", DB_DATABASE: database, PGOPTIONS: `-c search_path=${id}` }),
    planFor: (id) => ({ connection, schema: id }),
    drop: () =>
      withPostgres(PG_SERVER, async (db) => {
        await db.execute(`drop database if exists "${database}" with (force)`);
      }),
  };
}

async function withPostgres<T>(config: ConnectionConfig, fn: (db: Awaited<ReturnType<typeof connect>>) => Promise<T>): Promise<T> {
  const db = await connect(config);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

// `node dist/bench/tenants.js` runs this workload alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await tenantsBench();
  for (const r of rows) console.log(`${r.workload} ${r.dialect} ${r.contender}: ${r.medianMs} ms (${r.ratio} × ${r.reference}), peak ${Math.round(r.peakRssKiB / 1024)} MiB`);
}
