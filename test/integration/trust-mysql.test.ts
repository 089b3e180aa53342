import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Database } from "../../src/dialect/database.js";
import { Migrator } from "../../src/migration/migrator.js";
import { DIALECTS, withDatabase } from "../support/databases.js";
import { withMigrationFiles } from "../support/migration-files.js";
import { tableShape } from "../support/schema.js";

/**
 * Item 12: InnoDB drops the index it made for a foreign key once a later index can
 * serve the key, and then refuses to drop that later index. An up/down that adds and
 * drops such an index must work and leave the table reading back exactly as before.
 */

type Row = Record<string, unknown>;

async function usersAndPosts(db: Database): Promise<void> {
  await db.schema.create("users", (t) => {
    t.id();
    t.string("name");
  });
  await db.schema.create("posts", (t) => {
    t.increments("id");
    t.foreignId("user_id").constrained();
    t.integer("rank");
    t.timestamps();
  });
  await db.execute("insert into users (name) values ('ann'), ('bob')");
  await db.execute("insert into posts (user_id, `rank`) values (1, 1), (2, 1), (2, 2)");
}

async function foreignKeyStillBites(db: Database): Promise<void> {
  await assert.rejects(db.execute("insert into posts (user_id, `rank`) values (99, 1)"), /foreign key constraint fails/i);
}

describe("MySQL/MariaDB keep the index a foreign key needs (item 12)", { skip: !DIALECTS.includes("mysql") }, () => {
  test("a composite index led by a foreign-key column is added and dropped again; the table reads back as before", async () => {
    await withDatabase("mysql", async (db) => {
      await usersAndPosts(db);
      const before = await tableShape(db, "posts");
      await db.schema.table("posts", (t) => {
        t.index(["user_id", "created_at"]);
      });
      const during = (await db.schema.getIndexes("posts")).map((i) => i.name);
      assert.ok(during.includes("posts_user_id_created_at_index"), during.join(", "));
      await db.schema.table("posts", (t) => {
        t.dropIndex(["user_id", "created_at"]);
      });
      assert.deepEqual(await tableShape(db, "posts"), before);
      await foreignKeyStillBites(db);
      assert.equal((await db.query<Row>("select * from posts")).length, 3);
    });
  });

  test("a unique key led by the foreign-key column, dropped with dropUnique, gives the key its index back", async () => {
    await withDatabase("mysql", async (db) => {
      await usersAndPosts(db);
      const before = await tableShape(db, "posts");
      await db.schema.table("posts", (t) => {
        t.unique(["user_id", "rank"]);
      });
      await db.schema.table("posts", (t) => {
        t.dropUnique(["user_id", "rank"]);
      });
      assert.deepEqual(await tableShape(db, "posts"), before);
      await foreignKeyStillBites(db);
    });
  });

  test("an index that another index can stand in for is dropped alone", async () => {
    await withDatabase("mysql", async (db) => {
      await usersAndPosts(db);
      await db.schema.table("posts", (t) => {
        t.index(["user_id", "rank"], "by_user_rank");
        t.index(["user_id", "created_at"], "by_user_created");
      });
      const before = (await db.schema.getIndexes("posts")).map((i) => i.name);
      await db.schema.table("posts", (t) => {
        t.dropIndex("by_user_created");
      });
      const after = (await db.schema.getIndexes("posts")).map((i) => i.name);
      assert.deepEqual(after, before.filter((name) => name !== "by_user_created"), "no extra index is made");
      await foreignKeyStillBites(db);
    });
  });

  test("the down of a migration that adds a composite key then drops it leaves the foreign key and its column droppable", async () => {
    await withDatabase("mysql", async (db) => {
      await usersAndPosts(db);
      await db.schema.table("posts", (t) => {
        t.index(["user_id", "created_at"]);
      });
      await db.schema.table("posts", (t) => {
        t.dropIndex(["user_id", "created_at"]);
      });
      await db.schema.table("posts", (t) => {
        t.dropForeign(["user_id"]);
        t.dropColumn("user_id");
      });
      assert.deepEqual(await db.schema.getForeignKeys("posts"), []);
      assert.deepEqual((await db.schema.getIndexes("posts")).map((i) => i.name), ["PRIMARY"]);
    });
  });

  test("through the Migrator: up adds the composite index, down drops it, and the table reads back as before", async () => {
    await withDatabase("mysql", async (db) => {
      await usersAndPosts(db);
      const before = await tableShape(db, "posts");
      await withMigrationFiles(
        {
          "2026_01_01_000000_index_posts_by_user_and_date.mjs": `import { Migration } from "mortar";
export default class extends Migration {
  async up() { await this.schema.table("posts", (t) => { t.index(["user_id", "created_at"]); }); }
  async down() { await this.schema.table("posts", (t) => { t.dropIndex(["user_id", "created_at"]); }); }
}
`,
        },
        async (dir) => {
          const migrator = new Migrator(db, { path: dir });
          const up = await migrator.migrate();
          assert.equal(up.error, undefined, up.error?.message);
          const down = await migrator.rollback();
          assert.equal(down.error, undefined, down.error?.message);
          assert.deepEqual(await tableShape(db, "posts"), before);
          await foreignKeyStillBites(db);
          const again = await migrator.migrate();
          assert.equal(again.error, undefined, again.error?.message);
          assert.equal(again.migrations.length, 1, "the migration can run again after its down");
        },
      );
    });
  });
});
