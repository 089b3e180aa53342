import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { dialectFor } from "../../src/dialect/connect.js";
import { diffSchemas } from "../../src/schema-dump/diff.js";
import type { ColumnModel, SchemaModel, TableModel } from "../../src/schema-dump/model.js";
import { withoutCounter, withoutDefiner } from "../../src/schema-dump/mysql-reader.js";
import { reparsedForm } from "../../src/schema-dump/postgres-reader.js";
import { splitStatements } from "../../src/schema-dump/split-statements.js";
import { migrationsInDump } from "../../src/schema-dump/tracking-rows.js";
import { orderViews } from "../../src/schema-dump/view-order.js";
import { schemaStatements } from "../../src/schema-dump/write-dump.js";

describe("splitStatements", () => {
  test("a ; inside quotes, identifiers and comments does not end a statement", () => {
    assert.deepEqual(splitStatements(`-- head; note\ncreate table "a;b" (x text default 'p;q');\n/* c; */ insert into t values ('it''s; fine');\n`), [
      `create table "a;b" (x text default 'p;q')`,
      `/* c; */ insert into t values ('it''s; fine')`,
    ]);
  });

  test("a SQLite trigger body (with CASE … END inside) is one statement", () => {
    const trigger = "CREATE TRIGGER t AFTER UPDATE ON a BEGIN UPDATE a SET x = CASE WHEN 1 THEN 2 ELSE 3 END; DELETE FROM b; END";
    assert.deepEqual(splitStatements(`${trigger};\ncreate view v as select 1;`), [trigger, "create view v as select 1"]);
  });

  test("PostgreSQL dollar quotes, E'' strings, and MySQL backslash escapes", () => {
    assert.deepEqual(splitStatements("select $fn$ a; b $fn$; select E'x\\';y'; select 'c:\\'"), ["select $fn$ a; b $fn$", "select E'x\\';y'", "select 'c:\\'"]);
    assert.deepEqual(splitStatements("insert into t values ('a\\';b'); select 1", { backslashEscapes: true }), ["insert into t values ('a\\';b')", "select 1"]);
  });

  test("comment-only text is no statement", () => {
    assert.deepEqual(splitStatements("-- only a comment\n\n/* and another */\n"), []);
  });
});

test("PostgreSQL's IN-list printing is rewritten into the form it reads back", () => {
  assert.equal(
    reparsedForm("(((status)::text = ANY ((ARRAY['a'::character varying, 'it''s'::character varying])::text[])))"),
    "(((status)::text = ANY (ARRAY[('a'::character varying)::text, ('it''s'::character varying)::text])))",
  );
  assert.equal(reparsedForm("(qty > 0)"), "(qty > 0)");
});

