import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { mayHavePartlyRun } from "../../src/migration/statement-shape.js";

describe("mayHavePartlyRun: which failed statements can have changed the database", () => {
  test("several statements in one text, or a DROP/RENAME of several tables, can", () => {
    for (const sql of [
      "create table a (id int); create table b (id int, id int)",
      "insert into a values (1);\ninsert into a values (1)",
      "drop table keep1, missing",
      "DROP TABLE IF EXISTS `a`, `b`",
      "drop view v1, v2",
      "rename table a to b, c to d",
    ]) {
      assert.equal(mayHavePartlyRun(sql), true, sql);
    }
  });

  test("one statement cannot, whatever its literals, identifiers and comments hold", () => {
    for (const sql of [
      "drop table ghost",
      "drop table `ghost`;",
      "alter table `base` modify `nope` varchar(50) null",
      "insert into t (a, b) values ('x; drop table y', 'a, b')",
      'create table "odd;name" (id int)',
      "drop table `a,b`",
      "update t set a = 1 -- ; drop table x\n",
      "/* ; */ delete from t",
      "insert into t values ('it''s; fine')",
      "insert into t values ('back\\'slash; still one')",
    ]) {
      assert.equal(mayHavePartlyRun(sql), false, sql);
    }
  });
});
