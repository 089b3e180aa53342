import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { connect } from "../../src/dialect/connect.js";
import type { Database } from "../../src/dialect/database.js";
import { UnsupportedOperationError } from "../../src/errors.js";
import { Migrator } from "../../src/migration/migrator.js";
import { createTestDatabase, DIALECTS, withDatabase } from "../support/databases.js";
import { createProject } from "../support/project.js";

// Laravel 12's table-level calls (issue 13) on the three real databases, with rows present.

const count = async (db: Database, table: string) =>
  Number((await db.query<{ n: number }>(`select count(*) as n from ${db.grammar.quoteIdentifier(table)}`))[0]!.n);
const columnNames = async (db: Database, table: string) => (await db.schema.getColumns(table)).map((c) => c.name);
const indexNames = async (db: Database, table: string) => (await db.schema.getIndexes(table)).map((i) => i.name).sort();

/** `authors` (parent) and `books` (child, key to authors.id), one row each. */
async function parentAndChild(db: Database): Promise<void> {
  await db.schema.create("authors", (t) => {
    t.id();
    t.string("name");
  });
  await db.schema.create("books", (t) => {
    t.id();
    t.foreignId("author_id").constrained();
    t.string("title");
  });
  await db.execute("insert into authors (name) values ('Ada')");
  await db.execute("insert into books (author_id, title) values (1, 'Notes')");
}

const insertOrphan = (db: Database, title: string) => db.execute(`insert into books (author_id, title) values (999, '${title}')`);

