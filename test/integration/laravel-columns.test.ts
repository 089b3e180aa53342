import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Database } from "../../src/dialect/database.js";
import type { DialectName } from "../../src/dialect/dialect.js";
import { UnsupportedOperationError } from "../../src/errors.js";
import { Migrator } from "../../src/migration/migrator.js";
import { DIALECTS, withDatabase } from "../support/databases.js";
import { withMigrationFiles } from "../support/migration-files.js";

/**
 * Every Laravel 12 column call and modifier of spec §3 on the real servers: the columns
 * read back (type, nullability, keys and indexes), and each modifier's effect (a value
 * computed, a collation applied, a check that bites, a warning that reaches the run).
 */

type Shape = readonly [name: string, type: string, nullable: boolean];

/** What each dialect reports for the columns of `comments`. */
const COMMENT_COLUMNS: Record<DialectName, readonly Shape[]> = {
  sqlite: [
    ["id", "integer", false],
    ["ulid", "char(26)", false],
    ["post_id", "char(26)", false],
    ["person_id", "bigint", false],
    ["team_uuid", "char(36)", false],
    ["remember_token", "varchar(100)", true],
    ["created_at", "datetime", true],
    ["updated_at", "datetime", true],
    ["deleted_at", "datetime", true],
    ["taggable_type", "varchar(255)", true],
    ["taggable_id", "bigint", true],
    ["owner_type", "varchar(255)", false],
    ["owner_id", "char(36)", false],
    ["subject_type", "varchar(255)", true],
    ["subject_id", "char(26)", true],
    ["score", "double", false],
    ["ratio", "float", false],
  ],
  postgres: [
    ["id", "bigint", false],
    ["ulid", "character(26)", false],
    ["post_id", "character(26)", false],
    ["person_id", "bigint", false],
    ["team_uuid", "uuid", false],
    ["remember_token", "character varying(100)", true],
    ["created_at", "timestamp(0) with time zone", true],
    ["updated_at", "timestamp(0) with time zone", true],
    ["deleted_at", "timestamp(0) with time zone", true],
    ["taggable_type", "character varying(255)", true],
    ["taggable_id", "bigint", true],
    ["owner_type", "character varying(255)", false],
    ["owner_id", "uuid", false],
    ["subject_type", "character varying(255)", true],
    ["subject_id", "character(26)", true],
    ["score", "double precision", false],
    ["ratio", "real", false],
  ],
  mysql: [
    ["id", "bigint unsigned", false],
    ["ulid", "char(26)", false],
    ["post_id", "char(26)", false],
    ["person_id", "bigint unsigned", false],
    ["team_uuid", "char(36)", false],
    ["remember_token", "varchar(100)", true],
    ["created_at", "timestamp", true],
    ["updated_at", "timestamp", true],
    ["deleted_at", "timestamp", true],
    ["taggable_type", "varchar(255)", true],
    ["taggable_id", "bigint unsigned", true],
    ["owner_type", "varchar(255)", false],
    ["owner_id", "char(36)", false],
    ["subject_type", "varchar(255)", true],
    ["subject_id", "char(26)", true],
    ["score", "double", false],
    ["ratio", "float", false],
  ],
};

/** A collation each dialect has that differs from the default in a way a query can see. */
const CASE_SENSITIVE: Record<DialectName, { readonly collation: string; readonly equalIgnoringCase: boolean }> = {
  // NOCASE: 'abc' = 'ABC' (the default BINARY says no).
  sqlite: { collation: "NOCASE", equalIgnoringCase: true },
  // "C" compares bytes, like the default in a test database, so the catalog is read too.
  postgres: { collation: "C", equalIgnoringCase: false },
  // utf8mb4_bin: 'abc' <> 'ABC' (the table's utf8mb4_unicode_ci says they are equal).
  mysql: { collation: "utf8mb4_bin", equalIgnoringCase: false },
};

/** How each dialect reports a key without an on delete clause. */
const NO_ACTION: Record<DialectName, string> = { sqlite: "no action", postgres: "no action", mysql: "restrict" };

async function parents(db: Database): Promise<void> {
  await db.schema.create("users", (t) => void t.id());
  await db.schema.create("people", (t) => void t.id());
  await db.schema.create("teams", (t) => void t.uuid("uuid").primary());
  await db.schema.create("posts", (t) => void t.ulid("id").primary());
}

async function valuesOf(db: Database, sql: string): Promise<unknown[]> {
  return (await db.read(sql)).map((row) => Object.values(row)[0]);
}

