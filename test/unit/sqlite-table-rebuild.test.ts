import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { TableSnapshot } from "../../src/dialect/dialect.js";
import { InvalidSchemaError } from "../../src/errors.js";
import { SqliteGrammar } from "../../src/grammar/sqlite-grammar.js";
import type { Blueprint } from "../../src/schema/blueprint.js";
import { blueprintFor } from "../support/grammar.js";

const grammar = new SqliteGrammar();

const USERS: TableSnapshot = {
  table: "users",
  createSql:
    'CREATE TABLE "users" ("id" integer primary key autoincrement not null, "name" varchar(50) not null /* comment: "display \\"name\\"" */, ' +
    '"team_id" integer, "age" integer, constraint "users_team_id_foreign" foreign key ("team_id") references "teams" ("id") on delete cascade)',
  indexes: [
    { name: "users_age_adult", sql: 'CREATE INDEX "users_age_adult" on "users" ("age") where "age" > 17', columns: ["age"] },
    { name: "users_lower_name", sql: 'CREATE INDEX "users_lower_name" on "users" (lower("name"))', columns: [null] },
  ],
  triggers: [{ name: "users_audit", sql: 'CREATE TRIGGER "users_audit" after insert on "users" begin select 1; end' }],
  sequence: 42,
};

function plan(build: (t: Blueprint) => void, snapshot: TableSnapshot = USERS) {
  const result = grammar.compileWithSnapshot(blueprintFor(grammar, snapshot.table, "alter", build).toCommands(), snapshot);
  return { sql: result.statements.map((s) => s.sql), parameters: result.statements.map((s) => s.parameters), copiesTable: result.copiesTable };
}

const SWAP = [
  'drop table "users"',
  "pragma legacy_alter_table = on",
  'alter table "__mortar_new_users" rename to "users"',
  "pragma legacy_alter_table = off",
  'delete from "sqlite_sequence" where "name" = ?',
  'insert into "sqlite_sequence" ("name", "seq") values (?, cast(? as integer))',
];
const RESTORE = [
  'CREATE INDEX "users_age_adult" on "users" ("age") where "age" > 17',
  'CREATE INDEX "users_lower_name" on "users" (lower("name"))',
  'CREATE TRIGGER "users_audit" after insert on "users" begin select 1; end',
];
const COPY_ALL = 'insert into "__mortar_new_users" ("id", "name", "team_id", "age") select "id", "name", "team_id", "age" from "users"';

