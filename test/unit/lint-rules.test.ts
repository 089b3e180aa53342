import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { RULE_IDS, type LintContext, type LintOperation, type RuleId, type RuleOutcome } from "../../src/lint/lint-rule.js";
import { RULES } from "../../src/lint/rules/index.js";
import { raw, type ColumnSpec, type ForeignKeySpec, type SchemaCommand } from "../../src/schema/commands.js";
import type { DialectName } from "../../src/schema/live-schema.js";
import { columnSpec } from "../support/column-spec.js";
import {
  CREATED_HERE,
  EARLIER_FILE,
  lintContext,
  liveColumnInfo,
  liveTable,
  rawOp,
  schemaOp,
  type ContextOptions,
  type TableSetup,
} from "../support/lint-context.js";

/** Asks one rule about one operation, after checking the rule applies to the dialect. */
function run(id: RuleId, operation: LintOperation, context: LintContext): readonly RuleOutcome[] {
  const rule = RULES.find((r) => r.id === id);
  assert.ok(rule, `no rule ${id}`);
  assert.ok(rule.dialects.includes(context.dialect), `${id} does not apply to ${context.dialect}`);
  return rule.check(operation, context);
}

function assertFinding(outcomes: readonly RuleOutcome[], ...phrases: string[]): void {
  assert.equal(outcomes.length, 1, `expected one finding, got ${JSON.stringify(outcomes)}`);
  const outcome = outcomes[0]!;
  assert.equal(outcome.kind, "finding", JSON.stringify(outcome));
  if (outcome.kind !== "finding") return;
  assert.ok(outcome.fix.length > 0);
  for (const phrase of phrases) assert.ok(outcome.message.includes(phrase) || outcome.fix.includes(phrase), `"${phrase}" not in ${JSON.stringify(outcome)}`);
}

function assertNone(outcomes: readonly RuleOutcome[]): void {
  assert.deepEqual(outcomes, []);
}

function assertUndecided(outcomes: readonly RuleOutcome[], phrase: string): void {
  assert.equal(outcomes.length, 1);
  const outcome = outcomes[0]!;
  assert.equal(outcome.kind, "undecided", JSON.stringify(outcomes));
  if (outcome.kind === "undecided") assert.ok(outcome.reason.includes(phrase), outcome.reason);
}

function live(dialect: DialectName, tables: Record<string, TableSetup>, extra: Partial<ContextOptions> = {}): LintContext {
  return lintContext({ dialect, tables, serverVersion: dialect === "postgres" ? "15.4" : undefined, ...extra });
}

function offline(dialect: DialectName, tables: Record<string, TableSetup> = {}, extra: Partial<ContextOptions> = {}): LintContext {
  return lintContext({ dialect, offline: true, tables, ...extra });
}

const BUSY_USERS = { users: liveTable(1_200_000) };
const NEW_USERS = { users: CREATED_HERE };

const op = (command: SchemaCommand): LintOperation => schemaOp(command);
const addIndex = (type: "index" | "unique" | "primary" | "fulltext", name = `users_email_${type}`) =>
  op({ kind: "addIndex", table: "users", index: { type, name, columns: ["email"] } });
const addColumn = (column: ColumnSpec, table = "users") => op({ kind: "addColumn", table, column });
const changeColumn = (column: ColumnSpec, table = "users") => op({ kind: "changeColumn", table, column });
const string = (name: string, length: number, fields: Partial<ColumnSpec> = {}) => columnSpec({ name, type: "string", length, nullable: true, ...fields });
const FOREIGN_KEY: ForeignKeySpec = { name: "posts_user_id_foreign", columns: ["user_id"], referencedTable: "users", referencedColumns: ["id"] };

describe("RULES", () => {
  test("holds exactly one rule per RULE_IDS entry, in that order", () => {
    assert.deepEqual(
      RULES.map((r) => r.id),
      [...RULE_IDS],
    );
  });

  test("every rule names its dialects and a summary", () => {
    for (const rule of RULES) {
      assert.ok(rule.dialects.length > 0, rule.id);
      assert.ok(rule.summary.length > 10, rule.id);
    }
  });
});