for (const dialect of DIALECTS) {
  describe(`Laravel 12 columns on ${dialect}`, () => {
    test("every new column call: types, nullability, morph indexes and the keys constrained() adds", async () => {
      await withDatabase(dialect, async (db) => {
        await parents(db);
        await db.schema.create("comments", (t) => {
          t.id();
          t.ulid();
          t.foreignUlid("post_id").constrained();
          t.foreignIdFor("people").constrained();
          t.foreignIdFor({ table: "teams", primaryKey: "uuid", keyType: "uuid" }).constrained().cascadeOnDelete();
          t.rememberToken();
          t.timestampsTz();
          t.softDeletesTz();
          t.nullableMorphs("taggable");
          t.uuidMorphs("owner");
          t.nullableUlidMorphs("subject");
          t.float("score");
          t.float("ratio", 24);
        });
        const columns = await db.schema.getColumns("comments");
        assert.deepEqual(
          columns.map((c) => [c.name, c.type, c.nullable]),
          COMMENT_COLUMNS[dialect].map((shape) => [...shape]),
        );
        const indexes = (await db.schema.getIndexes("comments")).filter((i) => !i.primary).map((i) => [i.name, [...i.columns]]);
        for (const morph of ["taggable", "owner", "subject"]) {
          assert.ok(
            indexes.some(([name, cols]) => name === `comments_${morph}_type_${morph}_id_index` && String(cols) === `${morph}_type,${morph}_id`),
            `${morph} index in ${JSON.stringify(indexes)}`,
          );
        }
        const keys = (await db.schema.getForeignKeys("comments")).map((k) => [k.columns.join(), k.foreignTable, k.foreignColumns.join(), k.onDelete]).sort();
        assert.deepEqual(keys, [
          ["person_id", "people", "id", NO_ACTION[dialect]],
          ["post_id", "posts", "id", NO_ACTION[dialect]],
          ["team_uuid", "teams", "uuid", "cascade"],
        ]);
      });
    });

    test("nullableTimestamps, numeric and ulid morphs, positional auto-increment", async () => {
      await withDatabase(dialect, async (db) => {
        await db.schema.create("events", (t) => {
          t.unsignedBigInteger("id", true);
          t.nullableTimestamps();
          t.numericMorphs("source");
          t.nullableNumericMorphs("target");
          t.ulidMorphs("origin");
          t.nullableUuidMorphs("cause");
          t.morphs("about");
        });
        const columns = await db.schema.getColumns("events");
        assert.equal(columns.find((c) => c.name === "id")?.autoIncrement, true);
        assert.deepEqual(
          columns.filter((c) => c.name.endsWith("_at")).map((c) => [c.name, c.nullable]),
          [["created_at", true], ["updated_at", true]],
        );
        const nullable = Object.fromEntries(columns.map((c) => [c.name, c.nullable]));
        assert.deepEqual(
          [nullable.source_id, nullable.target_id, nullable.origin_id, nullable.cause_id, nullable.about_id],
          [false, true, false, true, false],
        );
        assert.equal((await db.schema.getIndexes("events")).filter((i) => !i.primary).length, 5, "one index per morph pair");
        await db.execute("insert into events (source_type, source_id, origin_type, origin_id, about_type, about_id) values ('a', 1, 'b', '01J00000000000000000000000', 'c', 2)");
        assert.deepEqual((await valuesOf(db, "select id from events")).map(Number), [1], "the positional auto-increment numbers rows");
      });
    });

    test("storedAs/virtualAs compute the value, check() rejects a bad row, collation() is applied", async () => {
      await withDatabase(dialect, async (db) => {
        const { collation, equalIgnoringCase } = CASE_SENSITIVE[dialect];
        await db.schema.create("items", (t) => {
          t.id();
          t.integer("price");
          t.integer("qty").check("qty >= 0");
          t.integer("total").storedAs("price * qty");
          if (dialect !== "postgres") t.integer("half").virtualAs("price / 2");
          t.string("code", 20).collation(collation);
        });
        await db.execute("insert into items (price, qty, code) values (10, 3, 'abc')");
        assert.deepEqual((await valuesOf(db, "select total from items")).map(Number), [30]);
        if (dialect !== "postgres") assert.deepEqual((await valuesOf(db, "select half from items")).map(Number), [5]);
        await assert.rejects(db.execute("insert into items (price, qty, code) values (1, -1, 'x')"), "the check bites");
        const matches = await valuesOf(db, "select count(*) as n from items where code = 'ABC'");
        assert.equal(Number(matches[0]), equalIgnoringCase ? 1 : 0);
        if (dialect === "postgres") {
          assert.deepEqual(await valuesOf(db, "select collation_name from information_schema.columns where table_name = 'items' and column_name = 'code'"), ["C"]);
        }
        if (dialect === "mysql") {
          assert.deepEqual(await valuesOf(db, "select collation_name from information_schema.columns where table_schema = database() and table_name = 'items' and column_name = 'code'"), ["utf8mb4_bin"]);
        }
        // Added to a table with rows: SQLite rebuilds the table for a stored column.
        await db.schema.table("items", (t) => void t.integer("double_qty").storedAs("qty * 2"));
        assert.deepEqual((await valuesOf(db, "select double_qty from items")).map(Number), [6]);
        assert.deepEqual((await valuesOf(db, "select total from items")).map(Number), [30], "the rebuild kept the other generated column");
      });
    });

    test("charset(): MySQL sets it, the others refuse it by name", async () => {
      await withDatabase(dialect, async (db) => {
        const create = db.schema.create("labels", (t) => void t.string("name").charset("latin1").collation(dialect === "mysql" ? "latin1_general_ci" : "x"));
        if (dialect !== "mysql") {
          await assert.rejects(create, (error: unknown) => {
            assert.ok(error instanceof UnsupportedOperationError, String(error));
            assert.match(error.message, new RegExp(`^${dialect} cannot set charset "latin1" on column "name"`));
            return true;
          });
          assert.deepEqual(await db.schema.getTables(), []);
          return;
        }
        await create;
        assert.deepEqual(
          await valuesOf(db, "select character_set_name from information_schema.columns where table_schema = database() and table_name = 'labels' and column_name = 'name'"),
          ["latin1"],
        );
      });
    });

    test("change() with first(): MySQL and SQLite move the column and keep its rows; PostgreSQL warns and leaves it", async () => {
      await withDatabase(dialect, async (db) => {
        await db.schema.create("notes", (t) => {
          t.id();
          t.string("title");
          t.string("body").nullable();
        });
        await db.execute("insert into notes (title, body) values ('t', 'b')");
        const warnings: string[] = [];
        const stop = db.observeChanges((change) => void (change.kind === "warning" && warnings.push(change.message)));
        try {
          await db.schema.table("notes", (t) => void t.string("body", 100).nullable().first().change());
        } finally {
          stop();
        }
        const names = (await db.schema.getColumns("notes")).map((c) => c.name);
        if (dialect === "postgres") {
          assert.deepEqual(names, ["id", "title", "body"]);
          assert.deepEqual(warnings, ['postgres ignores first() on column "body" of table "notes": PostgreSQL always appends columns']);
        } else {
          assert.deepEqual(names, ["body", "id", "title"]);
          assert.deepEqual(warnings, []);
        }
        assert.deepEqual(await db.read("select id, title, body from notes"), [{ id: dialect === "postgres" ? "1" : 1, title: "t", body: "b" }]);
      });
    });

    test("after()/first(): PostgreSQL adds the column and the run reports a warning; MySQL and SQLite place it", async () => {
      await withDatabase(dialect, async (db) => {
        await db.schema.create("people", (t) => {
          t.id();
          t.string("name");
        });
        await withMigrationFiles(
          {
            "2026_01_01_000000_add_title.mjs": `import { Migration } from "mortar";
export default class extends Migration {
  async up() {
    await this.schema.table("people", (t) => { t.string("title").nullable().after("id"); });
  }
  async down() {
    await this.schema.table("people", (t) => { t.dropColumn("title"); });
  }
}
`,
          },
          async (dir) => {
            const migrator = new Migrator(db, { path: dir });
            const pretended = await migrator.migrate({ pretend: true });
            const result = await migrator.migrate();
            assert.equal(result.error, undefined, result.error?.message);
            const names = (await db.schema.getColumns("people")).map((c) => c.name);
            const expected =
              dialect === "postgres"
                ? ['2026_01_01_000000_add_title: postgres ignores after("id") on column "title" of table "people": PostgreSQL always appends columns']
                : [];
            assert.deepEqual(result.warnings, expected);
            assert.deepEqual(pretended.warnings, expected, "a pretended run warns too");
            assert.deepEqual(names, dialect === "postgres" ? ["id", "name", "title"] : ["id", "title", "name"]);
          },
        );
      });
    });
  });
}
