import { readFileSync } from "node:fs";
import { join } from "node:path";
import { connect } from "../../src/dialect/connect.js";
import type { ConnectionConfig } from "../../src/dialect/dialect.js";
import { checksumOfSource } from "../../src/migration/loader.js";
import { MigrationRepository } from "../../src/migration/repository.js";
import { migrationName } from "../lib/generate.js";

/**
 * Record migrations 1..count as applied without running them (status and growth
 * measure the bookkeeping, not 5,000 CREATE TABLEs): Mortar's rows carry the real
 * checksums, knex's rows its own format.
 */
export async function seedMortarRows(config: ConnectionConfig, projectDir: string, count: number): Promise<void> {
  const db = await connect(config);
  try {
    const repository = new MigrationRepository(db);
    await repository.ensureTable();
    await db.transaction(async () => {
      for (let i = 1; i <= count; i++) {
        const source = readFileSync(join(projectDir, "databases/migrations", `${migrationName(i)}.ts`), "utf8");
        await repository.log(migrationName(i), 1, checksumOfSource(source), 1);
      }
    });
  } finally {
    await db.close();
  }
}

export async function seedKnexRows(config: ConnectionConfig, count: number): Promise<void> {
  const db = await connect(config);
  try {
    const g = db.grammar;
    await db.schema.create("knex_migrations", (t) => {
      t.increments("id");
      t.string("name").nullable();
      t.integer("batch").nullable();
      t.timestamp("migration_time").nullable();
    });
    await db.schema.create("knex_migrations_lock", (t) => {
      t.increments("index");
      t.integer("is_locked").nullable();
    });
    await db.execute(`insert into ${g.quoteIdentifier("knex_migrations_lock")} (${g.quoteIdentifier("is_locked")}) values (0)`);
    await db.transaction(async () => {
      for (let i = 1; i <= count; i++) {
        await db.execute(
          `insert into ${g.quoteIdentifier("knex_migrations")} (${g.columnList(["name", "batch"])}) values (${g.parameter(1)}, ${g.parameter(2)})`,
          [`${migrationName(i)}.js`, 1],
        );
      }
    });
  } finally {
    await db.close();
  }
}