describe("add-index-not-concurrent (PostgreSQL)", () => {
  test("an index on a table with rows is reported with the row estimate", () => {
    assertFinding(run("add-index-not-concurrent", addIndex("index"), live("postgres", BUSY_USERS)), "SHARE lock", "about 1,200,000 rows", "--safe");
  });
  test("a fulltext index likewise", () => {
    assertFinding(run("add-index-not-concurrent", addIndex("fulltext"), live("postgres", BUSY_USERS)));
  });
  test("the same index on a table created in the same migration is fine", () => {
    assertNone(run("add-index-not-concurrent", addIndex("index"), live("postgres", NEW_USERS)));
  });
  test("an existing empty table is not busy", () => {
    assertNone(run("add-index-not-concurrent", addIndex("index"), live("postgres", { users: liveTable(0) })));
  });
  test("offline: a table an earlier migration creates counts as busy", () => {
    assertFinding(run("add-index-not-concurrent", addIndex("index"), offline("postgres", { users: EARLIER_FILE })), "earlier migration");
  });
  test("offline: a table no file creates is undecided, naming the missing fact", () => {
    assertUndecided(run("add-index-not-concurrent", addIndex("index"), offline("postgres")), "holds rows");
  });
  test("a unique index is left to add-unique-constraint; MySQL builds indexes online", () => {
    assertNone(run("add-index-not-concurrent", addIndex("unique"), live("postgres", BUSY_USERS)));
    assert.deepEqual(RULES.find((r) => r.id === "add-index-not-concurrent")!.dialects, ["postgres"]);
  });
});

describe("drop-index-not-concurrent (PostgreSQL)", () => {
  const drop = (type: "index" | "unique" | "primary") => op({ kind: "dropIndex", table: "users", type, name: "users_email_index" });
  test("dropping an index of a busy table", () => {
    assertFinding(run("drop-index-not-concurrent", drop("index"), live("postgres", BUSY_USERS)), "ACCESS EXCLUSIVE", "CONCURRENTLY");
  });
  test("a unique constraint is reported without promising CONCURRENTLY", () => {
    assertFinding(run("drop-index-not-concurrent", drop("unique"), live("postgres", BUSY_USERS)), "cannot be dropped CONCURRENTLY");
  });
  test("on a table created in the same migration, or a primary key, nothing", () => {
    assertNone(run("drop-index-not-concurrent", drop("index"), live("postgres", NEW_USERS)));
    assertNone(run("drop-index-not-concurrent", drop("primary"), live("postgres", BUSY_USERS)));
  });
});

describe("add-foreign-key-validating (PostgreSQL)", () => {
  const addFk = op({ kind: "addForeignKey", table: "posts", foreignKey: FOREIGN_KEY });
  test("a foreign key on a busy table locks both tables while it scans", () => {
    assertFinding(run("add-foreign-key-validating", addFk, live("postgres", { posts: liveTable(5000), users: liveTable(10) })), "SHARE ROW EXCLUSIVE", '"users"', "NOT VALID");
  });
  test("on a table created in the same migration, nothing", () => {
    assertNone(run("add-foreign-key-validating", addFk, live("postgres", { posts: CREATED_HERE, users: liveTable(10) })));
  });
});

describe("add-check-validating", () => {
  const checked = columnSpec({ name: "age", type: "integer", nullable: true, checks: [raw("age >= 0")] });
  const plain = columnSpec({ name: "age", type: "integer", nullable: true });
  const status = columnSpec({ name: "status", type: "enum", values: ["a", "b"], nullable: true });
  test("PostgreSQL: a column with a check on a busy table", () => {
    assertFinding(run("add-check-validating", addColumn(checked), live("postgres", BUSY_USERS)), "ACCESS EXCLUSIVE", "NOT VALID");
  });
  test("PostgreSQL: an enum column is a check too", () => {
    assertFinding(run("add-check-validating", addColumn(status), live("postgres", BUSY_USERS)), "enum");
  });
  test("PostgreSQL: without a check, or on a new table, nothing", () => {
    assertNone(run("add-check-validating", addColumn(plain), live("postgres", BUSY_USERS)));
    assertNone(run("add-check-validating", addColumn(checked), live("postgres", NEW_USERS)));
  });
  test("MySQL: a check copies the table", () => {
    assertFinding(run("add-check-validating", addColumn(checked), live("mysql", BUSY_USERS)), "ALGORITHM=COPY");
  });
  test("MySQL: an enum is a native type, not a check", () => {
    assertNone(run("add-check-validating", addColumn(status), live("mysql", BUSY_USERS)));
  });
});

