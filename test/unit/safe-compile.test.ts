import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Grammar } from "../../src/grammar/grammar.js";
import { MysqlGrammar } from "../../src/grammar/mysql-grammar.js";
import { PostgresGrammar } from "../../src/grammar/postgres-grammar.js";
import { SqliteGrammar } from "../../src/grammar/sqlite-grammar.js";
import type { Blueprint } from "../../src/schema/blueprint.js";
import type { LiveTable } from "../../src/schema/live-schema.js";
import { retryDelayMs, safeSettings } from "../../src/migration/safe/safe-options.js";
import { SafeMigrationState } from "../../src/migration/safe/safe-state.js";
import { blueprintFor } from "../support/grammar.js";

/** The safe plan of each operation, per dialect: exact SQL, pure. */
function safePlans(grammar: Grammar, build: (t: Blueprint) => void, live?: LiveTable) {
  const commands = blueprintFor(grammar, "users", "alter", build).toCommands();
  return commands.map((command) => {
    const compiled = live && grammar.liveTable(command) ? grammar.compileAgainstLive(command, live) : grammar.compileOne(command);
    const plan = grammar.compileSafe(command, compiled, live);
    return plan
      ? { now: plan.now.map((q) => q.sql), later: plan.later.map((s) => ({ statements: s.statements, transactional: s.transactional, onFailure: s.onFailure })), inline: plan.inline.map((q) => q.sql) }
      : undefined;
  });
}

const liveUsers: LiveTable = {
  table: "users",
  columns: [
    { name: "id", type: "integer", typeName: "integer", nullable: false, default: null, autoIncrement: true, comment: null },
    { name: "email", type: "varchar", typeName: "character varying(255)", nullable: true, default: null, autoIncrement: false, comment: null },
  ] as unknown as LiveTable["columns"],
  indexes: [],
  foreignKeys: [],
  checks: [],
};

describe("safe compile (postgres)", () => {
  const g = new PostgresGrammar();

  test("a plain index is built CONCURRENTLY after the commit, and an INVALID one is dropped on failure", () => {
    assert.deepEqual(safePlans(g, (t) => t.index("email")), [
      {
        now: [],
        later: [{ statements: ['create index concurrently "users_email_index" on "users" ("email")'], transactional: false, onFailure: ['drop index concurrently if exists "users_email_index"'] }],
        inline: ['create index "users_email_index" on "users" ("email")'],
      },
    ]);
  });

  test("a unique index is built CONCURRENTLY, then attached as the constraint in a step of its own", () => {
    const [plan] = safePlans(g, (t) => t.unique("email"));
    assert.deepEqual(plan!.later.map((s) => [s.statements, s.transactional]), [
      [['create unique index concurrently "users_email_unique" on "users" ("email")'], false],
      [['alter table "users" add constraint "users_email_unique" unique using index "users_email_unique"'], true],
    ]);
    assert.deepEqual(plan!.inline, ['alter table "users" add constraint "users_email_unique" unique ("email")']);
  });

  test("dropIndex is DROP INDEX CONCURRENTLY; a unique constraint and a primary key are left as compiled", () => {
    const [plain, unique, primary] = safePlans(g, (t) => {
      t.dropIndex("users_email_index");
      t.dropUnique("users_email_unique");
      t.dropPrimary("users_pkey");
    });
    assert.deepEqual(plain!.later[0]!.statements, ['drop index concurrently if exists "users_email_index"']);
    assert.equal(unique, undefined);
    assert.equal(primary, undefined);
  });

  test("a foreign key is added NOT VALID and validated in its own transaction", () => {
    const [plan] = safePlans(g, (t) => t.foreign("team_id").references("id").on("teams"));
    assert.deepEqual(plan!.now, ['alter table "users" add constraint "users_team_id_foreign" foreign key ("team_id") references "teams" ("id") not valid']);
    assert.deepEqual(plan!.later, [{ statements: ['alter table "users" validate constraint "users_team_id_foreign"'], transactional: true, onFailure: undefined }]);
  });

  test("making a nullable column required goes through CHECK … NOT VALID, VALIDATE, SET NOT NULL and drops the check", () => {
    const [plan] = safePlans(g, (t) => t.string("email").change(), liveUsers);
    assert.ok(plan!.now.some((s) => /alter column "email" drop not null/.test(s)), plan!.now.join("\n"));
    assert.ok(!plan!.now.some((s) => /set not null/.test(s)));
    assert.equal(plan!.now.at(-1), 'alter table "users" add constraint "email_not_null" check ("email" is not null) not valid');
    assert.deepEqual(plan!.later.map((s) => s.statements), [
      ['alter table "users" validate constraint "email_not_null"'],
      ['alter table "users" alter column "email" set not null', 'alter table "users" drop constraint "email_not_null"'],
    ]);
  });

  test("a column already nullable-to-nullable, an added column and a primary key are left as compiled", () => {
    assert.deepEqual(safePlans(g, (t) => t.string("email").nullable().change(), liveUsers), [undefined]);
    assert.deepEqual(safePlans(g, (t) => t.string("name").nullable()), [undefined]);
    assert.deepEqual(safePlans(g, (t) => t.primary("id")), [undefined]);
  });
});

