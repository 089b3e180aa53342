import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { connect } from "../../src/dialect/connect.js";
import { sqliteDialect } from "../../src/dialect/sqlite/sqlite-dialect.js";

// The foreign-key check after a SQLite migration covers the touched tables and their
// children; children are found by the parent's name in their CREATE TABLE text first.
// Names that are written escaped, or hold LIKE's wildcards, must still find them.
describe("SQLite foreign-key check finds the children of a touched table", () => {
  for (const parent of ['we"ird', "a_b%c", "back\\slash", "plain", "MiXeD"]) {
    test(`parent ${JSON.stringify(parent)}: an orphan in its child fails the check; an unrelated orphan does not`, async () => {
      const db = await connect({ driver: "sqlite", database: ":memory:" });
      try {
        const q = (name: string) => db.grammar.quoteIdentifier(name);
        await db.execute("pragma foreign_keys = off");
        await db.execute(`create table ${q(parent)} (id integer primary key)`);
        await db.execute(`create table "child" (id integer primary key, p integer references ${q(parent.toLowerCase() === parent ? parent : parent.toUpperCase())} (id))`);
        await db.execute(`create table "other_parent" (id integer primary key)`);
        await db.execute(`create table "other_child" (id integer primary key, p integer references "other_parent" (id))`);
        await db.execute(`insert into "other_child" values (1, 42)`); // an old, unrelated orphan
        await sqliteDialect.checkForeignKeys!(db, [parent]);
        await db.execute(`insert into "child" values (1, 99)`);
        await assert.rejects(sqliteDialect.checkForeignKeys!(db, [parent]), (error: Error) => {
          assert.match(error.message, /"child" row 1 has no matching row/);
          assert.doesNotMatch(error.message, /other_child/);
          return true;
        });
      } finally {
        await db.close();
      }
    });
  }
});