describe("set-not-null (PostgreSQL)", () => {
  const required = changeColumn(string("email", 255, { nullable: false }));
  const withEmail = (nullable: boolean) => ({ users: liveTable(1_200_000, [liveColumnInfo("email", "character varying(255)", { nullable })]) });
  test("a nullable column made NOT NULL on a busy table", () => {
    assertFinding(run("set-not-null", required, live("postgres", withEmail(true))), "ACCESS EXCLUSIVE", "1,200,000", "not valid");
  });
  test("PostgreSQL 11 gets the fix without SET NOT NULL", () => {
    assertFinding(run("set-not-null", required, live("postgres", withEmail(true), { serverVersion: "11.2" })), "PostgreSQL 11 cannot");
  });
  test("a column that is already NOT NULL is not reported", () => {
    assertNone(run("set-not-null", required, live("postgres", withEmail(false))));
  });
  test("a change that keeps the column nullable is not reported", () => {
    assertNone(run("set-not-null", changeColumn(string("email", 255)), live("postgres", withEmail(true))));
  });
  test("offline it cannot tell whether the column was nullable", () => {
    assertUndecided(run("set-not-null", required, offline("postgres", { users: EARLIER_FILE })), "allows NULL");
  });
  test("a table created in the same migration: nothing", () => {
    assertNone(run("set-not-null", required, offline("postgres", NEW_USERS)));
  });
});

describe("add-required-column", () => {
  const required = addColumn(columnSpec({ name: "score", type: "integer" }));
  for (const [dialect, phrase] of [
    ["postgres", "column contains null values"],
    ["mysql", "implicit default"],
    ["sqlite", "NOT NULL constraint failed"],
  ] as const) {
    test(`${dialect}: NOT NULL without a default on a table with rows`, () => {
      assertFinding(run("add-required-column", required, live(dialect, BUSY_USERS)), phrase, ".nullable()");
    });
    test(`${dialect}: with a default, nullable, or on an empty table, nothing`, () => {
      assertNone(run("add-required-column", addColumn(columnSpec({ name: "score", type: "integer", default: 0 })), live(dialect, BUSY_USERS)));
      assertNone(run("add-required-column", addColumn(columnSpec({ name: "score", type: "integer", nullable: true })), live(dialect, BUSY_USERS)));
      assertNone(run("add-required-column", required, live(dialect, { users: liveTable(0) })));
    });
  }
  test("offline, on a table an earlier migration creates", () => {
    assertFinding(run("add-required-column", required, offline("postgres", { users: EARLIER_FILE })), "earlier migration");
  });
});

describe("add-column-volatile-default (PostgreSQL)", () => {
  const uuid = addColumn(columnSpec({ name: "token", type: "uuid", default: raw("gen_random_uuid()") }));
  test("a volatile default rewrites a busy table", () => {
    assertFinding(run("add-column-volatile-default", uuid, live("postgres", BUSY_USERS)), "gen_random_uuid()", "volatile");
  });
  test("a stable default (now()) and a constant are fine on PostgreSQL 11+", () => {
    assertNone(run("add-column-volatile-default", addColumn(columnSpec({ name: "seen", type: "timestamp", default: raw("now()") })), live("postgres", BUSY_USERS)));
    assertNone(run("add-column-volatile-default", addColumn(columnSpec({ name: "score", type: "integer", default: 0 })), live("postgres", BUSY_USERS)));
  });
  test("before PostgreSQL 11 any default rewrites", () => {
    const constant = addColumn(columnSpec({ name: "score", type: "integer", default: 0 }));
    assertFinding(run("add-column-volatile-default", constant, live("postgres", BUSY_USERS, { serverVersion: "10.23" })), "PostgreSQL 10");
  });
  test("a stored generated column rewrites too", () => {
    const generated = addColumn(columnSpec({ name: "double_score", type: "integer", nullable: true, generated: { kind: "stored", expression: raw("score * 2") } }));
    assertFinding(run("add-column-volatile-default", generated, live("postgres", BUSY_USERS)), "stored generated");
  });
  test("the same volatile default on a table created in the same migration is fine", () => {
    assertNone(run("add-column-volatile-default", uuid, live("postgres", NEW_USERS)));
  });
});

