import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { DialectName } from "../../src/dialect/dialect.js";
import { compare, planPath, writeJson, type Contender, type ResultRow } from "../lib/contenders.js";
import { createBenchDatabase } from "../lib/databases.js";
import { floorStatements, writeKnexProject, writeMortarProject } from "../lib/generate.js";
import { BENCH_DIR, KNEX_BIN, MORTAR_BIN, REPO_ROOT } from "../lib/paths.js";

const COUNT = 200;

/**
 * migrate-200 and reset: two hundred generated migrations, each creating a table, then
 * rolling all of them back. Mortar (`migrate` / `migrate:reset`, TypeScript files) against
 * knex (`migrate:latest` / `migrate:rollback --all`, the same schema in knex's syntax) and
 * the floor (the same DDL through the same driver, one tracking row per migration).
 */
export async function migrate200(dialect: DialectName, runs: number): Promise<ResultRow[]> {
  const dir = mkdtempSync(join(tmpdir(), "mortar-bench-m200-"));
  const labels = ["mortar", "knex", "floor", ...(dialect === "mysql" ? ["tracked"] : [])];
  const databases = await Promise.all(labels.map((label) => createBenchDatabase(dialect, `${label}_${dialect}`)));
  const [mortarDb, knexDb, floorDb, trackedDb] = databases as [(typeof databases)[0], (typeof databases)[0], (typeof databases)[0], (typeof databases)[0] | undefined];
  try {
    const mortarDir = join(dir, "mortar");
    const knexDir = join(dir, "knex");
    writeMortarProject(mortarDir, COUNT, REPO_ROOT);
    writeKnexProject(knexDir, COUNT, knexDb.knex, REPO_ROOT);
    const migrations = Array.from({ length: COUNT }, (_, i) => floorStatements(dialect, i + 1));
    const plan = writeJson(planPath(dir), { dialect, connection: floorDb.floor, migrations });
    const trackedPlan = trackedDb ? writeJson(join(dir, "floor-plan-tracked.json"), { dialect, connection: trackedDb.floor, migrations }) : "";
    const floorScript = resolve(BENCH_DIR, "floor.mjs");
    const tools = {
      mortar: { up: [MORTAR_BIN, "migrate"], down: [MORTAR_BIN, "migrate:reset"], cwd: mortarDir, env: mortarDb.env, db: mortarDb },
      knex: { up: [KNEX_BIN, "migrate:latest"], down: [KNEX_BIN, "migrate:rollback", "--all"], cwd: knexDir, env: {}, db: knexDb },
      floor: { up: [floorScript, plan, "up"], down: [floorScript, plan, "down"], cwd: dir, env: {}, db: floorDb },
      // MySQL/MariaDB only: the floor plus the bookkeeping Mortar adds there (DDL cannot
      // roll back, so the tracking row is written before each statement). Not a target:
      // it shows how much of Mortar's time over the floor that safety accounts for.
      ...(dialect === "mysql"
        ? { "floor + tracking": { up: [floorScript, trackedPlan, "up", "tracked"], down: [floorScript, trackedPlan, "down", "tracked"], cwd: dir, env: {}, db: trackedDb! } }
        : {}),
    };
    const up: Contender[] = Object.entries(tools).map(([name, t]) => ({
      name,
      args: t.up,
      cwd: t.cwd,
      env: t.env,
      before: () => t.db.empty(),
    }));
    const down: Contender[] = Object.entries(tools).map(([name, t]) => ({
      name,
      args: t.down,
      cwd: t.cwd,
      env: t.env,
      before: async () => {
        await t.db.empty();
        const { measureNode } = await import("../lib/measure.js");
        await measureNode(t.up, t.cwd, t.env);
      },
    }));
    return [
      ...(await compare("migrate-200", dialect, up, "floor", runs)),
      ...(await compare("reset-200", dialect, down, "floor", runs)),
    ];
  } finally {
    await Promise.all(databases.map((d) => d.drop()));
    rmSync(dir, { recursive: true, force: true });
  }
}
