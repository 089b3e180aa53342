import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "../../src/dialect/connect.js";
import type { ConnectionConfig } from "../../src/dialect/dialect.js";
import type { ResultRow } from "../lib/contenders.js";
import { createBenchDatabase, type BenchDatabase } from "../lib/databases.js";
import { watchIndexBuilds } from "../lib/index-build-watch.js";
import { median } from "../lib/measure.js";
import { MORTAR_BIN, REPO_ROOT } from "../lib/paths.js";
import { startWriteLoad, type WriteLoadResult } from "../lib/write-load.js";

/** Issue 14's table: at least a million rows. */
export const ROWS = 1_000_000;
/** Issue 14's goal for `mortar migrate --safe`: no write waits longer than this. */
export const SAFE_STALL_GOAL_MS = 1000;
/** Each run seeds a million rows: a few runs are enough to see a stall of seconds. */
const MAX_RUNS = 3;
const TABLE = "items";
const INDEX = "items_email_index";
const MIGRATION = "2026_01_01_000001_add_email_index_to_items";
/** Writes before the migration starts and after it ends, so the window holds the whole of it. */
const QUIET_MS = 1000;
const TAIL_MS = 300;
/** Hard bounds: no loop or child outlives a broken run by more than this. */
const LIMIT_MS = 120_000;

interface Outcome {
  readonly quiet: WriteLoadResult;
  readonly during: WriteLoadResult;
  readonly buildMs: number;
}

const contenders = [
  { name: "plain", args: ["migrate"] },
  { name: "--safe", args: ["migrate", "--safe"] },
] as const;
type ContenderName = (typeof contenders)[number]["name"];

/**
 * index-stall (PostgreSQL): the longest write stall an application sees while a migration
 * adds an index to a table of a million rows, under `mortar migrate` (CREATE INDEX holds a
 * SHARE lock, so every insert and update waits for the whole build) and under
 * `mortar migrate --safe` (CREATE INDEX CONCURRENTLY after the migration commits). The
 * load is a bounded loop of single-row writes on its own connection; each figure is the
 * median over the runs of one run's longest write. A fresh database is seeded per run and
 * both contenders run on it, alternating which goes first; between them the index and the
 * tracking row are removed (untimed, with no load).
 */