describe("safe compile (mysql)", () => {
  const g = new MysqlGrammar();

  test("ALTERs on an existing table ask for ALGORITHM=INPLACE, LOCK=NONE", () => {
    const plans = safePlans(g, (t) => {
      t.string("name").nullable();
      t.index("email");
      t.renameColumn("email", "mail");
      t.dropColumn("age");
    });
    assert.deepEqual(
      plans.map((p) => p!.now),
      [
        ["alter table `users` add `name` varchar(255) null, algorithm=inplace, lock=none"],
        ["alter table `users` add index `users_email_index` (`email`), algorithm=inplace, lock=none"],
        ["alter table `users` rename column `email` to `mail`, algorithm=inplace, lock=none"],
        ["alter table `users` drop `age`, algorithm=inplace, lock=none"],
      ],
    );
    assert.ok(plans.every((p) => p!.later.length === 0), "nothing is deferred on MySQL");
  });

  test("dropping or renaming a table is left as compiled", () => {
    const g2 = new MysqlGrammar();
    assert.equal(g2.compileSafe({ kind: "dropTable", table: "users", ifExists: false }, g2.compileOne({ kind: "dropTable", table: "users", ifExists: false }), undefined), undefined);
  });
});

describe("safe compile (sqlite)", () => {
  test("--safe changes nothing on SQLite", () => {
    const g = new SqliteGrammar();
    const [command] = blueprintFor(g, "users", "alter", (t) => t.index("email")).toCommands();
    assert.equal(g.compileSafe(command!, g.compileOne(command!), undefined), undefined);
  });
});

describe("safe execution settings", () => {
  test("defaults, and bad values name the setting", () => {
    assert.equal(safeSettings(false), undefined);
    assert.deepEqual(safeSettings(true), { ddlLockTimeout: 5, retries: 5 });
    assert.deepEqual(safeSettings({ ddlLockTimeout: 0.5, retries: 0 }), { ddlLockTimeout: 0.5, retries: 0 });
    assert.throws(() => safeSettings({ ddlLockTimeout: 0 }), /ddlLockTimeout must be a positive number of seconds, got 0/);
    assert.throws(() => safeSettings({ retries: 1.5 }), /retries must be a whole number/);
  });

  test("the retry delay grows, is capped and jittered", () => {
    assert.equal(retryDelayMs(1, () => 1), 250);
    assert.equal(retryDelayMs(1, () => 0), 125);
    assert.equal(retryDelayMs(3, () => 1), 1000);
    assert.equal(retryDelayMs(20, () => 1), 10_000);
  });

  test("steps deferred on a table are taken back, in order, by a later command that depends on them", () => {
    const state = new SafeMigrationState(["Users"], false);
    assert.equal(state.existed("users"), true);
    assert.equal(state.existed("teams"), false);
    const step = (table: string, sql: string) => ({ description: sql, table, statements: [sql], transactional: false });
    state.defer([step("users", "a1"), step("users", "a2")], [{ sql: "A", parameters: [] }]);
    state.defer([step("teams", "b")], [{ sql: "B", parameters: [] }]);
    assert.deepEqual(state.takeBack("users").map((q) => q.sql), ["A"]);
    assert.deepEqual(state.steps.map((s) => s.description), ["b"]);
  });
});
