import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DialectName } from "../../src/dialect/dialect.js";
import { compare, type ResultRow } from "../lib/contenders.js";
import { createBenchDatabase } from "../lib/databases.js";
import { writeKnexProject, writeMortarProject } from "../lib/generate.js";
import { KNEX_BIN, MORTAR_BIN, REPO_ROOT } from "../lib/paths.js";
import { seedKnexRows, seedMortarRows } from "./tracking-rows.js";

const COUNT = 2000;

/** status-2000: `mortar migrate:status` over 2,000 applied migrations, against `knex migrate:list` and `node -e 0`. */
export async function status2000(dialect: DialectName, runs: number): Promise<ResultRow[]> {
  const dir = mkdtempSync(join(tmpdir(), "mortar-bench-s2000-"));
  const mortarDb = await createBenchDatabase(dialect, `smortar_${dialect}`);
  const knexDb = await createBenchDatabase(dialect, `sknex_${dialect}`);
  try {
    const mortarDir = join(dir, "mortar");
    const knexDir = join(dir, "knex");
    writeMortarProject(mortarDir, COUNT, REPO_ROOT);
    writeKnexProject(knexDir, COUNT, knexDb.knex, REPO_ROOT);
    await seedMortarRows(mortarDb.config, mortarDir, COUNT);
    await seedKnexRows(knexDb.config, COUNT);
    const rows = await compare(
      "status-2000",
      dialect,
      [
        { name: "mortar", args: [MORTAR_BIN, "migrate:status"], cwd: mortarDir, env: mortarDb.env },
        { name: "knex", args: [KNEX_BIN, "migrate:list"], cwd: knexDir, env: {} },
        { name: "node -e 0", args: ["-e", "0"], cwd: dir, env: {} },
      ],
      "knex",
      runs,
    );
    return rows;
  } finally {
    await mortarDb.drop();
    await knexDb.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