export async function indexStall(runs: number): Promise<ResultRow[]> {
  const dir = mkdtempSync(join(tmpdir(), "mortar-bench-stall-"));
  const outcomes = new Map<ContenderName, Outcome[]>(contenders.map((c) => [c.name, []]));
  try {
    writeProject(dir);
    for (let round = 0; round < Math.min(runs, MAX_RUNS); round++) {
      const bench = await createBenchDatabase("postgres", `stall_${round}`);
      try {
        await seed(bench.config);
        if (round === 0) await mortar(dir, bench, ["migrate", "--pretend"]); // warms the compiled-migration cache
        for (let k = 0; k < contenders.length; k++) {
          const c = contenders[(round + k) % contenders.length]!;
          const outcome = await measure(dir, bench, c.args);
          outcomes.get(c.name)!.push(outcome);
          console.log(
            `  index-stall run ${round + 1} ${c.name.padEnd(6)}: longest write ${ms(outcome.during.maxMs)} ms (p99 ${ms(outcome.during.p99Ms)}, median ${ms(outcome.during.medianMs)}, ${outcome.during.writes} writes); ` +
              `index build ${ms(outcome.buildMs)} ms; before the migration, longest ${ms(outcome.quiet.maxMs)} ms over ${outcome.quiet.writes} writes`,
          );
          await undo(bench.config);
        }
      } finally {
        await bench.drop();
      }
    }
    return rows(outcomes);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function rows(outcomes: Map<ContenderName, Outcome[]>): ResultRow[] {
  const all = [...outcomes.values()].flat();
  const stall = (list: readonly Outcome[]) => list.map((o) => o.during.maxMs);
  const build = (list: readonly Outcome[]) => list.map((o) => o.buildMs);
  const safeStall = median(stall(outcomes.get("--safe")!));
  const plainBuild = median(build(outcomes.get("plain")!));
  const row = (contender: string, samples: number[], reference: string, referenceMs: number): ResultRow => ({
    workload: "index-stall",
    dialect: "postgres",
    contender,
    medianMs: ms(median(samples)),
    samplesMs: samples.map(ms),
    peakRssKiB: 0,
    ratio: Math.round((median(samples) / referenceMs) * 100) / 100,
    reference,
  });
  return [
    row("plain: longest write stall", stall(outcomes.get("plain")!), "--safe: longest write stall", safeStall),
    row("--safe: longest write stall", stall(outcomes.get("--safe")!), "--safe: longest write stall", safeStall),
    row("no migration: longest write", all.map((o) => o.quiet.maxMs), "--safe: longest write stall", safeStall),
    row("plain: index build", build(outcomes.get("plain")!), "plain: index build", plainBuild),
    row("--safe: index build (concurrently)", build(outcomes.get("--safe")!), "plain: index build", plainBuild),
  ];
}

/**
 * One contender on a seeded table: a second of load alone (the machine's own write
 * latency), then the migration as a child process under the same load until it exits and
 * a moment after, while a third connection times the index build.
 */
async function measure(dir: string, bench: BenchDatabase, args: readonly string[]): Promise<Outcome> {
  const quietLoad = await startWriteLoad(bench.config, TABLE, ROWS, LIMIT_MS);
  await sleep(QUIET_MS);
  const quiet = await quietLoad.stop();
  const load = await startWriteLoad(bench.config, TABLE, ROWS, LIMIT_MS);
  const watch = await watchIndexBuilds(bench.config, LIMIT_MS);
  let during: WriteLoadResult;
  let buildMs: number;
  try {
    await mortar(dir, bench, args);
    await sleep(TAIL_MS);
  } finally {
    during = await load.stop();
    buildMs = await watch.stop();
  }
  if (buildMs === 0) throw new Error(`index-stall: mortar ${args.join(" ")} built no index that could be seen`);
  return { quiet, during, buildMs };
}

/** A table of ROWS rows built in one statement, vacuumed so no contender pays for hint bits. */
async function seed(config: ConnectionConfig): Promise<void> {
  const db = await connect(config);
  try {
    const q = (name: string) => db.grammar.quoteIdentifier(name);
    await db.execute(
      `create table ${q(TABLE)} (${q("id")} bigserial primary key, ${q("account_id")} integer not null, ${q("email")} varchar(255) not null, ` +
        `${q("amount")} integer not null default 0, ${q("created_at")} timestamptz not null default now())`,
    );
    await db.execute(
      `insert into ${q(TABLE)} (${q("account_id")}, ${q("email")}, ${q("amount")}) ` +
        `select g % 1000, md5(g::text) || '@example.com', g % 100 from generate_series(1, ${db.grammar.parameter(1)}::integer) as g`,
      [ROWS],
    );
    await db.execute(`vacuum analyze ${q(TABLE)}`);
  } finally {
    await db.close();
  }
}

/** Make the migration pending again: its index and its tracking row go. */
async function undo(config: ConnectionConfig): Promise<void> {
  const db = await connect(config);
  try {
    const q = (name: string) => db.grammar.quoteIdentifier(name);
    await db.execute(`drop index if exists ${q(INDEX)}`);
    await db.execute(`delete from ${q("migrations")} where ${q("migration")} = ${db.grammar.parameter(1)}`, [MIGRATION]);
  } finally {
    await db.close();
  }
}

/** A user project with the one migration, mortar linked as `npm install` would. */
function writeProject(dir: string): void {
  mkdirSync(join(dir, "databases/migrations"), { recursive: true });
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "bench-stall", private: true, type: "module" }));
  if (!existsSync(join(dir, "node_modules/mortar"))) symlinkSync(REPO_ROOT, join(dir, "node_modules/mortar"), "dir");
  writeFileSync(
    join(dir, `databases/migrations/${MIGRATION}.ts`),
    `import { Migration } from "mortar";

export default class AddEmailIndexToItems extends Migration {
  async up(): Promise<void> {
    await this.schema.table("${TABLE}", (t) => {
      t.index("email", "${INDEX}");
    });
  }

  async down(): Promise<void> {
    await this.schema.table("${TABLE}", (t) => {
      t.dropIndex("${INDEX}");
    });
  }
}
`,
  );
}

/** `mortar args…` in the project, to completion; anything but exit 0 fails the workload. */
function mortar(cwd: string, bench: BenchDatabase, args: readonly string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [MORTAR_BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1", ...bench.env },
    });
    const timer = setTimeout(() => child.kill(), LIMIT_MS);
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise();
      else reject(new Error(`mortar ${args.join(" ")} exited ${code}\n${output}`.slice(0, 2000)));
    });
  });
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));
const ms = (n: number) => Math.round(n * 10) / 10;
