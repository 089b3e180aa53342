import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Database } from "../../src/dialect/database.js";
import { UnsupportedOperationError } from "../../src/errors.js";
import { blogPosts, blogUsers } from "../support/blog.js";
import { DIALECTS, withDatabase } from "../support/databases.js";

/** The blog schema of spec §2, through the library API. */
async function createBlog(db: Database): Promise<void> {
  await db.schema.create("users", blogUsers);
  await db.schema.create("posts", blogPosts);
  await db.schema.create("tags", (t) => {
    t.increments("id");
    t.string("name").unique();
    t.timestamps();
  });
  await db.schema.create("post_tag", (t) => {
    t.increments("id");
    t.integer("post_id").unsigned();
    t.foreign("post_id").references("id").on("posts").onDelete("cascade");
    t.integer("tag_id").unsigned();
    t.foreign("tag_id").references("id").on("tags").onDelete("cascade");
  });
  await db.schema.create("media", (t) => {
    t.increments("id");
    t.integer("post_id").unsigned();
    t.foreign("post_id").references("id").on("posts").onDelete("cascade");
    t.string("url");
    t.timestamps();
  });
}

const count = async (db: Database, table: string) =>
  Number((await db.query<{ n: number }>(`select count(*) as n from ${db.grammar.quoteIdentifier(table)}`))[0]!.n);

