import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { TableSnapshot } from "../../src/dialect/dialect.js";
import { columnChecks, declaredType, foldIdentifier, sameIdentifier } from "../../src/grammar/sqlite-create-table-parser.js";
import { SqliteGrammar } from "../../src/grammar/sqlite-grammar.js";
import type { Blueprint } from "../../src/schema/blueprint.js";
import { blueprintFor } from "../support/grammar.js";

const grammar = new SqliteGrammar();

function plan(createSql: string, build: (t: Blueprint) => void): string[] {
  const table = /"(\w+)"/.exec(createSql)![1]!;
  const snapshot: TableSnapshot = { table, createSql, indexes: [], triggers: [], sequence: null };
  return grammar.compileWithSnapshot(blueprintFor(grammar, table, "alter", build).toCommands(), snapshot).statements.map((s) => s.sql);
}

describe("SQLite rebuild plan: what the trust review found lost", () => {
  test("identifiers fold ASCII letters only, as SQLite compares them", () => {
    assert.equal(foldIdentifier("ÄbC_Ö"), "Äbc_Ö");
    assert.ok(sameIdentifier("Name", "nAME"));
    assert.ok(!sameIdentifier("ö", "Ö"));
    assert.ok(!sameIdentifier("straße", "STRASSE"));
  });

  test("declaredType reads the type up to the first constraint", () => {
    assert.equal(declaredType('"id" INTEGER primary key'), "integer");
    assert.equal(declaredType('"n" numeric(8, 2) not null'), "numeric(8, 2)");
    assert.equal(declaredType('"x" check (x > 0)'), "");
    assert.equal(declaredType('"u" unsigned big int default 1'), "unsigned big int");
  });

  test("columnChecks finds every check of a column, named or not, and nothing inside strings", () => {
    assert.deepEqual(columnChecks(`"q" integer check ("q" > 0) constraint "small" check (q < 9) default 'check (1)'`), [
      { name: null, text: 'check ("q" > 0)', expression: '("q" > 0)' },
      { name: "small", text: 'constraint "small" check (q < 9)', expression: "(q < 9)" },
    ]);
  });

  test("the hidden rowid is copied; an INTEGER PRIMARY KEY carries it instead; a new one takes the old rowids", () => {
    assert.equal(
      plan('CREATE TABLE "notes" ("title" text)', (t) => t.string("title").change() && undefined)[1],
      'insert into "__mortar_new_notes" (rowid, "title") select rowid, "title" from "notes"',
    );
    assert.equal(
      plan('CREATE TABLE "notes" ("id" integer primary key, "title" text)', (t) => t.string("title").change() && undefined)[1],
      'insert into "__mortar_new_notes" ("id", "title") select "id", "title" from "notes"',
    );
    assert.equal(
      plan('CREATE TABLE "notes" ("rowid" text, "title" text)', (t) => t.string("title").change() && undefined)[1],
      'insert into "__mortar_new_notes" (_rowid_, "rowid", "title") select _rowid_, "rowid", "title" from "notes"',
    );
    assert.equal(
      plan('CREATE TABLE "notes" ("title" text)', (t) => t.increments("id").first() && undefined)[1],
      'insert into "__mortar_new_notes" ("id", "title") select rowid, "title" from "notes"',
    );
    assert.equal(
      plan('CREATE TABLE "kv" ("k" text primary key, "v" text) without rowid', (t) => t.string("v").change() && undefined)[1],
      'insert into "__mortar_new_kv" ("k", "v") select "k", "v" from "kv"',
    );
  });

  test("change() keeps the column's primary key, and an integer one stays the rowid alias", () => {
    assert.equal(
      plan('CREATE TABLE "users" ("id" integer primary key autoincrement not null, "n" text)', (t) => t.unsignedBigInteger("id").change() && undefined)[0],
      'create table "__mortar_new_users" ("id" integer primary key not null, "n" text)',
    );
    assert.equal(
      plan('CREATE TABLE "codes" ("code" varchar(9) primary key, "n" text)', (t) => t.string("code", 20).change() && undefined)[0],
      'create table "__mortar_new_codes" ("code" varchar(20) primary key not null, "n" text)',
    );
  });

  test("a STRICT table gets STRICT type names for changed and added columns", () => {
    assert.equal(
      plan('CREATE TABLE "s" ("a" int, "b" text) strict', (t) => {
        t.string("b", 9).nullable().change();
        t.decimal("c").nullable().first();
        t.enum("d", ["x"]).nullable().after("a");
      })[0],
      `create table "__mortar_new_s" ("c" real, "a" int, "d" text check ("d" in ('x')), "b" text) strict`,
    );
  });

  test("column checks are carried over before the comment; a restated enum replaces only its own check", () => {
    assert.equal(
      plan('CREATE TABLE "t" ("q" integer check ("q" > 0) /* comment: "old" */)', (t) => t.bigInteger("q").comment("new").change() && undefined)[0],
      'create table "__mortar_new_t" ("q" bigint not null check ("q" > 0) /* comment: "new" */)',
    );
    assert.equal(
      plan(`CREATE TABLE "t" ("s" varchar(255) check ("s" in ('a')) check (length(s) < 5))`, (t) => t.enum("s", ["a", "b"]).change() && undefined)[0],
      `create table "__mortar_new_t" ("s" varchar(255) check ("s" in ('a', 'b')) not null check (length(s) < 5))`,
    );
  });
});
