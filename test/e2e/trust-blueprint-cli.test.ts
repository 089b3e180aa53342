/**
 * The Blueprint's order and error guarantees as a user meets them, through the real
 * `mortar` binary on every dialect: a migration that renames a column and then changes
 * it runs (and rolls back), and an error inside `withoutForeignKeyConstraints` is
 * reported as the database's own message, never as PostgreSQL's "current transaction
 * is aborted", with the database left as it was.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ColumnInfo } from "../../src/dialect/dialect.js";
import { createTestDatabase, DIALECTS, type TestDatabase, withConnection } from "../support/databases.js";
import { createProject, type TempProject } from "../support/project.js";

const CREATE_PEOPLE = `import { Migration } from "mortar";
export default class CreatePeople extends Migration {
  async up() {
    await this.schema.create("people", (t) => { t.increments("id"); t.string("name", 50); });
    await this.db.execute("insert into people (name) values ('Ada'), ('Grace')");
  }
  async down() { await this.schema.drop("people"); }
}
`;

const RENAME_THEN_CHANGE = `import { Migration } from "mortar";
export default class RenameThenChange extends Migration {
  async up() {
    await this.schema.table("people", (t) => {
      t.renameColumn("name", "full_name");
      t.string("full_name", 120).nullable().change();
    });
  }
  async down() {
    await this.schema.table("people", (t) => {
      t.string("full_name", 50).change();
      t.renameColumn("full_name", "name");
    });
  }
}
`;

const FAILS_WITHOUT_KEYS = `import { Migration } from "mortar";
export default class FailsWithoutKeys extends Migration {
  async up() {
    await this.schema.withoutForeignKeyConstraints(async () => {
      await this.db.execute("insert into people (name) values ('Linus')");
      await this.db.execute("select * from nowhere");
    });
  }
  async down() {}
}
`;

for (const dialect of DIALECTS) {
  describe(`blueprint guarantees through the binary on ${dialect}`, () => {
    let database: TestDatabase;
    let project: TempProject;

    function people(): Promise<{ columns: ColumnInfo[]; rows: unknown[] }> {
      return withConnection(database.config, async (db) => ({
        columns: await db.schema.getColumns("people"),
        rows: await db.query("select * from people order by id"),
      }));
    }

    before(async () => {
      database = await createTestDatabase(dialect);
      project = createProject("module");
      project.write("databases/migrations/2024_01_01_000000_create_people.ts", CREATE_PEOPLE);
      const run = await project.mortar(["migrate"], database.env);
      assert.equal(run.code, 0, run.stderr);
    });
    after(async () => {
      project?.cleanup();
      await database?.drop();
    });

    test("renameColumn then change() of the new name migrates, keeps the rows, and rolls back", async () => {
      const before = await people();
      project.write("databases/migrations/2024_01_02_000000_rename_then_change.ts", RENAME_THEN_CHANGE);
      const up = await project.mortar(["migrate"], database.env);
      assert.equal(up.code, 0, up.stderr);
      const after = await people();
      const fullName = after.columns.find((c) => c.name === "full_name");
      assert.equal(fullName?.nullable, true);
      assert.match(fullName?.type ?? "", /\(120\)/);
      assert.deepEqual(
        after.rows.map((r) => (r as Record<string, unknown>).full_name),
        ["Ada", "Grace"],
      );
      const down = await project.mortar(["migrate:rollback"], database.env);
      assert.equal(down.code, 0, down.stderr);
      assert.deepEqual(await people(), before, "the rollback restores the column exactly");
      project.remove("databases/migrations/2024_01_02_000000_rename_then_change.ts");
    });

    test("an error inside withoutForeignKeyConstraints is reported as itself; nothing is left behind", async () => {
      const before = await people();
      project.write("databases/migrations/2024_01_03_000000_fails_without_keys.ts", FAILS_WITHOUT_KEYS);
      try {
        const run = await project.mortar(["migrate"], database.env);
        assert.equal(run.code, 1, run.stderr);
        assert.match(run.stderr, /2024_01_03_000000_fails_without_keys/);
        assert.match(
          run.stderr,
          { sqlite: /no such table: nowhere/, postgres: /relation "nowhere" does not exist/, mysql: /nowhere' doesn't exist/ }[dialect],
        );
        assert.doesNotMatch(run.stderr, /current transaction is aborted/);
        assert.doesNotMatch(run.stderr, /^\s+at /m, "no stack trace");
        if (dialect !== "mysql") {
          // Transactional: the insert before the failure is rolled back with the migration.
          assert.deepEqual(await people(), before);
        }
      } finally {
        project.remove("databases/migrations/2024_01_03_000000_fails_without_keys.ts");
      }
    });
  });
}
