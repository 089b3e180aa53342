import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Database } from "../../src/dialect/database.js";
import { UnsupportedOperationError } from "../../src/errors.js";
import { Migrator } from "../../src/migration/migrator.js";
import { DIALECTS, withDatabase } from "../support/databases.js";
import { withMigrationFiles } from "../support/migration-files.js";

/**
 * What knex and Masonite lost during SQLite rebuilds (knex#6213 child rows through
 * ON DELETE CASCADE, knex#6142 triggers, orm#819 indexes and nullability): each is
 * rebuilt here on a table with rows and checked by reading the database back.
 */
async function blogWithRows(db: Database): Promise<void> {
  await db.schema.create("users", (t) => {
    t.increments("id");
    t.string("name", 50);
    t.string("email").nullable().unique();
    t.integer("age").nullable();
  });
  await db.schema.create("posts", (t) => {
    t.increments("id");
    t.integer("user_id").unsigned();
    t.foreign("user_id").references("id").on("users").onDelete("cascade");
    t.string("title");
  });
  await db.execute("create table audit (msg text)");
  await db.execute(`create trigger users_audit after insert on users begin insert into audit values ('new ' || new.name); end`);
  await db.execute("create index users_adults on users (age) where age > 17");
  await db.execute("create index users_lower_name on users (lower(name))");
  await db.execute("create view adult_names as select name from users where age > 17");
  for (let i = 1; i <= 6; i++) await db.execute("insert into users (name, email, age) values (?, ?, ?)", [`u'${i}`, i % 2 ? null : `u${i}@x`, i * 6]);
  for (let i = 1; i <= 6; i++) await db.execute("insert into posts (user_id, title) values (?, ?)", [i, `post ${i}`]);
  await db.execute("delete from users where id = 6"); // cascades post 6; the counter stays at 6
}

const rows = (db: Database, sql: string) => db.query<Record<string, unknown>>(sql);

