import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { UsageError } from "../../src/errors.js";
import { describeOperation } from "../../src/lint/describe-operation.js";
import { lint, OFFLINE_ALL_NOTE } from "../../src/lint/lint-engine.js";
import type { LintContext, LintOperation, LintRule, RuleId, RuleOutcome } from "../../src/lint/lint-rule.js";
import { lineOf, toSarif } from "../../src/lint/sarif.js";
import { withMigrationFiles } from "../support/migration-files.js";

/**
 * The lint engine offline, with rules injected by the test: what it records (schema
 * commands and raw SQL, in order), the facts it gives rules (created here, by an earlier
 * file, unknown), suppression both ways, and the shapes of what it reports.
 */

const up = (body: string, statics = "") => `import { Migration } from "mortar";
export default class extends Migration {
${statics}
  async up() {
${body}
  }
}
`;

/** A rule that reports every operation of one kind, and remembers what it was told. */
function probe(id: RuleId, kinds: readonly string[], seen: { op: LintOperation; context: LintContext }[] = []): LintRule {
  return {
    id,
    dialects: ["sqlite", "postgres", "mysql"],
    summary: `probe ${id}`,
    check(operation, context): RuleOutcome[] {
      const kind = operation.kind === "raw" ? "raw" : operation.command.kind;
      if (!kinds.includes(kind)) return [];
      seen.push({ op: operation, context });
      return [{ kind: "finding", message: `saw ${kind}`, fix: `do not ${kind}` }];
    },
  };
}

/** Busy or undecided, the way an index rule decides. */
const busyIndex: LintRule = {
  id: "add-index-not-concurrent",
  dialects: ["postgres"],
  summary: "index on a busy table",
  check(operation, context) {
    if (operation.kind !== "schema" || operation.command.kind !== "addIndex") return [];
    const busy = context.busy(operation.command.table);
    if (busy === undefined) return [{ kind: "undecided", reason: `whether "${operation.command.table}" is busy is unknown` }];
    return busy ? [{ kind: "finding", message: "locks writes", fix: "build it concurrently" }] : [];
  },
};

const USERS = up(`    await this.schema.create("users", (t) => { t.increments("id"); t.string("email"); });`);