describe("change-column-type", () => {
  const pgUsers = (type: string) => ({ users: liveTable(1_200_000, [liveColumnInfo("name", type)]) });
  test("PostgreSQL: integer to bigint rewrites a busy table", () => {
    const toBig = changeColumn(columnSpec({ name: "name", type: "bigInteger" }));
    assertFinding(run("change-column-type", toBig, live("postgres", pgUsers("integer"))), "from integer to bigint", "1,200,000");
  });
  test("PostgreSQL: varchar(50) to varchar(100), varchar to text, numeric widening need no rewrite", () => {
    assertNone(run("change-column-type", changeColumn(string("name", 100)), live("postgres", pgUsers("character varying(50)"))));
    assertNone(run("change-column-type", changeColumn(columnSpec({ name: "name", type: "text" })), live("postgres", pgUsers("character varying(50)"))));
    const numeric = changeColumn(columnSpec({ name: "name", type: "decimal", precision: 10, scale: 2 }));
    assertNone(run("change-column-type", numeric, live("postgres", pgUsers("numeric(8,2)"))));
  });
  test("PostgreSQL: shrinking varchar, or changing numeric scale, rewrites", () => {
    assertFinding(run("change-column-type", changeColumn(string("name", 20)), live("postgres", pgUsers("character varying(50)"))));
    const scale = changeColumn(columnSpec({ name: "name", type: "decimal", precision: 12, scale: 4 }));
    assertFinding(run("change-column-type", scale, live("postgres", pgUsers("numeric(8,2)"))));
  });
  test("offline the current type is unknown: undecided", () => {
    assertUndecided(run("change-column-type", changeColumn(string("name", 100)), offline("postgres", { users: EARLIER_FILE })), "current type");
  });
  test("a table created in the same migration: nothing", () => {
    assertNone(run("change-column-type", changeColumn(columnSpec({ name: "name", type: "bigInteger" })), live("postgres", NEW_USERS)));
  });
  const myUsers = (type: string) => ({ users: liveTable(50_000, [liveColumnInfo("name", type)]) });
  test("MySQL: varchar(50) to varchar(100) crosses 255 bytes in utf8mb4 and copies", () => {
    assertFinding(run("change-column-type", changeColumn(string("name", 100)), live("mysql", myUsers("varchar(50)"))), "ALGORITHM=COPY", "about 50,000 rows");
  });
  test("MySQL: widening within a length-byte class is in place", () => {
    assertNone(run("change-column-type", changeColumn(string("name", 60)), live("mysql", myUsers("varchar(50)"))));
    assertNone(run("change-column-type", changeColumn(string("name", 400)), live("mysql", myUsers("varchar(300)"))));
    assertNone(run("change-column-type", changeColumn(string("name", 100, { charset: "latin1" })), live("mysql", myUsers("varchar(50)"))));
  });
  test("MySQL: int to bigint copies; the same int (display width aside) does not", () => {
    assertFinding(run("change-column-type", changeColumn(columnSpec({ name: "name", type: "bigInteger" })), live("mysql", myUsers("int"))));
    assertNone(run("change-column-type", changeColumn(columnSpec({ name: "name", type: "integer" })), live("mysql", myUsers("int(11)"))));
  });
  test("MySQL: enum values appended at the end are in place; reordered ones copy", () => {
    const appended = changeColumn(columnSpec({ name: "name", type: "enum", values: ["a", "b", "c"] }));
    assertNone(run("change-column-type", appended, live("mysql", myUsers("enum('a','b')"))));
    const reordered = changeColumn(columnSpec({ name: "name", type: "enum", values: ["b", "a"] }));
    assertFinding(run("change-column-type", reordered, live("mysql", myUsers("enum('a','b')"))));
  });
});

