import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "../../src/dialect/connect.js";
import type { DialectName } from "../../src/dialect/dialect.js";
import { compare, type Contender, type ResultRow } from "../lib/contenders.js";
import { createBenchDatabase, type BenchDatabase } from "../lib/databases.js";
import { migrationName, tableName, writeMortarProject } from "../lib/generate.js";
import { MORTAR_BIN, REPO_ROOT } from "../lib/paths.js";
import { seedMortarRows } from "./tracking-rows.js";

const SIZES = [10, 1000, 5000];

/**
 * growth: `mortar migrate` with one pending migration over 10, 1,000 and 5,000 applied
 * ones. The pending migration creates the first table (the applied ones are only
 * recorded); after each timed run it is undone, untimed.
 */
export async function growth(dialect: DialectName, runs: number): Promise<ResultRow[]> {
  const dir = mkdtempSync(join(tmpdir(), "mortar-bench-growth-"));
  const databases: BenchDatabase[] = [];
  try {
    const contenders: Contender[] = [];
    for (const applied of SIZES) {
      const db = await createBenchDatabase(dialect, `g${applied}_${dialect}`);
      databases.push(db);
      const project = join(dir, `applied-${applied}`);
      // Files 1..applied+1; rows for 2..applied+1, so migration 1 (no foreign key) is the pending one.
      writeMortarProject(project, applied + 1, REPO_ROOT);
      await seedMortarRows(db.config, project, applied + 1);
      await forget(db, 1);
      contenders.push({
        name: `1 pending over ${applied}`,
        args: [MORTAR_BIN, "migrate"],
        cwd: project,
        env: db.env,
        after: () => forget(db, 1, true),
      });
    }
    return await compare("growth", dialect, contenders, "1 pending over 10", runs);
  } finally {
    await Promise.all(databases.map((d) => d.drop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Make migration i pending again: delete its row and (after a run) its table. */
async function forget(bench: BenchDatabase, i: number, dropTable = false): Promise<void> {
  const db = await connect(bench.config);
  try {
    const g = db.grammar;
    await db.execute(`delete from ${g.quoteIdentifier("migrations")} where ${g.quoteIdentifier("migration")} = ${g.parameter(1)}`, [migrationName(i)]);
    if (dropTable) await db.schema.dropIfExists(tableName(i));
  } finally {
    await db.close();
  }
}