describe("lint engine (offline, injected rules)", () => {
  test("facts: a table from an earlier file is busy, one created earlier in this migration is not, an unknown one is undecided", async () => {
    await withMigrationFiles(
      {
        "2026_01_01_000001_create_users.mjs": USERS,
        "2026_01_01_000002_indexes.mjs": up(`
    await this.schema.create("posts", (t) => { t.increments("id"); t.string("title"); });
    await this.schema.table("posts", (t) => { t.index("title"); });
    await this.schema.table("users", (t) => { t.index("email"); });
    await this.schema.table("legacy", (t) => { t.index("code"); });`),
      },
      async (dir) => {
        const result = await lint({ path: dir, dialect: "postgres", rules: [busyIndex] });
        assert.deepEqual(result.findings.map((f) => f.operation), ['index "users_email_index" on "users" (email)']);
        assert.equal(result.findings[0]!.migration, "2026_01_01_000002_indexes");
        assert.equal(result.findings[0]!.dialect, "postgres");
        assert.deepEqual(result.undecided.map((u) => [u.rule, u.operation]), [["add-index-not-concurrent", 'index "legacy_code_index" on "legacy" (code)']]);
        assert.deepEqual(result.notes, [OFFLINE_ALL_NOTE]);
        assert.deepEqual(result.migrations.map((m) => m.name), ["2026_01_01_000001_create_users", "2026_01_01_000002_indexes"]);
      },
    );
  });

  test("a rule is only asked on the dialects it names", async () => {
    await withMigrationFiles(
      { "2026_01_01_000001_create_users.mjs": USERS, "2026_01_01_000002_index.mjs": up(`    await this.schema.table("users", (t) => { t.index("email"); });`) },
      async (dir) => {
        assert.equal((await lint({ path: dir, dialect: "postgres", rules: [busyIndex] })).findings.length, 1);
        assert.equal((await lint({ path: dir, dialect: "mysql", rules: [busyIndex] })).findings.length, 0);
      },
    );
  });

  test("raw SQL is recorded in order with schema commands; query answers no rows, execute no affected rows", async () => {
    const seen: { op: LintOperation; context: LintContext }[] = [];
    await withMigrationFiles(
      {
        "2026_01_01_000001_mixed.mjs": up(`
    await this.schema.create("users", (t) => { t.increments("id"); });
    const rows = await this.db.query("select id from users");
    const result = await this.db.execute("update users set id = id");
    if (rows.length !== 0 || result.affectedRows !== 0) throw new Error("unexpected answers " + JSON.stringify([rows, result]));
    await this.db.transaction(async (db) => { await db.execute("delete from users"); });
    await this.schema.drop("users");`),
      },
      async (dir) => {
        const result = await lint({ path: dir, dialect: "sqlite", rules: [probe("raw-sql", ["raw", "createTable", "dropTable"], seen)] });
        assert.deepEqual(
          seen.map((s) => describeOperation(s.op)),
          ['create "users"', 'raw SQL "select id from users"', 'raw SQL "update users set id = id"', 'raw SQL "delete from users"', 'drop "users"'],
        );
        // Every context sees the whole migration, in order (for rules such as mixed-ddl-and-dml).
        assert.equal(seen[0]!.context.operations.length, 5);
        assert.equal(seen[0]!.context.transactional, true);
        assert.equal(result.findings.length, 5);
      },
    );
  });

  test("offline reads answer from the files: hasTable and getColumns see what earlier calls declared", async () => {
    await withMigrationFiles(
      {
        "2026_01_01_000001_create_users.mjs": USERS,
        "2026_01_01_000002_conditional.mjs": up(`
    if (!(await this.schema.hasTable("users"))) throw new Error("users should be known from the earlier file");
    if (await this.schema.hasTable("nowhere")) throw new Error("nowhere is not declared");
    const columns = (await this.schema.getColumns("users")).map((c) => c.name).join(",");
    if (columns !== "id,email") throw new Error("columns: " + columns);
    await this.schema.create("tags", (t) => { t.increments("id"); });
    if (!(await this.schema.hasTable("tags"))) throw new Error("tags was created just above");
    if (!(await this.schema.hasColumn("users", "email"))) throw new Error("hasColumn");
    await this.schema.createIfNotExists("users", (t) => { t.increments("id"); });`),
      },
      async (dir) => {
        const seen: { op: LintOperation; context: LintContext }[] = [];
        await lint({ path: dir, dialect: "mysql", rules: [probe("drop-table", ["createTable"], seen)] });
        assert.deepEqual(seen.map((s) => describeOperation(s.op)), ['create "users"', 'create "tags"'], "createIfNotExists of a declared table records nothing");
      },
    );
  });

  test("static safe suppresses a rule on that migration only, and is counted", async () => {
    await withMigrationFiles(
      {
        "2026_01_01_000001_drop_a.mjs": up(`    await this.schema.drop("a");`, `  static safe = ["drop-table"];`),
        "2026_01_01_000002_drop_b.mjs": up(`    await this.schema.drop("b");`),
      },
      async (dir) => {
        const result = await lint({ path: dir, dialect: "sqlite", rules: [probe("drop-table", ["dropTable"]), probe("rename-table", ["dropTable"])] });
        assert.deepEqual(
          result.findings.map((f) => `${f.rule} ${f.migration}`),
          ["rename-table 2026_01_01_000001_drop_a", "drop-table 2026_01_01_000002_drop_b", "rename-table 2026_01_01_000002_drop_b"],
        );
        assert.equal(result.suppressed, 1);
      },
    );
  });

  test("safetyAssured suppresses every rule on the operations inside it, and runs what it wraps", async () => {
    await withMigrationFiles(
      {
        "2026_01_01_000001_drops.mjs": up(`
    const value = await this.safetyAssured(async () => { await this.schema.drop("a"); await this.db.execute("delete from b"); return 42; });
    if (value !== 42) throw new Error("safetyAssured must return what fn returns");
    await this.schema.drop("c");`),
      },
      async (dir) => {
        const result = await lint({ path: dir, dialect: "sqlite", rules: [probe("drop-table", ["dropTable", "raw"])] });
        assert.deepEqual(result.findings.map((f) => f.operation), ['drop "c"']);
        assert.equal(result.suppressed, 2);
      },
    );
  });

  test("an unknown rule id in static safe is an error naming the file and the id", async () => {
    await withMigrationFiles(
      {
        "2026_01_01_000001_ok.mjs": up(`    await this.schema.drop("a");`),
        "2026_01_01_000002_typo.mjs": up(`    await this.schema.drop("b");`, `  static safe = ["drop-tabel"];`),
      },
      async (dir) => {
        await assert.rejects(lint({ path: dir, dialect: "sqlite", rules: [] }), (error: unknown) => {
          assert.ok(error instanceof UsageError, String(error));
          assert.match(error.message, /2026_01_01_000002_typo\.mjs: static safe names "drop-tabel", which is not a lint rule/);
          return true;
        });
      },
    );
  });

  test("an up() that throws while recorded stops the lint naming the migration", async () => {
    await withMigrationFiles({ "2026_01_01_000001_boom.mjs": up(`    throw new Error("boom on purpose");`) }, async (dir) => {
      await assert.rejects(lint({ path: dir, dialect: "sqlite", rules: [] }), /2026_01_01_000001_boom \(up\) failed: boom on purpose/);
    });
  });

  test("change() migrations are linted like up()", async () => {
    await withMigrationFiles(
      {
        "2026_01_01_000001_change.mjs": `import { Migration } from "mortar";
export default class extends Migration {
  async change() { await this.schema.rename("a", "b"); }
}
`,
      },
      async (dir) => {
        const result = await lint({ path: dir, dialect: "postgres", rules: [probe("rename-table", ["renameTable"])] });
        assert.deepEqual(result.findings.map((f) => f.operation), ['rename "a" to "b"']);
      },
    );
  });

  test("SARIF 2.1.0: schema, version, driver, rules with help, results with ruleId, message and a location", async () => {
    await withMigrationFiles(
      {
        "2026_01_01_000001_drop.mjs": up(`    // nothing on this line
    await this.schema.drop("accounts");`),
      },
      async (dir) => {
        const result = await lint({ path: dir, dialect: "sqlite", rules: [probe("drop-table", ["dropTable"])] });
        const sarif = toSarif(result, dir) as any;
        assert.equal(sarif.version, "2.1.0");
        assert.match(sarif.$schema, /sarif-2\.1\.0/);
        assert.equal(sarif.runs.length, 1);
        const run = sarif.runs[0];
        assert.equal(run.tool.driver.name, "mortar");
        assert.deepEqual(run.tool.driver.rules.map((r: any) => [r.id, r.help.text, r.shortDescription.text]), [["drop-table", "probe drop-table", "probe drop-table"]]);
        assert.equal(run.results.length, 1);
        const [only] = run.results;
        assert.equal(only.ruleId, "drop-table");
        assert.equal(only.level, "error");
        assert.match(only.message.text, /saw dropTable/);
        assert.match(only.message.text, /do not dropTable/);
        const location = only.locations[0].physicalLocation;
        assert.equal(location.artifactLocation.uri, "2026_01_01_000001_drop.mjs");
        assert.equal(location.region.startLine, 6, "the line that names the table");
      },
    );
  });

  test("lineOf falls back to the up() line, and to 1 for an empty source", () => {
    assert.equal(lineOf("a\n  async up() {\n  x\n}", { operation: 'drop "nowhere"' }), 2);
    assert.equal(lineOf("", { operation: 'drop "x"' }), 1);
  });

  test("describeOperation names the schema builder's calls", () => {
    const cases: [LintOperation, string][] = [
      [{ kind: "schema", command: { kind: "renameColumn", table: "users", from: "a", to: "b" } }, 'renameColumn "users.a" to "b"'],
      [{ kind: "schema", command: { kind: "dropColumns", table: "users", columns: ["a", "b"] } }, 'dropColumn "users.a", "users.b"'],
      [{ kind: "schema", command: { kind: "dropIndex", table: "users", type: "unique", name: "u" } }, 'dropUnique "u" on "users"'],
      [{ kind: "raw", sql: "update  users\n set a = 1" }, 'raw SQL "update users set a = 1"'],
    ];
    for (const [operation, words] of cases) assert.equal(describeOperation(operation), words);
  });
});