if (DIALECTS.includes("sqlite")) {
  describe("SQLite table rebuilds keep what the migration did not change", () => {
    test("rebuilding a parent with ON DELETE CASCADE children keeps every child row", async () => {
      await withDatabase("sqlite", async (db) => {
        await blogWithRows(db);
        const postsBefore = await rows(db, "select * from posts order by id");
        await db.schema.table("users", (t) => {
          t.string("name", 200).change();
        });
        assert.deepEqual(await rows(db, "select * from posts order by id"), postsBefore);
        assert.equal(postsBefore.length, 5);
        assert.equal((await db.schema.getColumns("users")).find((c) => c.name === "name")?.type, "varchar(200)");
        await db.execute("delete from users where id = 1");
        assert.equal((await rows(db, "select * from posts where user_id = 1")).length, 0, "the cascade still acts");
        await assert.rejects(db.execute("insert into posts (user_id, title) values (99, 'orphan')"), /FOREIGN KEY/);
      });
    });

    test("triggers, partial and expression indexes, unique keys, nullability and the counter survive; views still work", async () => {
      await withDatabase("sqlite", async (db) => {
        await blogWithRows(db);
        const indexesBefore = await db.schema.getIndexes("users");
        const usersBefore = await rows(db, "select * from users order by id");
        await db.schema.table("users", (t) => {
          t.integer("age").nullable().default(0).change();
          t.string("nickname").nullable().after("name");
        });
        assert.deepEqual(await db.schema.getIndexes("users"), indexesBefore);
        const columns = await db.schema.getColumns("users");
        assert.deepEqual(columns.map((c) => [c.name, c.nullable]), [
          ["id", false],
          ["name", false],
          ["nickname", true],
          ["email", true],
          ["age", true],
        ]);
        assert.deepEqual(
          (await rows(db, "select id, name, email, age from users order by id")),
          usersBefore,
        );
        assert.deepEqual(await rows(db, "select name from adult_names order by name"), [{ name: "u'3" }, { name: "u'4" }, { name: "u'5" }]);
        await db.execute("insert into users (name) values ('late')");
        assert.deepEqual(await rows(db, "select id from users where name = 'late'"), [{ id: 7 }], "ids of deleted rows are not reused");
        assert.deepEqual((await rows(db, "select msg from audit")).at(-1), { msg: "new late" }, "the trigger fires");
        await assert.rejects(db.execute("insert into users (name, email) values ('dup', 'u2@x')"), /UNIQUE/);
        const [partial] = await rows(db, "select sql from sqlite_master where name = 'users_adults'");
        assert.equal(partial?.sql, "CREATE INDEX users_adults on users (age) where age > 17", "the partial index keeps its condition");
      });
    });

    test("foreign keys are added and dropped on tables with rows, through a migration run by the Migrator", async () => {
      await withDatabase("sqlite", async (db) => {
        await blogWithRows(db);
        await withMigrationFiles(
          {
            "2026_01_01_000000_drop_post_user_foreign.mjs": `import { Migration } from "mortar";
export default class extends Migration {
  async up() { await this.schema.table("posts", (t) => { t.dropForeign(["user_id"]); }); }
  async down() { await this.schema.table("posts", (t) => { t.foreign("user_id").references("id").on("users").onDelete("cascade"); }); }
}
`,
          },
          async (dir) => {
            const postsBefore = await rows(db, "select * from posts order by id");
            const foreignBefore = await db.schema.getForeignKeys("posts");
            const migrator = new Migrator(db, { path: dir });
            const up = await migrator.migrate();
            assert.equal(up.error, undefined, up.error?.message);
            assert.deepEqual(await db.schema.getForeignKeys("posts"), []);
            assert.deepEqual(await rows(db, "select * from posts order by id"), postsBefore);
            const down = await migrator.rollback();
            assert.equal(down.error, undefined, down.error?.message);
            assert.deepEqual(await db.schema.getForeignKeys("posts"), foreignBefore);
            assert.deepEqual(await rows(db, "select * from posts order by id"), postsBefore);
            assert.deepEqual(await rows(db, "pragma foreign_keys"), [{ foreign_keys: 1 }], "enforcement is restored after the run");
          },
        );
      });
    });

    test("a migration that leaves an orphan row fails the foreign-key check and rolls back", async () => {
      await withDatabase("sqlite", async (db) => {
        await blogWithRows(db);
        await withMigrationFiles(
          {
            "2026_01_01_000000_orphan.mjs": `import { Migration } from "mortar";
export default class extends Migration {
  async up() {
    await this.schema.table("users", (t) => { t.string("name", 80).change(); });
    await this.db.execute("insert into posts (user_id, title) values (404, 'orphan')");
  }
  async down() {}
}
`,
          },
          async (dir) => {
            const result = await new Migrator(db, { path: dir }).migrate();
            assert.ok(result.error, "the run fails");
            assert.match(result.error.message, /FOREIGN KEY constraint failed: "posts" row \d+ has no matching row in "users"/);
            assert.equal((await db.schema.getColumns("users")).find((c) => c.name === "name")?.type, "varchar(50)", "rolled back");
            assert.equal((await rows(db, "select * from posts where user_id = 404")).length, 0);
            assert.deepEqual(await rows(db, "select migration from migrations"), []);
          },
        );
      });
    });

    test("outside a transaction the schema builder guards the rebuild itself; inside one with keys on it refuses", async () => {
      await withDatabase("sqlite", async (db) => {
        await blogWithRows(db);
        await assert.rejects(
          db.transaction(() => db.schema.table("users", (t) => t.string("name", 10).change() && undefined)),
          (e: unknown) => e instanceof UnsupportedOperationError && /inside a transaction while foreign keys are enforced/.test(e.message),
        );
        assert.equal((await rows(db, "select * from posts")).length, 5);
        await db.schema.table("users", (t) => {
          t.dropColumn("age");
        });
        assert.equal((await rows(db, "select * from posts")).length, 5);
        assert.ok(!(await db.schema.getIndexes("users")).some((i) => i.name === "users_adults"), "the index over the dropped column went with it");
      });
    });
  });
}
