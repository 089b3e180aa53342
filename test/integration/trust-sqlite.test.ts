import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Database } from "../../src/dialect/database.js";
import { Migrator } from "../../src/migration/migrator.js";
import { DIALECTS, withDatabase } from "../support/databases.js";
import { withMigrationFiles } from "../support/migration-files.js";

/**
 * What an adversarial review found SQLite rebuilds still losing (hidden rowids, the
 * counter's type, STRICT types, the primary key, CHECKs, non-ASCII names) and what the
 * foreign-key check after a migration blamed on it (orphans of unrelated tables). Each
 * case changes a table with rows and reads the database back.
 */
const rows = (db: Database, sql: string, params: unknown[] = []) => db.query<Record<string, unknown>>(sql, params);

/** Run one migration file through the Migrator on `db`; returns the run's result. */
function migrateWith(db: Database, up: string) {
  const source = `import { Migration } from "mortar";\nexport default class extends Migration {\n  async up() {\n${up}\n  }\n  async down() {}\n}\n`;
  return withMigrationFiles({ "2026_01_01_000000_under_test.mjs": source }, (dir) => new Migrator(db, { path: dir }).migrate());
}

/** Authors and books with orphan books (inserted with enforcement off): old damage in an unrelated table. */
async function orphanedBooks(db: Database): Promise<void> {
  await db.execute("create table authors (id integer primary key, name text)");
  await db.execute("create table books (id integer primary key, author_id integer references authors (id), title text)");
  await db.execute("insert into authors (id, name) values (1, 'Ann')");
  await db.execute("pragma foreign_keys = off");
  await db.execute("insert into books (author_id, title) values (1, 'kept'), (77, 'orphan')");
  await db.execute("pragma foreign_keys = on");
}

async function usersAndPosts(db: Database): Promise<void> {
  await db.schema.create("users", (t) => {
    t.increments("id");
    t.string("name", 50);
  });
  await db.schema.create("posts", (t) => {
    t.increments("id");
    t.integer("user_id").unsigned();
    t.foreign("user_id").references("id").on("users");
    t.string("title");
  });
  for (let i = 1; i <= 3; i++) await db.execute("insert into users (name) values (?)", [`u${i}`]);
  await db.execute("insert into posts (user_id, title) values (1, 'a'), (2, 'b')");
}

