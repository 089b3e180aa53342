import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { changesData, changesSchema, excerpt, isPlainSelect, statementsOf } from "../../src/lint/rules/raw-statements.js";
import { canonicalPostgresType, postgresChangeRewrites } from "../../src/lint/rules/column-type-change.js";

describe("raw statement reading (lint)", () => {
  test("splits on semicolons outside quotes and comments, dropping comments", () => {
    assert.deepEqual(statementsOf("insert into t values ('a;b'); -- x; y\n/* ; */ delete from t;"), ["insert into t values ('a;b')", "delete from t"]);
  });
  test("a plain SELECT reads; INTO, FOR UPDATE and a second statement do not", () => {
    assert.equal(isPlainSelect("(select 1)"), true);
    assert.equal(isPlainSelect("select * from t for share"), false);
    assert.equal(isPlainSelect("select 1 into @x"), false);
    assert.equal(isPlainSelect("select 1; update t set a = 1"), false);
  });
  test("data and schema changes by first keyword, a WITH that writes is data", () => {
    assert.equal(changesData("with x as (delete from t returning *) select * from x"), true);
    assert.equal(changesData("with x as (select 1) select * from x"), false);
    assert.equal(changesData("alter table t add c int"), false);
    assert.equal(changesSchema("ALTER TABLE t ADD c int"), true);
  });
  test("excerpts hide string literals and stay short", () => {
    assert.equal(excerpt("update t\n  set secret = 'it''s me'"), "update t set secret = '…'");
    assert.equal(excerpt(`select ${"x, ".repeat(40)}1`).length, 80);
  });
});

describe("PostgreSQL type changes (lint)", () => {
  test("format_type spellings are made canonical", () => {
    assert.equal(canonicalPostgresType("character varying(50)"), "varchar(50)");
    assert.equal(canonicalPostgresType("timestamp(0) with time zone"), "timestamptz(0)");
    assert.equal(canonicalPostgresType("numeric(8, 2)"), "numeric(8,2)");
  });
  test("binary-coercible widenings need no rewrite; the rest do", () => {
    assert.equal(postgresChangeRewrites("varchar(50)", "varchar"), false);
    assert.equal(postgresChangeRewrites("numeric(8,2)", "numeric"), false);
    assert.equal(postgresChangeRewrites("cidr", "inet"), false);
    assert.equal(postgresChangeRewrites("varchar", "varchar(10)"), true);
    assert.equal(postgresChangeRewrites("text", "varchar(100)"), true);
    assert.equal(postgresChangeRewrites("timestamp", "timestamptz"), true);
  });
});