describe("SQLite table rebuild plan", () => {
  test("change() restates the column and keeps every other column, key, comment, index, trigger and the counter", () => {
    const result = plan((t) => {
      t.string("name", 200).change();
    });
    assert.equal(result.copiesTable, true);
    assert.deepEqual(result.sql, [
      'create table "__mortar_new_users" ("id" integer primary key autoincrement not null, "name" varchar(200) not null, "team_id" integer, "age" integer, ' +
        'constraint "users_team_id_foreign" foreign key ("team_id") references "teams" ("id") on delete cascade)',
      COPY_ALL,
      ...SWAP,
      ...RESTORE,
    ]);
    assert.deepEqual(result.parameters[6], ["users"]);
    assert.deepEqual(result.parameters[7], ["users", 42], "the AUTOINCREMENT counter is put back");
  });

  test("an unchanged column keeps its comment", () => {
    const result = plan((t) => {
      t.integer("age").nullable().default(18).change();
    });
    assert.match(result.sql[0]!, /"name" varchar\(50\) not null \/\* comment: "display \\"name\\"" \*\//);
    assert.match(result.sql[0]!, /"age" integer default 18/);
  });

  test("several changes to one table share one copy", () => {
    const result = plan((t) => {
      t.string("name", 100).change();
      t.integer("age").nullable().change();
      t.dropForeign(["team_id"]);
    });
    assert.equal(result.sql.filter((s) => s.startsWith("create table")).length, 1);
    assert.doesNotMatch(result.sql[0]!, /foreign key/);
  });

  test("adding a placed, NOT NULL or CURRENT_TIMESTAMP column copies only the old columns", () => {
    const result = plan((t) => {
      t.string("nick").default("x").after("name");
      t.timestamp("seen_at").nullable().useCurrent().first();
    });
    assert.match(result.sql[0]!, /^create table "__mortar_new_users" \("seen_at" timestamp default CURRENT_TIMESTAMP, "id" .*"name" varchar\(50\) not null \/\*.*\*\/, "nick" varchar\(255\) not null default 'x', "team_id"/);
    assert.equal(result.sql[1], COPY_ALL);
  });

  test("foreign keys: add and drop by name or columns", () => {
    const added = plan((t) => {
      t.foreign("age").references("id").on("ages").nullOnDelete();
    });
    assert.match(added.sql[0]!, /, constraint "users_age_foreign" foreign key \("age"\) references "ages" \("id"\) on delete set null\)$/);
    const dropped = plan((t) => {
      t.dropForeign("users_team_id_foreign");
    });
    assert.equal(
      dropped.sql[0],
      'create table "__mortar_new_users" ("id" integer primary key autoincrement not null, "name" varchar(50) not null /* comment: "display \\"name\\"" */, "team_id" integer, "age" integer)',
    );
  });

  test("dropping a column nothing depends on stays in place", () => {
    const result = plan((t) => {
      t.dropColumn("team_id");
    }, { ...USERS, createSql: USERS.createSql.replace(/, constraint .*\)$/, ")") });
    assert.deepEqual(result, { sql: ['alter table "users" drop column "team_id"'], parameters: [[]], copiesTable: false });
  });

  test("dropping an indexed or keyed column rebuilds without its indexes and keys", () => {
    const result = plan((t) => {
      t.dropColumn("age", "team_id");
    });
    assert.equal(result.copiesTable, true);
    assert.equal(
      result.sql[0],
      'create table "__mortar_new_users" ("id" integer primary key autoincrement not null, "name" varchar(50) not null /* comment: "display \\"name\\"" */)',
    );
    assert.equal(result.sql[1], 'insert into "__mortar_new_users" ("id", "name") select "id", "name" from "users"');
    assert.ok(!result.sql.some((s) => s.includes("users_age_adult")), "the partial index on age goes with it");
    assert.ok(result.sql.includes('CREATE INDEX "users_lower_name" on "users" (lower("name"))'));
  });

  test("a dropped column named like an SQL keyword does not take unrelated indexes with it", () => {
    const snapshot: TableSnapshot = {
      table: "t",
      createSql: 'CREATE TABLE "t" ("id" integer primary key autoincrement not null, "a" varchar(255) not null, "unique" varchar(255), "on" integer, constraint "k" check ("on" > 0))',
      indexes: [
        { name: "t_a_unique", sql: 'CREATE UNIQUE INDEX "t_a_unique" on "t" ("a")', columns: ["a"] },
        { name: "t_on_index", sql: 'CREATE INDEX "t_on_index" on "t" ("on") where "on" > 1', columns: ["on"] },
      ],
      triggers: [],
      sequence: null,
    };
    const dropUnique = plan((t) => t.dropColumn("unique") && undefined, snapshot);
    assert.deepEqual(dropUnique.sql, ['alter table "t" drop column "unique"'], "nothing depends on it: dropped in place");
    const dropOn = plan((t) => t.dropColumn("on") && undefined, snapshot);
    assert.ok(dropOn.sql.includes('CREATE UNIQUE INDEX "t_a_unique" on "t" ("a")'), "the index on a survives");
    assert.ok(!dropOn.sql.some((s) => s.includes("t_on_index")), "the index on the column goes");
    assert.doesNotMatch(dropOn.sql[0]!, /check/, "so does the check that reads it");
  });

  test("renameIndex rewrites only the index", () => {
    const result = plan((t) => {
      t.renameIndex("users_age_adult", 'adults"idx');
    });
    assert.deepEqual(result.sql, ['drop index "users_age_adult"', 'CREATE INDEX "adults""idx" on "users" ("age") where "age" > 17']);
    assert.equal(result.copiesTable, false);
  });

  test("primary keys: add to a table without one, drop a table-level or inline key", () => {
    const plain: TableSnapshot = { table: "pivot", createSql: 'CREATE TABLE "pivot" ("a" integer not null, "b" integer not null)', indexes: [], triggers: [], sequence: null };
    const added = plan((t) => {
      t.primary(["a", "b"]);
    }, plain);
    assert.deepEqual(added.sql.slice(0, 2), [
      'create table "__mortar_new_pivot" ("a" integer not null, "b" integer not null, constraint "pivot_pkey" primary key ("a", "b"))',
      'insert into "__mortar_new_pivot" (rowid, "a", "b") select rowid, "a", "b" from "pivot"',
    ]);
    const keyed = { ...plain, createSql: 'CREATE TABLE "pivot" ("a" integer not null, "b" integer not null, constraint "pivot_pkey" primary key ("a", "b"))' };
    assert.equal(plan((t) => t.dropPrimary() && undefined, keyed).sql[0], 'create table "__mortar_new_pivot" ("a" integer not null, "b" integer not null)');
    assert.equal(
      plan((t) => t.dropPrimary() && undefined).sql[0]!.slice(0, 60),
      'create table "__mortar_new_users" ("id" integer not null, "n',
    );
  });

  test("mistakes name the table and what is missing", () => {
    const cases: [(t: Blueprint) => void, RegExp][] = [
      [(t) => t.string("nope").change() && undefined, /table "users" has no column "nope" to change/],
      [(t) => t.dropColumn("nope") && undefined, /table "users" has no column "nope" to drop/],
      [(t) => t.dropForeign("nope") && undefined, /table "users" has no foreign key named "nope"/],
      [(t) => t.renameIndex("nope", "x") && undefined, /table "users" has no index "nope" to rename/],
      [(t) => t.primary("age") && undefined, /table "users" already has a primary key/],
      [(t) => t.string("name").nullable().first() && undefined, /table "users" already has a column "name"/],
      [(t) => t.foreign("nope").references("id").on("x") && undefined, /has no column "nope" for foreign key/],
    ];
    for (const [build, message] of cases) {
      assert.throws(() => plan(build), (e: unknown) => e instanceof InvalidSchemaError && message.test(e.message));
    }
  });
});