for (const dialect of DIALECTS) {
  describe(`schema builder on ${dialect}`, () => {
    test("the blog schema: keys read back, cascades delete, reverse drop leaves nothing", async () => {
      await withDatabase(dialect, async (db) => {
        await createBlog(db);
        assert.deepEqual(await db.schema.getTables(), ["media", "post_tag", "posts", "tags", "users"]);
        const userIndexes = await db.schema.getIndexes("users");
        assert.ok(userIndexes.some((i) => i.name === "users_email_unique" && i.unique && i.columns.join() === "email"));
        const fks = await db.schema.getForeignKeys("post_tag");
        assert.deepEqual(
          fks.map((f) => [f.name, f.columns, f.foreignTable, f.foreignColumns, f.onDelete]).sort(),
          [
            ["post_tag_post_id_foreign", ["post_id"], "posts", ["id"], "cascade"],
            ["post_tag_tag_id_foreign", ["tag_id"], "tags", ["id"], "cascade"],
          ],
        );
        const [postFk] = await db.schema.getForeignKeys("posts");
        assert.equal(postFk?.name, "posts_user_id_foreign");
        assert.ok(["no action", "restrict"].includes(postFk!.onDelete), postFk!.onDelete);

        await db.execute("insert into users (name, email, password) values ('Ada', 'ada@example.com', 'x')");
        await db.execute("insert into posts (user_id, title, content) values (1, 'Hello', 'World')");
        await db.execute("insert into posts (user_id, title, content) values (1, 'Second', 'Post')");
        await db.execute("insert into tags (name) values ('news')");
        await db.execute("insert into post_tag (post_id, tag_id) values (1, 1)");
        await db.execute("insert into post_tag (post_id, tag_id) values (2, 1)");
        await db.execute("insert into media (post_id, url) values (1, 'a.png')");
        await db.execute("insert into media (post_id, url) values (2, 'b.png')");
        await assert.rejects(db.execute("insert into posts (user_id, title, content) values (99, 'x', 'y')"), "foreign key enforced");
        await assert.rejects(db.execute("insert into users (name, email, password) values ('B', 'ada@example.com', 'y')"), "unique enforced");

        await db.execute("delete from posts where id = 1");
        assert.equal(await count(db, "post_tag"), 1);
        assert.equal(await count(db, "media"), 1);

        for (const name of ["media", "post_tag", "tags", "posts", "users"]) await db.schema.drop(name);
        assert.deepEqual(await db.schema.getTables(), []);
      });
    });

    test("identifiers and values are taken literally: no injection", async () => {
      await withDatabase(dialect, async (db) => {
        const evil = "'; drop table users; --";
        await db.schema.create("users", (t) => t.increments("id") && undefined);
        await db.schema.create('we"ird', (t) => {
          t.increments("id");
          t.string("a`b").default(evil).comment(`it's "quoted" \`back\` */ -- /*`);
          t.string("c'd").nullable().unique();
        });
        assert.deepEqual(await db.schema.getTables(), ["users", 'we"ird']);
        const columns = await db.schema.getColumns('we"ird');
        assert.deepEqual(columns.map((c) => c.name), ["id", "a`b", "c'd"]);
        assert.equal(columns[1]!.comment, `it's "quoted" \`back\` */ -- /*`);
        const table = db.grammar.quoteIdentifier('we"ird');
        await db.execute(`insert into ${table} (${db.grammar.quoteIdentifier("c'd")}) values (${db.grammar.parameter(1)})`, ["x"]);
        const rows = await db.query<Record<string, unknown>>(`select * from ${table}`);
        assert.equal(rows[0]!["a`b"], evil);
        assert.ok((await db.schema.getIndexes('we"ird')).some((i) => i.unique && i.columns.join() === "c'd"));
        assert.ok(await db.schema.hasTable("users"), "the users table survived");
        await db.schema.drop('we"ird');
      });
    });

    test("indexes: composite primary, named unique, plain index, fulltext or a clear refusal", async () => {
      await withDatabase(dialect, async (db) => {
        await db.schema.create("memberships", (t) => {
          t.integer("team_id");
          t.integer("user_id");
          t.string("role");
          t.text("bio");
          t.primary(["team_id", "user_id"]);
          t.unique(["team_id", "role"], "one_role_per_team");
          t.index("role");
        });
        const indexes = await db.schema.getIndexes("memberships");
        const primary = indexes.find((i) => i.primary);
        assert.deepEqual(primary?.columns, ["team_id", "user_id"]);
        assert.deepEqual(indexes.find((i) => i.name === "one_role_per_team")?.columns, ["team_id", "role"]);
        const plain = indexes.find((i) => i.name === "memberships_role_index");
        assert.equal(plain?.unique, false);
        await db.execute("insert into memberships (team_id, user_id, role, bio) values (1, 1, 'owner', '')");
        await assert.rejects(db.execute("insert into memberships (team_id, user_id, role, bio) values (1, 1, 'member', '')"));

        const fulltext = db.schema.table("memberships", (t) => {
          t.fulltext("bio");
        });
        if (dialect === "sqlite") {
          await assert.rejects(fulltext, (e: unknown) => e instanceof UnsupportedOperationError && /sqlite/.test(e.message) && /fulltext/i.test(e.message));
        } else {
          await fulltext;
          const ft = (await db.schema.getIndexes("memberships")).find((i) => i.name === "memberships_bio_fulltext");
          assert.equal(ft?.type, dialect === "mysql" ? "fulltext" : "gin");
        }
      });
    });

    test("foreign keys: constrained() guesses the table, actions read back and act", async () => {
      await withDatabase(dialect, async (db) => {
        await db.schema.create("users", (t) => {
          t.id();
        });
        await db.schema.create("categories", (t) => {
          t.id();
        });
        await db.schema.create("posts", (t) => {
          t.id();
          t.foreignId("user_id").constrained().cascadeOnDelete();
          t.foreignId("category_id").nullable().constrained().nullOnDelete().cascadeOnUpdate();
        });
        const fks = await db.schema.getForeignKeys("posts");
        const byName = Object.fromEntries(fks.map((f) => [f.name, f]));
        assert.equal(byName.posts_user_id_foreign?.foreignTable, "users");
        assert.equal(byName.posts_user_id_foreign?.onDelete, "cascade");
        assert.equal(byName.posts_category_id_foreign?.foreignTable, "categories");
        assert.equal(byName.posts_category_id_foreign?.onDelete, "set null");
        assert.equal(byName.posts_category_id_foreign?.onUpdate, "cascade");
        await db.execute("insert into users (id) values (1)");
        await db.execute("insert into categories (id) values (1)");
        await db.execute("insert into posts (user_id, category_id) values (1, 1)");
        await db.execute("delete from categories where id = 1");
        const [post] = await db.query<{ category_id: unknown }>("select category_id from posts");
        assert.equal(post!.category_id, null);
        await db.execute("delete from users where id = 1");
        assert.equal(await count(db, "posts"), 0);
      });
    });

    test("long default index names are shortened deterministically and still dropped by columns", async () => {
      await withDatabase(dialect, async (db) => {
        const long = "a_really_quite_long_column_name_for_an_index";
        await db.schema.create("a_table_with_a_long_name", (t) => {
          t.string(long);
          t.string(`${long}_too`);
          t.unique([long, `${long}_too`]);
        });
        const [index] = (await db.schema.getIndexes("a_table_with_a_long_name")).filter((i) => i.unique);
        assert.ok(index, "the unique index exists");
        if (dialect !== "sqlite") assert.ok(index.name.length <= 64, index.name);
        await db.schema.table("a_table_with_a_long_name", (t) => {
          t.dropUnique([long, `${long}_too`]);
        });
        assert.equal((await db.schema.getIndexes("a_table_with_a_long_name")).filter((i) => i.unique).length, 0);
      });
    });

    test("hasTable, hasColumn, rename, createIfNotExists, dropIfExists, truncate", async () => {
      await withDatabase(dialect, async (db) => {
        await db.schema.create("flights", (t) => {
          t.increments("id");
          t.string("name");
        });
        assert.equal(await db.schema.hasTable("flights"), true);
        assert.equal(await db.schema.hasTable("nope"), false);
        assert.equal(await db.schema.hasColumn("flights", "name"), true);
        assert.equal(await db.schema.hasColumn("flights", "nope"), false);
        await db.schema.createIfNotExists("flights", (t) => {
          t.increments("other");
        });
        assert.deepEqual((await db.schema.getColumns("flights")).map((c) => c.name), ["id", "name"]);
        await db.execute("insert into flights (name) values ('a')");
        await db.execute("insert into flights (name) values ('b')");
        await db.schema.truncate("flights");
        assert.equal(await count(db, "flights"), 0);
        await db.execute("insert into flights (name) values ('c')");
        const [row] = await db.query<{ id: number }>("select id from flights");
        assert.equal(Number(row!.id), 1, "truncate restarts the auto-increment");
        await db.schema.rename("flights", "journeys");
        assert.deepEqual(await db.schema.getTables(), ["journeys"]);
        await db.schema.dropIfExists("flights");
        await db.schema.dropIfExists("journeys");
        assert.deepEqual(await db.schema.getTables(), []);
      });
    });

    test("withoutForeignKeyConstraints lets rows in out of order, inside a transaction too", async () => {
      await withDatabase(dialect, async (db) => {
        await db.schema.create("parents", (t) => {
          t.increments("id");
        });
        await db.schema.create("children", (t) => {
          t.increments("id");
          t.integer("parent_id").unsigned();
          t.foreign("parent_id").references("id").on("parents");
        });
        await db.transaction(async () => {
          await db.schema.withoutForeignKeyConstraints(async () => {
            await db.execute("insert into children (parent_id) values (1)");
            await db.execute("insert into parents (id) values (1)");
          });
        });
        assert.equal(await count(db, "children"), 1);
        await assert.rejects(db.execute("insert into children (parent_id) values (5)"), "checks are back on");
      });
    });

    test("an operation the dialect cannot do is refused with its name", async () => {
      await withDatabase(dialect, async (db) => {
        const refusal = {
          sqlite: () => db.schema.create("maps", (t) => t.point("where") && undefined),
          postgres: () => db.schema.create("maps", (t) => t.timestamp("at").useCurrentOnUpdate() && undefined),
          mysql: () => db.schema.create("maps", (t) => t.string("a").after("b") && undefined),
        }[dialect];
        await assert.rejects(refusal(), (e: unknown) => {
          assert.ok(e instanceof UnsupportedOperationError);
          assert.equal(e.code, "UNSUPPORTED_OPERATION");
          assert.match(e.message, new RegExp(`^${dialect} cannot `));
          return true;
        });
        assert.deepEqual(await db.schema.getTables(), [], "nothing was created");
      });
    });

    test("transactions roll back; pretend records without running", async () => {
      await withDatabase(dialect, async (db) => {
        const { statements } = await db.pretend(() =>
          db.schema.create("ghosts", (t) => {
            t.increments("id");
          }),
        );
        assert.equal(statements.length, 1);
        assert.match(statements[0]!.sql, /^create table/);
        assert.equal(await db.schema.hasTable("ghosts"), false);
        await db.schema.create("ledger", (t) => {
          t.increments("id");
        });
        await assert.rejects(
          db.transaction(async () => {
            await db.execute("insert into ledger (id) values (1)");
            throw new Error("undo");
          }),
        );
        assert.equal(await count(db, "ledger"), 0);
      });
    });
  });
}
