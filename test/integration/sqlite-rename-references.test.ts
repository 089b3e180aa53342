import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { connect } from "../../src/dialect/connect.js";
import { Migrator } from "../../src/migration/migrator.js";
import { createTestDatabase } from "../support/databases.js";
import { withMigrationFiles } from "../support/migration-files.js";

// SQLite's parent check after a migration (it runs with enforcement off) must follow a
// rename in the same migration: ALTER TABLE … RENAME rewrites the keys pointing at the
// table, so a key declared before the rename references the new name.

const migration = (body: string) => `import { Migration } from "mortar";
export default class M extends Migration {
  async up() {
${body}
  }
  async down() {}
}
`;

async function migrateOnSqlite(files: Record<string, string>) {
  const database = await createTestDatabase("sqlite");
  const db = await connect(database.config);
  try {
    return await withMigrationFiles(files, async (dir) => {
      const result = await new Migrator(db, { path: dir }).migrate();
      const tables = await db.schema.getTables();
      const keys = tables.includes("posts") ? await db.schema.getForeignKeys("posts") : [];
      return { result, tables, keys };
    });
  } finally {
    await db.close();
    await database.drop();
  }
}

test("a key added to a table that the same migration then renames passes the parent check", async () => {
  const { result, tables, keys } = await migrateOnSqlite({
    "2026_01_01_000000_authors_then_rename.ts": migration(`
    await this.schema.create("authors", (t) => { t.id(); });
    await this.schema.create("posts", (t) => { t.id(); t.foreignId("author_id").constrained("authors"); });
    await this.schema.rename("authors", "writers");`),
  });
  assert.equal(result.error, undefined, result.error?.message);
  assert.ok(tables.includes("writers") && !tables.includes("authors"));
  assert.deepEqual(keys.map((k) => k.foreignTable), ["writers"]);
});

test("the child renamed after its key is declared passes too", async () => {
  const { result, tables } = await migrateOnSqlite({
    "2026_01_01_000000_child_rename.ts": migration(`
    await this.schema.create("authors", (t) => { t.id(); });
    await this.schema.create("drafts", (t) => { t.id(); t.foreignId("author_id").constrained("authors"); });
    await this.schema.table("drafts", (t) => t.rename("posts"));`),
  });
  assert.equal(result.error, undefined, result.error?.message);
  assert.ok(tables.includes("posts"));
});

test("a key to a table that does not exist still fails, also when another table is renamed", async () => {
  const { result, tables } = await migrateOnSqlite({
    "2026_01_01_000000_ghost.ts": migration(`
    await this.schema.create("authors", (t) => { t.id(); });
    await this.schema.create("posts", (t) => { t.id(); t.foreignId("ghost_id").constrained("ghosts"); });
    await this.schema.rename("authors", "writers");`),
  });
  assert.match(result.error?.message ?? "", /references table "ghosts", which does not exist/);
  assert.ok(!tables.includes("posts") && !tables.includes("writers"), "the migration rolled back");
});
