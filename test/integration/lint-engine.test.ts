import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Database } from "../../src/dialect/database.js";
import { lint } from "../../src/lint/lint-engine.js";
import type { LintRule, TableFacts } from "../../src/lint/lint-rule.js";
import { Migrator } from "../../src/migration/migrator.js";
import { DIALECTS, withDatabase } from "../support/databases.js";
import { withMigrationFiles } from "../support/migration-files.js";

/**
 * The lint engine against real databases, with a rule injected by the test that reports
 * the facts it is given for every index added: the live facts (exists, rows, columns,
 * server version), pending against ran, and that linting sends no statement at all.
 */

const up = (body: string) => `import { Migration } from "mortar";
export default class extends Migration {
  async up() {
${body}
  }
  async down() {}
}
`;

const FILES = {
  "2026_02_01_000001_create_users.mjs": up(`    await this.schema.create("users", (t) => { t.increments("id"); t.string("email"); });
    await this.schema.create("empty_things", (t) => { t.increments("id"); t.string("code"); });`),
  "2026_02_01_000002_indexes.mjs": up(`
    await this.schema.table("users", (t) => { t.index("email"); });
    await this.schema.table("empty_things", (t) => { t.index("code"); });
    await this.schema.create("posts", (t) => { t.increments("id"); t.string("title"); });
    await this.schema.table("posts", (t) => { t.index("title"); });
    if (!(await this.schema.hasTable("users"))) throw new Error("reads see the live database");`),
  "2026_02_01_000003_later.mjs": up(`
    await this.schema.table("posts", (t) => { t.string("slug").nullable().index(); });
    await this.db.execute("insert into users (email) values ('x@example.com')");`),
};

interface Seen {
  readonly migration: string;
  readonly table: string;
  readonly facts: TableFacts;
  readonly busy: boolean | undefined;
  readonly serverVersion: string | undefined;
}

function factsProbe(seen: Seen[]): LintRule {
  let migration = "";
  return {
    id: "add-index-not-concurrent",
    dialects: ["sqlite", "postgres", "mysql"],
    summary: "probe",
    check(operation, context) {
      if (operation.kind !== "schema" || operation.command.kind !== "addIndex") return [];
      const table = operation.command.table;
      // The migration is not in the context: the first operation of each tells it apart well enough here.
      migration = context.operations[0] === operation ? String(seen.length) : migration;
      seen.push({ migration, table, facts: context.facts(table), busy: context.busy(table), serverVersion: context.serverVersion });
      return context.busy(table) ? [{ kind: "finding", message: "busy", fix: "later" }] : [];
    },
  };
}

async function snapshot(db: Database): Promise<string> {
  const tables = await db.schema.getTables();
  const parts = [];
  for (const table of tables) parts.push({ table, columns: await db.schema.getColumns(table), indexes: await db.schema.getIndexes(table) });
  const tracked = tables.includes("migrations") ? await db.read("select migration, batch from migrations order by id") : [];
  return JSON.stringify({ parts, tracked });
}

for (const dialect of DIALECTS) {
  describe(`lint engine on ${dialect}`, () => {
    test("pending migrations only, live facts, and not one statement sent", async () => {
      await withDatabase(dialect, async (db) => {
        await withMigrationFiles({ "2026_02_01_000001_create_users.mjs": FILES["2026_02_01_000001_create_users.mjs"] }, async (first) => {
          const ran = await new Migrator(db, { path: first }).migrate();
          assert.equal(ran.error, undefined, ran.error?.message);
        });
        await db.execute("insert into users (email) values ('a@example.com'), ('b@example.com'), ('c@example.com')");
        await withMigrationFiles(FILES, async (dir) => {
          const before = await snapshot(db);
          const statements: string[] = [];
          const listen = (e: { sql: string }) => statements.push(e.sql);
          db.on("statement", listen);
          const seen: Seen[] = [];
          let result;
          try {
            result = await lint({ path: dir, db, rules: [factsProbe(seen)] });
          } finally {
            db.off("statement", listen);
          }
          assert.deepEqual(statements, [], "lint sends no statement");
          assert.equal(await snapshot(db), before, "schema and tracking table unchanged");

          assert.deepEqual(result.migrations.map((m) => m.name), ["2026_02_01_000002_indexes", "2026_02_01_000003_later"], "only pending ones");
          assert.equal(result.offline, false);
          assert.deepEqual(result.notes, []);
          const byTable = (table: string) => seen.filter((s) => s.table === table);

          const [users] = byTable("users");
          assert.equal(users!.facts.existsLive, true);
          assert.equal(users!.facts.createdInThisMigration, false);
          assert.equal(users!.facts.rowEstimate, 3, "three rows (estimate below one falls back to a bounded count)");
          assert.deepEqual(users!.facts.columns?.map((c) => c.name), ["id", "email"]);
          assert.equal(users!.busy, true);

          const [empty] = byTable("empty_things");
          assert.equal(empty!.facts.existsLive, true);
          assert.equal(empty!.facts.rowEstimate, 0);
          assert.equal(empty!.busy, false, "an empty table is not busy");

          const [postsHere, postsLater] = byTable("posts");
          assert.equal(postsHere!.facts.createdInThisMigration, true);
          assert.equal(postsHere!.facts.existsLive, false);
          assert.equal(postsHere!.busy, false, "created earlier in the same migration");
          assert.equal(postsLater!.facts.createdByEarlierMigration, true);
          assert.equal(postsLater!.facts.existsLive, true, "a pending file before it creates it");
          assert.equal(postsLater!.facts.rowEstimate, 0);
          assert.equal(postsLater!.busy, false);

          if (dialect === "sqlite") assert.equal(users!.serverVersion, undefined);
          else assert.match(users!.serverVersion ?? "", /^\d+\.\d+/);

          assert.deepEqual(result.findings.map((f) => [f.rule, f.migration, f.operation]), [
            ["add-index-not-concurrent", "2026_02_01_000002_indexes", 'index "users_email_index" on "users" (email)'],
          ]);

          const all = await lint({ path: dir, db, rules: [], all: true });
          assert.equal(all.migrations.length, 3, "--all lints the migration that ran too");
        });
      });
    });

    test("without a tracking table every migration is pending, and none is created", async () => {
      await withDatabase(dialect, async (db) => {
        await withMigrationFiles(FILES, async (dir) => {
          const seen: Seen[] = [];
          const result = await lint({ path: dir, db, rules: [factsProbe(seen)] });
          assert.equal(result.migrations.length, 3);
          assert.deepEqual(await db.schema.getTables(), [], "nothing created, not even the tracking table");
          // users is created by the first pending file: it exists by the second, empty.
          const [users] = seen.filter((s) => s.table === "users");
          assert.equal(users!.facts.createdByEarlierMigration, true);
          assert.equal(users!.busy, false);
          assert.equal(result.findings.length, 0);
        });
      });
    });
  });
}