describe("rename-column, rename-table, drop-column, drop-table (every dialect)", () => {
  const renameColumn = op({ kind: "renameColumn", table: "users", from: "name", to: "full_name" });
  const renameTable = op({ kind: "renameTable", from: "users", to: "people" });
  const dropColumn = op({ kind: "dropColumns", table: "users", columns: ["name"] });
  const dropTable = op({ kind: "dropTable", table: "users", ifExists: false });
  for (const dialect of ["postgres", "mysql", "sqlite"] as const) {
    test(`${dialect}: each breaks the running application on an existing table`, () => {
      assertFinding(run("rename-column", renameColumn, live(dialect, BUSY_USERS)), "still running", '"full_name"');
      assertFinding(run("rename-table", renameTable, live(dialect, BUSY_USERS)), "still running", "create view");
      assertFinding(run("drop-column", dropColumn, live(dialect, BUSY_USERS)), "about 1,200,000 rows", "ignore it");
      assertFinding(run("drop-table", dropTable, live(dialect, BUSY_USERS)), "every row", "about 1,200,000 rows");
    });
    test(`${dialect}: not on a table created in the same migration`, () => {
      for (const [id, operation] of [
        ["rename-column", renameColumn],
        ["rename-table", renameTable],
        ["drop-column", dropColumn],
        ["drop-table", dropTable],
      ] as const) {
        assertNone(run(id, operation, live(dialect, NEW_USERS)));
      }
    });
  }
  test("live: a table an earlier pending migration creates is unknown to running code", () => {
    assertNone(run("drop-column", dropColumn, live("postgres", { users: { createdByEarlierMigration: true, existsLive: false } })));
  });
  test("offline: a table an earlier file creates is assumed deployed; an empty table still breaks running code", () => {
    assertFinding(run("rename-column", renameColumn, offline("mysql", { users: EARLIER_FILE })));
    assertFinding(run("drop-column", dropColumn, live("sqlite", { users: liveTable(0) })));
  });
});

describe("add-unique-constraint", () => {
  test("PostgreSQL: a unique key on a busy table", () => {
    assertFinding(run("add-unique-constraint", addIndex("unique"), live("postgres", BUSY_USERS)), "ACCESS EXCLUSIVE", "USING INDEX");
  });
  test("MySQL: built online but fails on duplicates", () => {
    assertFinding(run("add-unique-constraint", addIndex("unique"), live("mysql", BUSY_USERS)), "duplicate", "having count(*) > 1");
  });
  for (const dialect of ["postgres", "mysql"] as const) {
    test(`${dialect}: on a table created in the same migration, or a plain index, nothing`, () => {
      assertNone(run("add-unique-constraint", addIndex("unique"), live(dialect, NEW_USERS)));
      assertNone(run("add-unique-constraint", addIndex("index"), live(dialect, BUSY_USERS)));
    });
  }
});

describe("add-primary-key", () => {
  for (const [dialect, phrase] of [
    ["postgres", "ACCESS EXCLUSIVE"],
    ["mysql", "rebuilds"],
    ["sqlite", "rebuilds"],
  ] as const) {
    test(`${dialect}: a primary key added to a busy table`, () => {
      assertFinding(run("add-primary-key", addIndex("primary", "users_pkey"), live(dialect, BUSY_USERS)), phrase);
    });
    test(`${dialect}: on a table created in the same migration, nothing`, () => {
      assertNone(run("add-primary-key", addIndex("primary", "users_pkey"), live(dialect, NEW_USERS)));
    });
  }
});

describe("json-not-jsonb (PostgreSQL)", () => {
  test("a json column is reported, even on a new table", () => {
    assertFinding(run("json-not-jsonb", addColumn(columnSpec({ name: "meta", type: "json", nullable: true })), live("postgres", NEW_USERS)), "jsonb");
    const create = op({
      kind: "createTable",
      table: "events",
      ifNotExists: false,
      columns: [columnSpec({ name: "id", type: "integer" }), columnSpec({ name: "payload", type: "json" })],
      indexes: [],
      foreignKeys: [],
    });
    assertFinding(run("json-not-jsonb", create, live("postgres", { events: CREATED_HERE })), '"events"."payload"');
  });
  test("a jsonb column, or a column already json, is not", () => {
    assertNone(run("json-not-jsonb", addColumn(columnSpec({ name: "meta", type: "jsonb", nullable: true })), live("postgres", BUSY_USERS)));
    const users = { users: liveTable(10, [liveColumnInfo("meta", "json")]) };
    assertNone(run("json-not-jsonb", changeColumn(columnSpec({ name: "meta", type: "json", nullable: true })), live("postgres", users)));
  });
});