if (DIALECTS.includes("sqlite")) {
  describe("SQLite rebuilds lose nothing more (item 5)", () => {
    test("a table without INTEGER PRIMARY KEY keeps its rowids, and an external-content FTS5 index still finds the right rows", async () => {
      await withDatabase("sqlite", async (db) => {
        await db.execute("create table notes (title varchar(50) not null, body text)");
        const words = ["apple", "banana", "cherry", "damson", "elder", "fig"];
        for (const w of words) await db.execute("insert into notes (title, body) values (?, ?)", [w, `about ${w}`]);
        await db.execute("delete from notes where title in ('banana', 'damson')"); // gaps: rowids 1 3 5 6
        await db.execute("create virtual table notes_fts using fts5(title, body, content='notes', content_rowid='rowid')");
        await db.execute("insert into notes_fts (notes_fts) values ('rebuild')");
        const before = await rows(db, "select rowid, title, body from notes order by rowid");

        await db.schema.table("notes", (t) => {
          t.string("title", 200).change();
        });

        assert.deepEqual(await rows(db, "select rowid, title, body from notes order by rowid"), before);
        assert.deepEqual(before.map((r) => r.rowid), [1, 3, 5, 6]);
        const hits = await rows(db, "select n.title from notes_fts f join notes n on n.rowid = f.rowid where notes_fts match 'elder'");
        assert.deepEqual(hits, [{ title: "elder" }], "the FTS5 rowid still points at the same row");
        assert.equal((await db.schema.getColumns("notes")).find((c) => c.name === "title")?.type, "varchar(200)");
      });
    });

    test("a table whose columns take every rowid name, and a WITHOUT ROWID table, still rebuild with their rows", async () => {
      await withDatabase("sqlite", async (db) => {
        await db.execute('create table odd ("rowid" text, "_rowid_" text, "oid" text, n integer)');
        await db.execute("insert into odd values ('a', 'b', 'c', 1), ('d', 'e', 'f', 2)");
        await db.execute("create table kv (k text primary key, v text) without rowid");
        await db.execute("insert into kv values ('x', '1'), ('y', '2')");
        await db.schema.table("odd", (t) => {
          t.bigInteger("n").nullable().change();
        });
        await db.schema.table("kv", (t) => {
          t.text("v").nullable().change();
        });
        assert.deepEqual(await rows(db, 'select "rowid", "_rowid_", "oid", n from odd order by n'), [
          { rowid: "a", _rowid_: "b", oid: "c", n: 1 },
          { rowid: "d", _rowid_: "e", oid: "f", n: 2 },
        ]);
        assert.deepEqual(await rows(db, "select k, v from kv order by k"), [{ k: "x", v: "1" }, { k: "y", v: "2" }]);
        assert.match(String((await rows(db, "select sql from sqlite_master where name = 'kv'"))[0]?.sql), /without rowid/i);
      });
    });

    test("sqlite_sequence is restored as an integer, and the next id continues after it", async () => {
      await withDatabase("sqlite", async (db) => {
        await usersAndPosts(db);
        await db.execute("delete from users where id = 3");
        await db.schema.table("users", (t) => {
          t.string("name", 120).change();
        });
        assert.deepEqual(await rows(db, "select seq, typeof(seq) as type from sqlite_sequence where name = 'users'"), [{ seq: 3, type: "integer" }]);
        await db.execute("insert into users (name) values ('next')");
        assert.deepEqual(await rows(db, "select id from users where name = 'next'"), [{ id: 4 }]);
      });
    });

    test("a STRICT table rebuilds STRICT, with STRICT types for the changed and added columns", async () => {
      await withDatabase("sqlite", async (db) => {
        await db.execute("create table stock (id integer primary key, qty int not null, label text, price real) strict");
        await db.execute("insert into stock (qty, label, price) values (1, 'one', 1.5), (2, 'two', 2.5)");
        await db.schema.table("stock", (t) => {
          t.bigInteger("qty").change();
          t.string("label", 20).nullable().change();
          t.date("added_on").nullable().after("qty");
        });
        assert.deepEqual(await rows(db, "select strict from pragma_table_list('stock')"), [{ strict: 1 }]);
        assert.deepEqual(await rows(db, "select name, type from pragma_table_info('stock') order by cid"), [
          { name: "id", type: "INTEGER" },
          { name: "qty", type: "INTEGER" },
          { name: "added_on", type: "TEXT" },
          { name: "label", type: "TEXT" },
          { name: "price", type: "REAL" },
        ]);
        assert.deepEqual(await rows(db, "select id, qty, label, price from stock order by id"), [
          { id: 1, qty: 1, label: "one", price: 1.5 },
          { id: 2, qty: 2, label: "two", price: 2.5 },
        ]);
        await assert.rejects(db.execute("insert into stock (qty) values ('many')"), /cannot store TEXT value in INTEGER column/);
      });
    });

    test('unsignedBigInteger("id").change() on an increments column keeps the primary key and the rowid alias', async () => {
      await withDatabase("sqlite", async (db) => {
        await usersAndPosts(db);
        await db.execute("delete from posts where user_id = 2");
        await db.execute("delete from users where id = 2");
        await db.schema.table("users", (t) => {
          t.unsignedBigInteger("id").change();
        });
        const primary = (await db.schema.getIndexes("users")).find((i) => i.primary);
        assert.deepEqual(primary?.columns, ["id"], "still the primary key");
        assert.deepEqual(await rows(db, "select id, rowid as r, name from users order by id"), [
          { id: 1, r: 1, name: "u1" },
          { id: 3, r: 3, name: "u3" },
        ]);
        await assert.rejects(db.execute("insert into users (id, name) values (1, 'dup')"), /UNIQUE constraint failed|PRIMARY KEY/);
        assert.deepEqual((await db.schema.getForeignKeys("posts")).map((f) => f.foreignTable), ["users"]);
      });
    });

    test("a text primary key stays the primary key through change()", async () => {
      await withDatabase("sqlite", async (db) => {
        await db.execute("create table codes (code varchar(10) primary key, n integer)");
        await db.execute("insert into codes values ('a', 1), ('b', 2)");
        await db.schema.table("codes", (t) => {
          t.string("code", 40).change();
        });
        assert.deepEqual((await db.schema.getIndexes("codes")).find((i) => i.primary)?.columns, ["code"]);
        await assert.rejects(db.execute("insert into codes values ('a', 3)"), /UNIQUE constraint failed/);
        assert.equal((await db.schema.getColumns("codes")).find((c) => c.name === "code")?.type, "varchar(40)");
      });
    });

    test("identifiers fold ASCII only: ö and Ö are two columns, A and a are one", async () => {
      await withDatabase("sqlite", async (db) => {
        await db.execute('create table words ("ö" integer, "Ö" integer, "A" integer)');
        await db.execute('insert into words values (1, 2, 3)');
        await db.schema.table("words", (t) => {
          t.string("Ö", 30).nullable().change();
          t.string("a", 10).nullable().change();
        });
        assert.deepEqual(await rows(db, "select name, type from pragma_table_info('words') order by cid"), [
          { name: "ö", type: "INTEGER" },
          { name: "Ö", type: "varchar(30)" },
          { name: "A", type: "varchar(10)" },
        ]);
        await db.schema.table("words", (t) => {
          t.dropColumn("Ö");
        });
        assert.deepEqual(await rows(db, 'select * from words'), [{ ö: 1, A: "3" }]);
      });
    });
  });

  describe("CHECK constraints survive change() on SQLite (item 6)", () => {
    test("a column CHECK and a table CHECK written by hand still reject bad rows after change()", async () => {
      await withDatabase("sqlite", async (db) => {
        await db.execute('create table items (id integer primary key, qty integer check ("qty" > 0), price numeric, check (price >= 0))');
        await db.execute("insert into items (qty, price) values (1, 1), (5, 2)");
        await db.schema.table("items", (t) => {
          t.bigInteger("qty").nullable().comment("how many").change();
          t.decimal("price", 10, 2).nullable().change();
        });
        assert.deepEqual(await rows(db, "select id, qty, price from items order by id"), [
          { id: 1, qty: 1, price: 1 },
          { id: 2, qty: 5, price: 2 },
        ]);
        await assert.rejects(db.execute("insert into items (qty, price) values (0, 1)"), /CHECK constraint failed/);
        await assert.rejects(db.execute("insert into items (qty, price) values (1, -1)"), /CHECK constraint failed/);
        const qty = (await db.schema.getColumns("items")).find((c) => c.name === "qty");
        assert.equal(qty?.type, "bigint");
        assert.equal(qty?.comment, "how many", "the comment is read back once, after the kept check");
      });
    });

    test("a named column CHECK keeps its name", async () => {
      await withDatabase("sqlite", async (db) => {
        await db.execute('create table items (qty integer constraint "qty_positive" check (qty > 0))');
        await db.schema.table("items", (t) => {
          t.integer("qty").nullable().change();
        });
        await assert.rejects(db.execute("insert into items values (-1)"), /CHECK constraint failed: qty_positive/);
      });
    });

    test("the enum check Mortar wrote keeps rejecting bad values when another column changes; restating the enum replaces its values", async () => {
      await withDatabase("sqlite", async (db) => {
        await db.schema.create("orders", (t) => {
          t.increments("id");
          t.enum("status", ["new", "paid"]);
          t.integer("total");
        });
        await db.execute("insert into orders (status, total) values ('new', 1), ('paid', 2)");
        await db.schema.table("orders", (t) => {
          t.bigInteger("total").nullable().change();
        });
        await assert.rejects(db.execute("insert into orders (status, total) values ('lost', 1)"), /CHECK constraint failed/);
        await db.schema.table("orders", (t) => {
          t.enum("status", ["new", "paid", "shipped"]).nullable().change();
        });
        await db.execute("insert into orders (status, total) values ('shipped', 3)");
        await assert.rejects(db.execute("insert into orders (status, total) values ('lost', 1)"), /CHECK constraint failed/);
        const sql = String((await rows(db, "select sql from sqlite_master where name = 'orders'"))[0]?.sql);
        assert.equal(sql.match(/check/gi)?.length, 1, `one enum check, not the old one beside the new: ${sql}`);
        assert.equal((await rows(db, "select count(*) as n from orders"))[0]?.n, 3);
      });
    });

    test("a hand-written CHECK on a column Mortar made an enum survives restating it as a string; the enum's own check goes", async () => {
      await withDatabase("sqlite", async (db) => {
        // The shape Mortar writes for enum("kind", ["a", "bb"]), plus a check added by hand.
        await db.execute(`create table tags2 (kind varchar(255) check ("kind" in ('a', 'bb')) not null check (length("kind") < 4))`);
        await db.execute("insert into tags2 values ('a'), ('bb')");
        await db.schema.table("tags2", (t) => {
          t.string("kind", 20).change();
        });
        await db.execute("insert into tags2 values ('ccc')"); // the enum's check went with the enum
        await assert.rejects(db.execute("insert into tags2 values ('dddd')"), /CHECK constraint failed/, "the hand-written check stayed");
        assert.deepEqual(await rows(db, "select kind from tags2 order by kind"), [{ kind: "a" }, { kind: "bb" }, { kind: "ccc" }]);
      });
    });

    test("a change() that existing rows would break fails and leaves the table as it was", async () => {
      await withDatabase("sqlite", async (db) => {
        await db.execute('create table items (qty integer check ("qty" > 0), label text)');
        await db.execute("insert into items values (1, null), (2, 'x')");
        await assert.rejects(
          db.schema.table("items", (t) => {
            t.string("label").change(); // not null now, and a row has none
          }),
          /NOT NULL constraint failed/,
        );
        assert.deepEqual(await rows(db, "select qty, label from items order by qty"), [{ qty: 1, label: null }, { qty: 2, label: "x" }]);
        assert.match(String((await rows(db, "select sql from sqlite_master where name = 'items'"))[0]?.sql), /check \("qty" > 0\), label text\)$/);
      });
    });
  });

  describe("foreign-key checks after a SQLite migration cover the touched tables (item 8)", () => {
    test("orphans an unrelated table already held do not fail a migration that rebuilds another table", async () => {
      await withDatabase("sqlite", async (db) => {
        await orphanedBooks(db);
        await usersAndPosts(db);
        const result = await migrateWith(db, `    await this.schema.table("users", (t) => { t.string("name", 80).change(); });`);
        assert.equal(result.error, undefined, result.error?.message);
        assert.equal((await db.schema.getColumns("users")).find((c) => c.name === "name")?.type, "varchar(80)");
        assert.equal((await rows(db, "select count(*) as n from books"))[0]?.n, 2, "the old orphan is left alone");
      });
    });

    test("orphans in a table the migration rebuilds still fail it, and it rolls back", async () => {
      await withDatabase("sqlite", async (db) => {
        await orphanedBooks(db);
        const result = await migrateWith(db, `    await this.schema.table("books", (t) => { t.string("title", 80).nullable().change(); });`);
        assert.ok(result.error, "the run fails");
        assert.match(result.error.message, /FOREIGN KEY constraint failed: "books" row 2 has no matching row in "authors"/);
        assert.equal((await db.schema.getColumns("books")).find((c) => c.name === "title")?.type, "text", "rolled back");
        assert.deepEqual(await rows(db, "select migration from migrations"), []);
      });
    });

    test("emptying or dropping a parent fails on the children it orphans, in other tables", async () => {
      await withDatabase("sqlite", async (db) => {
        await orphanedBooks(db); // unrelated old damage must not be what fails these runs
        await usersAndPosts(db);
        for (const up of [`    await this.schema.truncate("users");`, `    await this.schema.drop("users");`]) {
          const result = await migrateWith(db, up);
          assert.ok(result.error, `the run fails: ${up}`);
          assert.match(result.error.message, /FOREIGN KEY constraint failed: "posts" row \d+ has no matching row in "users"/, up);
          assert.deepEqual(await rows(db, "select id from users order by id"), [{ id: 1 }, { id: 2 }, { id: 3 }], "rolled back");
        }
      });
    });

    test("a parent rebuilt twice keeps its children valid while an unrelated table holds orphans", async () => {
      await withDatabase("sqlite", async (db) => {
        await orphanedBooks(db);
        await usersAndPosts(db);
        const result = await migrateWith(
          db,
          `    await this.schema.table("users", (t) => { t.dropColumn("name"); });\n    await this.schema.table("users", (t) => { t.string("name").nullable(); });`,
        );
        assert.equal(result.error, undefined, result.error?.message);
        assert.deepEqual(await rows(db, "select user_id from posts order by id"), [{ user_id: 1 }, { user_id: 2 }]);
      });
    });

    test("raw SQL may touch any table, so after it every key is checked (old orphans included)", async () => {
      await withDatabase("sqlite", async (db) => {
        await orphanedBooks(db);
        await usersAndPosts(db);
        const result = await migrateWith(db, `    await this.db.execute("update users set name = 'x' where id = 1");`);
        assert.ok(result.error, "the conservative check sees the old orphan");
        assert.match(result.error.message, /"books" row 2 has no matching row in "authors"/);
        assert.deepEqual(await rows(db, "select name from users where id = 1"), [{ name: "u1" }], "rolled back");
      });
    });
  });
}