test("MySQL texts lose the auto-increment counter and the definer", () => {
  assert.equal(withoutCounter("CREATE TABLE `t` (\n) ENGINE=InnoDB AUTO_INCREMENT=42 DEFAULT CHARSET=utf8mb4"), "CREATE TABLE `t` (\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
  assert.equal(
    withoutDefiner("CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`127.0.0.1` SQL SECURITY DEFINER VIEW `v` AS select 1"),
    "CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `v` AS select 1",
  );
});

test("views come after the views they name, otherwise by name", () => {
  const views = [
    { name: "a_totals", definition: "select * from z_base" },
    { name: "m_plain", definition: "select 1" },
    { name: "z_base", definition: "select * from articles" },
  ];
  assert.deepEqual(orderViews(views).map((v) => v.name), ["m_plain", "z_base", "a_totals"]);
});

test("the tracking rows are read back from a dump's INSERTs", () => {
  const q = (name: string) => `"${name}"`;
  const rows = migrationsInDump([`create table "x" (a int)`, `insert into "migrations" ("migration", "batch", "checksum", "status") values ('2025_01_01_000000_a', 1, 'v2:x', 'ran')`, `insert into "migrations" ("migration", "batch") values ('2025_01_02_000000_b', 2)`], "migrations", q);
  assert.deepEqual(rows, [
    { migration: "2025_01_01_000000_a", batch: 1 },
    { migration: "2025_01_02_000000_b", batch: 2 },
  ]);
});

function column(name: string, over: Partial<ColumnModel> = {}): ColumnModel {
  return { name, typeName: "int4", type: "integer", nullable: false, default: null, autoIncrement: false, comment: null, collation: null, generated: null, generatedKind: null, identity: null, ...over };
}

function table(name: string, over: Partial<TableModel> = {}): TableModel {
  return { name, columns: [], indexes: [], foreignKeys: [], checks: [], comment: null, options: {}, definition: null, triggers: [], ...over };
}

function model(tables: TableModel[], over: Partial<SchemaModel> = {}): SchemaModel {
  return { dialect: "postgres", tables, views: [], sequences: [], enumTypes: [], ...over };
}

test("PostgreSQL dump statements: types, tables, constraints, foreign keys, indexes, views, comments in that order", () => {
  const users = table("users", {
    columns: [column("id", { autoIncrement: true, identity: "by default" }), column("email", { typeName: "varchar", type: "character varying(255)", collation: '"C"', comment: "it's unique" })],
    indexes: [
      { name: "users_pkey", columns: ["id"], unique: true, primary: true, type: "btree", definition: "PRIMARY KEY (id)", constraint: true },
      { name: "users_lower_email", columns: ["lower(email)"], unique: false, primary: false, type: "btree", definition: "CREATE INDEX users_lower_email ON users USING btree (lower(email)) WHERE (id > 0)", constraint: false },
    ],
    checks: [{ name: "users_id_check", expression: "((id > 0))" }],
    comment: "people",
  });
  const posts = table("posts", {
    columns: [column("user_id", { nullable: true, default: "0" })],
    foreignKeys: [{ name: "posts_user_id_foreign", columns: ["user_id"], foreignTable: "users", foreignColumns: ["id"], onDelete: "cascade", onUpdate: "no action", definition: "FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE" }],
  });
  const statements = schemaStatements(
    model([posts, users], { enumTypes: [{ name: "mood", values: ["ok"] }], views: [{ name: "v", definition: " SELECT 1;" }] }),
    dialectFor("postgres").grammar,
  );
  assert.deepEqual(statements, [
    `create type "mood" as enum ('ok')`,
    `create table "posts" (\n  "user_id" integer default 0\n)`,
    `create table "users" (\n  "id" integer generated by default as identity not null,\n  "email" character varying(255) collate "C" not null\n)`,
    `alter table "users" add constraint "users_id_check" CHECK ((id > 0))`,
    `alter table "users" add constraint "users_pkey" PRIMARY KEY (id)`,
    `alter table "posts" add constraint "posts_user_id_foreign" FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE`,
    "CREATE INDEX users_lower_email ON users USING btree (lower(email)) WHERE (id > 0)",
    `create view "v" as\n SELECT 1`,
    `comment on table "users" is 'people'`,
    `comment on column "users"."email" is 'it''s unique'`,
  ]);
});

test("diffSchemas lists each difference with what the migrations expect and what the database has", () => {
  const expected = model([
    table("a", { columns: [column("x", { default: "1" })], checks: [{ name: "a_x", expression: "(x > 0)" }] }),
    table("gone"),
    table("migrations", { columns: [column("id")] }),
  ]);
  const actual = model([table("a", { columns: [column("x", { default: "2", nullable: true }), column("y")] }), table("extra")], {
    views: [{ name: "v", definition: "select 1" }],
  });
  assert.deepEqual(diffSchemas(expected, actual, { ignoreTables: ["migrations"] }), [
    { kind: "columnNullable", table: "a", name: "x", expected: "not null", actual: "null" },
    { kind: "columnDefault", table: "a", name: "x", expected: "1", actual: "2" },
    { kind: "column", table: "a", name: "y", expected: null, actual: "integer not null" },
    { kind: "check", table: "a", name: "a_x", expected: "(x > 0)", actual: null },
    { kind: "table", table: "extra", name: "extra", expected: null, actual: "present" },
    { kind: "table", table: "gone", name: "gone", expected: "present", actual: null },
    { kind: "view", table: null, name: "v", expected: null, actual: "select 1" },
  ]);
  assert.deepEqual(diffSchemas(expected, expected), []);
});