describe("mysql-table-copy (MySQL/MariaDB)", () => {
  const addFk = op({ kind: "addForeignKey", table: "posts", foreignKey: FOREIGN_KEY });
  test("a foreign key on a busy table copies it", () => {
    assertFinding(run("mysql-table-copy", addFk, live("mysql", { posts: liveTable(80_000), users: liveTable(10) })), "ALGORITHM=COPY", "foreign_key_checks = 0");
  });
  test("a stored generated column copies; a virtual one does not", () => {
    const stored = addColumn(columnSpec({ name: "d", type: "integer", nullable: true, generated: { kind: "stored", expression: raw("id * 2") } }));
    const virtual = addColumn(columnSpec({ name: "d", type: "integer", nullable: true, generated: { kind: "virtual", expression: raw("id * 2") } }));
    assertFinding(run("mysql-table-copy", stored, live("mysql", BUSY_USERS)), "virtualAs");
    assertNone(run("mysql-table-copy", virtual, live("mysql", BUSY_USERS)));
  });
  test("a collation change copies", () => {
    assertFinding(run("mysql-table-copy", changeColumn(string("name", 50, { collation: "utf8mb4_bin" })), live("mysql", BUSY_USERS)), "collation");
  });
  test("on a table created in the same migration, nothing", () => {
    assertNone(run("mysql-table-copy", addFk, live("mysql", { posts: CREATED_HERE, users: liveTable(10) })));
  });
  test("offline, a table no file creates: undecided", () => {
    assertUndecided(run("mysql-table-copy", addFk, offline("mysql")), '"posts"');
  });
});

describe("mixed-ddl-and-dml (PostgreSQL)", () => {
  const alter = addColumn(columnSpec({ name: "score", type: "integer", nullable: true }));
  const backfill = rawOp("update users set score = 0");
  const second = rawOp("delete from sessions");
  test("schema change plus a data change in one transaction, reported once", () => {
    const context = live("postgres", BUSY_USERS, { operations: [alter, backfill, second] });
    assertFinding(run("mixed-ddl-and-dml", backfill, context), '"users"', "held until COMMIT");
    assertNone(run("mixed-ddl-and-dml", second, context));
  });
  test("a new table filled in the same migration is fine", () => {
    const create = op({ kind: "createTable", table: "roles", ifNotExists: false, columns: [], indexes: [], foreignKeys: [] });
    const seed = rawOp("insert into roles (name) values ('admin')");
    assertNone(run("mixed-ddl-and-dml", seed, live("postgres", { roles: CREATED_HERE }, { operations: [create, seed] })));
  });
  test("a migration that is not transactional holds no locks across statements", () => {
    assertNone(run("mixed-ddl-and-dml", backfill, live("postgres", BUSY_USERS, { operations: [alter, backfill], transactional: false })));
  });
  test("raw DDL counts as a schema change", () => {
    const ddl = rawOp("alter table users add column score int");
    assertFinding(run("mixed-ddl-and-dml", backfill, live("postgres", BUSY_USERS, { operations: [ddl, backfill] })));
  });
});

describe("raw-sql (every dialect)", () => {
  for (const dialect of ["postgres", "mysql", "sqlite"] as const) {
    test(`${dialect}: a data or schema statement is reported; a plain SELECT is not`, () => {
      assertFinding(run("raw-sql", rawOp("update users set name = 'x'"), live(dialect, BUSY_USERS)), "safetyAssured");
      assertNone(run("raw-sql", rawOp("  -- check\n select count(*) from users"), live(dialect, BUSY_USERS)));
    });
  }
  test("a locking or writing SELECT is not plain", () => {
    assertFinding(run("raw-sql", rawOp("select * from users for update"), live("postgres", {})));
    assertFinding(run("raw-sql", rawOp("select * into archive from users"), live("postgres", {})));
    assertFinding(run("raw-sql", rawOp("select 1; delete from users"), live("postgres", {})));
  });
  test("string literals are not repeated in the message", () => {
    const [outcome] = run("raw-sql", rawOp("alter user app with password 's3cret'"), live("postgres", {}));
    assert.ok(outcome?.kind === "finding" && !outcome.message.includes("s3cret"), JSON.stringify(outcome));
  });
});
