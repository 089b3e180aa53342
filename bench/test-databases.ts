import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "../src/dialect/connect.js";
import type { ConnectionConfig, DialectName } from "../src/dialect/dialect.js";
import { Migrator } from "../src/migration/migrator.js";
import { closeTestDatabases, createTestDatabase, templateManagers, type TestDatabaseOptions } from "../src/testing/create-test-database.js";
import { SQLITE_FOLDER } from "../src/testing/sqlite-backend.js";
import type { ResultRow } from "./lib/contenders.js";
import { createBenchDatabase } from "./lib/databases.js";
import { writeMortarProject } from "./lib/generate.js";
import { median } from "./lib/measure.js";
import { REPO_ROOT } from "./lib/paths.js";

const COUNT = 200;

/**
 * test-databases: a fresh migrated database per test. Two hundred generated migrations;
 * the reference is what a suite does without mortar/testing — `migrate:fresh` through the
 * library (connect, fresh(), close) on one database. Contenders, all in this process after
 * the template is built (untimed; a suite pays it once):
 * - `create (pool warm)`: createTestDatabase when a ready copy waits in the pool — the cost
 *   a test pays when tests last at least as long as a copy takes (the pool refills meanwhile);
 * - `drop()`: removing that copy (a test's afterEach);
 * - `create+drop back-to-back`: both with no pause, so the pool never refills ahead (the
 *   cost when tests take no time at all);
 * - `create (copy on demand)` and, on PostgreSQL, the same with `STRATEGY FILE_COPY`:
 *   no pool, each copy made when asked (what decided the pool and the strategy).
 * Ratios are each median over the reference's median (below 1: faster); the speed-up is its inverse.
 */
export async function testDatabases(dialect: DialectName, runs: number): Promise<ResultRow[]> {
  const dir = mkdtempSync(join(tmpdir(), "mortar-bench-tdb-"));
  const server = await createBenchDatabase(dialect, "tdb");
  let template: string | undefined;
  const saved = { pool: process.env.MORTAR_TEST_POOL_SIZE, strategy: process.env.MORTAR_TEST_PG_STRATEGY };
  try {
    writeMortarProject(dir, COUNT, REPO_ROOT);
    const path = join(dir, "databases/migrations");
    const options: TestDatabaseOptions = { connection: dialect === "sqlite" ? { driver: "sqlite" } : server.config, path };

    const fresh = async () => {
      const db = await connect(server.config);
      try {
        const result = await new Migrator(db, { path }).fresh();
        if (result.error) throw new Error(result.error.message);
      } finally {
        await db.close();
      }
    };
    const samples: Record<string, number[]> = {};
    const add = (name: string, ms: number) => (samples[name] ??= []).push(ms);
    const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
      const start = performance.now();
      const value = await fn();
      return [value, performance.now() - start];
    };
    const poolFull = () => Promise.all(templateManagers().map((m) => m.pool.full()));

    await fresh(); // warm-up: imports, checksum cache
    const first = await createTestDatabase(options); // builds the template
    template = first.template;
    await first.drop();
    for (let round = 0; round < runs; round++) {
      add("migrate:fresh (reference)", (await timed(fresh))[1]);

      await poolFull();
      const [copy, createMs] = await timed(() => createTestDatabase(options));
      add("create (pool warm)", createMs);
      add("drop()", (await timed(() => copy.drop()))[1]);
    }
    // Tests that take no time: pairs with no pause, so after the ready copies are used up
    // each create waits for a copy to be made.
    await poolFull();
    for (let round = 0; round < runs + 2; round++) {
      const [, pairMs] = await timed(async () => (await createTestDatabase(options)).drop());
      add("create+drop back-to-back", pairMs);
    }

    // Without a pool (and, on PostgreSQL, with FILE_COPY): the figures behind the defaults.
    const onDemand = async (label: string, strategy?: string) => {
      await closeTestDatabases();
      process.env.MORTAR_TEST_POOL_SIZE = "0";
      if (strategy) process.env.MORTAR_TEST_PG_STRATEGY = strategy;
      else delete process.env.MORTAR_TEST_PG_STRATEGY;
      await (await createTestDatabase(options)).drop(); // warm-up (template reused)
      for (let round = 0; round < runs; round++) {
        const [copy, ms] = await timed(() => createTestDatabase(options));
        add(label, ms);
        await copy.drop();
      }
    };
    await onDemand("create (copy on demand)");
    if (dialect === "postgres") await onDemand("create (on demand, FILE_COPY)", "file_copy");
    await closeTestDatabases();

    const reference = "migrate:fresh (reference)";
    const refMs = median(samples[reference]!);
    return Object.entries(samples).map(([contender, list]) => {
      const ms = median(list);
      return {
        workload: "test-db-200",
        dialect,
        contender,
        medianMs: Math.round(ms * 10) / 10,
        samplesMs: list.map((s) => Math.round(s * 10) / 10),
        peakRssKiB: Math.round(process.memoryUsage().rss / 1024),
        ratio: Math.round((ms / refMs) * 1000) / 1000,
        reference,
      };
    });
  } finally {
    await closeTestDatabases();
    restore("MORTAR_TEST_POOL_SIZE", saved.pool);
    restore("MORTAR_TEST_PG_STRATEGY", saved.strategy);
    // The template outlives the process by design; the bench removes its own.
    if (template) await dropTemplate(server.config, template);
    await server.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

async function dropTemplate(config: ConnectionConfig, name: string): Promise<void> {
  if (config.driver === "sqlite") return rmSync(join(SQLITE_FOLDER, `${name}.sqlite`), { force: true });
  const db = await connect(config);
  try {
    await db.execute(`drop database if exists ${db.grammar.quoteIdentifier(name)}`);
  } finally {
    await db.close();
  }
}