for (const dialect of DIALECTS) {
  describe(`Laravel table operations on ${dialect}`, () => {
    test("dropMorphs drops the (type, id) index and both columns; rows stay", async () => {
      await withDatabase(dialect, async (db) => {
        await db.schema.create("comments", (t) => {
          t.id();
          t.morphs("commentable");
          t.string("body");
        });
        await db.execute("insert into comments (commentable_type, commentable_id, body) values ('post', 1, 'a'), ('video', 2, 'b')");
        assert.equal(await db.schema.hasIndex("comments", "comments_commentable_type_commentable_id_index"), true);
        await db.schema.table("comments", (t) => t.dropMorphs("commentable"));
        assert.deepEqual(await columnNames(db, "comments"), ["id", "body"]);
        assert.equal(await db.schema.hasIndex("comments", ["commentable_type", "commentable_id"]), false);
        assert.deepEqual((await db.schema.getIndexes("comments")).filter((i) => !i.primary), []);
        assert.equal(await count(db, "comments"), 2);
      });
    });

    test("dropConstrainedForeignId drops the key, its index and the column; rows stay", async () => {
      await withDatabase(dialect, async (db) => {
        await parentAndChild(db);
        await db.schema.table("books", (t) => t.dropConstrainedForeignId("author_id"));
        assert.deepEqual(await db.schema.getForeignKeys("books"), []);
        assert.deepEqual(await columnNames(db, "books"), ["id", "title"]);
        // MySQL's implicit index named like the key went with it.
        assert.deepEqual((await db.schema.getIndexes("books")).filter((i) => !i.primary), []);
        assert.deepEqual(await db.query("select title from books"), [{ title: "Notes" }]);
      });
    });

    test("table.rename keeps the rows, the indexes and the keys of its children", async () => {
      await withDatabase(dialect, async (db) => {
        await parentAndChild(db);
        await db.schema.table("authors", (t) => {
          t.string("email").nullable().unique();
          t.index("name");
        });
        const before = (await db.schema.getIndexes("authors")).map((i) => [i.columns, i.unique, i.primary]);
        await db.schema.table("authors", (t) => t.rename("writers"));
        assert.equal(await db.schema.hasTable("authors"), false);
        assert.equal(await db.schema.hasTable("writers"), true);
        assert.deepEqual(await db.query("select name from writers"), [{ name: "Ada" }]);
        assert.deepEqual((await db.schema.getIndexes("writers")).map((i) => [i.columns, i.unique, i.primary]).sort(), before.sort());
        assert.equal(await db.schema.hasIndex("writers", ["email"], "unique"), true);
        const [key] = await db.schema.getForeignKeys("books");
        assert.equal(key?.foreignTable, "writers");
      });
    });

    test("hasIndex: by name and by columns in order, with and without a type", async () => {
      await withDatabase(dialect, async (db) => {
        await db.schema.create("people", (t) => {
          t.increments("id");
          t.string("email").unique();
          t.string("first");
          t.string("last");
          t.index(["last", "first"]);
        });
        await db.execute("insert into people (email, first, last) values ('a@b.c', 'A', 'B')");
        const has = (index: string | string[], type?: string) => db.schema.hasIndex("people", index, type);
        assert.equal(await has("people_email_unique"), true);
        assert.equal(await has("people_email_index"), false);
        assert.equal(await has(["email"]), true);
        assert.equal(await has(["last", "first"]), true);
        assert.equal(await has(["first", "last"]), false);
        assert.equal(await has(["last"]), false);
        assert.equal(await has(["email"], "unique"), true);
        assert.equal(await has(["email"], "index"), false);
        assert.equal(await has("people_last_first_index", "index"), true);
        assert.equal(await has("people_last_first_index", "unique"), false);
        assert.equal(await has(["id"], "primary"), true);
        assert.equal(await has(["email"], "primary"), false);
        assert.equal(await db.schema.hasIndex("missing_table", "x"), false);
        await assert.rejects(db.schema.hasIndex("people", []), /needs an index name or a non-empty list of column names/);
      });
    });

    test("disable/enableForeignKeyConstraints let an orphan in during the window only", async () => {
      await withDatabase(dialect, async (db) => {
        await parentAndChild(db);
        await assert.rejects(insertOrphan(db, "before"));
        await db.schema.disableForeignKeyConstraints();
        await db.schema.disableForeignKeyConstraints(); // a second disable changes nothing
        await insertOrphan(db, "during");
        await db.schema.enableForeignKeyConstraints();
        await assert.rejects(insertOrphan(db, "after"));
        await db.schema.enableForeignKeyConstraints(); // nothing to restore: checks stay on
        await assert.rejects(insertOrphan(db, "after again"));
        assert.deepEqual((await db.query<{ title: string }>("select title from books order by id")).map((r) => r.title), ["Notes", "during"]);
      });
    });

    test("a migration that disables the checks and never enables them leaves them on when it ends", async () => {
      const database = await createTestDatabase(dialect);
      const project = createProject("module");
      const db = await connect(database.config);
      try {
        await parentAndChild(db);
        // SQLite checks every key before a migration commits, so an orphan left by raw SQL fails the migration there.
        const orphanKept = dialect !== "sqlite";
        project.write(
          "migrations/2026_03_01_000001_forget_to_enable.ts",
          `import { Migration } from "mortar";
export default class extends Migration {
  async up() {
    await this.schema.disableForeignKeyConstraints();
    await this.db.execute("insert into books (author_id, title) values (${orphanKept ? 999 : 1}, 'in migration')");
  }
  async down() {}
}
`,
        );
        const result = await new Migrator(db, { path: join(project.dir, "migrations") }).migrate();
        assert.equal(result.error, undefined, result.error?.message);
        await assert.rejects(insertOrphan(db, "after the migration"));
        assert.equal(await count(db, "books"), 2);
      } finally {
        await db.close();
        project.cleanup();
        await database.drop();
      }
    });

    test("a migration that fails with the checks disabled leaves them on too", async () => {
      const database = await createTestDatabase(dialect);
      const project = createProject("module");
      const db = await connect(database.config);
      try {
        await parentAndChild(db);
        project.write(
          "migrations/2026_03_01_000001_fail_while_disabled.ts",
          `import { Migration } from "mortar";
export default class extends Migration {
  async up() {
    await this.schema.disableForeignKeyConstraints();
    await this.db.execute("insert into no_such_table values (1)");
  }
  async down() {}
}
`,
        );
        const result = await new Migrator(db, { path: join(project.dir, "migrations") }).migrate();
        assert.ok(result.error, "the migration should fail");
        await assert.rejects(insertOrphan(db, "after the failure"));
      } finally {
        await db.close();
        project.cleanup();
        await database.drop();
      }
    });

    test("fullText(...).language(...): in the index on PostgreSQL, refused elsewhere", async () => {
      await withDatabase(dialect, async (db) => {
        await db.schema.create("articles", (t) => {
          t.id();
          t.text("body");
        });
        await db.execute("insert into articles (body) values ('Die Katzen schlafen')");
        const add = db.schema.table("articles", (t) => t.fullText("body").language("german"));
        if (dialect === "postgres") {
          await add;
          const [row] = await db.query<{ indexdef: string }>(
            "select indexdef from pg_indexes where schemaname = current_schema() and indexname = 'articles_body_fulltext'",
          );
          assert.match(row!.indexdef, /using gin \(to_tsvector\('german'::regconfig, body\)\)/i);
          const [hit] = await db.query<{ n: string }>(
            "select count(*) as n from articles where to_tsvector('german', body) @@ to_tsquery('german', 'katze')",
          );
          assert.equal(Number(hit!.n), 1, "german stemming finds Katzen for katze");
          assert.equal(await db.schema.hasIndex("articles", "articles_body_fulltext", "fulltext"), true);
        } else {
          await assert.rejects(add, (e: unknown) => e instanceof UnsupportedOperationError && e.dialect === dialect && /fulltext/.test(e.message));
          assert.equal(await db.schema.hasIndex("articles", "articles_body_fulltext"), false);
        }
        assert.equal(await count(db, "articles"), 1);
      });
    });

    test("dropFullText drops a fulltext index (SQLite: refused, it has none)", async () => {
      await withDatabase(dialect, async (db) => {
        await db.schema.create("notes", (t) => {
          t.id();
          t.text("body");
        });
        if (dialect === "sqlite") {
          await assert.rejects(db.schema.table("notes", (t) => t.dropFullText(["body"])), UnsupportedOperationError);
          return;
        }
        await db.schema.table("notes", (t) => t.fullText("body"));
        assert.equal(await db.schema.hasIndex("notes", "notes_body_fulltext", "fulltext"), true);
        await db.schema.table("notes", (t) => t.dropFullText(["body"]));
        assert.equal(await db.schema.hasIndex("notes", "notes_body_fulltext"), false);
      });
    });
  });
}
