import assert from "node:assert/strict";
import { dirname } from "node:path";
import { after, before, describe, test } from "node:test";
import { connect } from "../../src/dialect/connect.js";
import type { Database } from "../../src/dialect/database.js";
import { Migrator } from "../../src/migration/migrator.js";
import { dumpSchema, loadSchemaDump, readSchemaModel, type SchemaModel } from "../../src/schema-dump/index.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../support/databases.js";
import { createProject, type TempProject } from "../support/project.js";
import { copySchemaProject, schemaProjectMigrationCount } from "../support/schema-project.js";

// Nothing here may lean on pg_dump, mysqldump or sqlite3: only node's own folder is on PATH.
process.env.PATH = dirname(process.execPath);

test("the schema fixture project holds at least 30 migrations", () => {
  assert.ok(schemaProjectMigrationCount() >= 30);
});

for (const dialect of DIALECTS) {
  describe(`schema dump on ${dialect}`, () => {
    let project: TempProject;
    let migrated: TestDatabase;
    let loaded: TestDatabase;
    let db: Database;
    let replayed: SchemaModel;
    let dump: string;

    before(async () => {
      project = createProject("module");
      migrated = await createTestDatabase(dialect);
      loaded = await createTestDatabase(dialect);
      db = await connect(migrated.config);
      const result = await new Migrator(db, { path: copySchemaProject(project) }).migrate();
      assert.equal(result.error, undefined, result.error?.message);
      replayed = await readSchemaModel(db);
      dump = await dumpSchema(db);
    });

    after(async () => {
      await db?.close();
      await migrated?.drop();
      await loaded?.drop();
      project?.cleanup();
    });

    test("the model holds what the fixtures made", () => {
      const names = replayed.tables.map((t) => t.name);
      for (const table of ["all_types", "articles", "authors", "migrations", "moods"].filter((t) => dialect !== "sqlite" || t !== "moods")) {
        assert.ok(names.includes(table), `${table} in ${names.join(", ")}`);
      }
      assert.deepEqual(
        replayed.views.map((v) => v.name).filter((v) => v.startsWith("a_") || v.startsWith("z_")),
        ["a_author_totals", "z_published_articles"],
      );
      const articles = replayed.tables.find((t) => t.name === "articles")!;
      const actions = Object.fromEntries(articles.foreignKeys.map((fk) => [fk.columns[0], fk.onDelete]));
      assert.equal(actions.author_id, "cascade");
      assert.equal(actions.editor_id, "set null");
      assert.equal(actions.reviewer_id, "restrict");
      if (dialect !== "mysql") {
        const partial = replayed.tables.find((t) => t.name === "authors")!.indexes.find((i) => i.name === "authors_active_email_index");
        assert.match(partial?.definition ?? "", /where/i);
      }
      if (dialect === "sqlite") assert.equal(articles.triggers.length, 1);
      if (dialect === "postgres") {
        assert.deepEqual(replayed.enumTypes, [{ name: "mood", values: ["happy", "sad", "it's complicated"] }]);
        assert.ok(replayed.sequences.some((s) => s.name === "invoice_numbers" && s.start === "1000"));
      }
    });

    test("the dump holds the tracking rows and no counters", () => {
      assert.equal(dump.match(/^insert into /gm)?.length, schemaProjectMigrationCount());
      assert.doesNotMatch(dump, /AUTO_INCREMENT=\d/);
    });

    test("two dumps of one database are byte-identical", async () => {
      assert.equal(await dumpSchema(db), dump);
    });

    test("the schema after loading the dump equals the schema after replaying every migration", async () => {
      const target = await connect(loaded.config);
      try {
        await loadSchemaDump(target, dump);
        assert.deepEqual(await readSchemaModel(target), replayed);
        // Dumped again, the loaded database gives the same bytes.
        assert.equal(await dumpSchema(target), dump);
        // Every migration is recorded as ran: nothing is left to migrate.
        const again = await new Migrator(target, { path: copySchemaProject(project) }).migrate();
        assert.equal(again.error, undefined, again.error?.message);
        assert.deepEqual(again.migrations, []);
      } finally {
        await target.close();
      }
    });
  });
}
