import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../support/databases.js";
import { createProject, type RunOutput, type TempProject } from "../support/project.js";

// Spec §4: every --json document carries "warnings": [...] with every warning a text run
// prints (before, `migrate --json` dropped "changed since it ran").

const DIR = "databases/migrations";
const USERS = "2026_05_01_000001_create_users_table";
const POSTS = "2026_05_01_000002_create_posts_table";
const IGNORED = "not_a_migration.ts";

const createTable = (table: string, extra = "") => `import { Migration } from "mortar";
export default class extends Migration {
  async up() { await this.schema.create("${table}", (t) => { t.increments("id");${extra} }); }
  async down() { await this.schema.drop("${table}"); }
}
`;

interface Document {
  warnings?: unknown;
  [key: string]: unknown;
}

function documentOf(run: RunOutput, context: string): Document {
  const lines = run.stdout.trim().split("\n");
  assert.equal(lines.length, 1, `${context}: one JSON document and nothing else\n${run.stdout}${run.stderr}`);
  const document = JSON.parse(lines[0]!) as Document;
  assert.ok(Array.isArray(document.warnings), `${context}: "warnings" is a list in ${lines[0]}`);
  return document;
}

for (const dialect of DIALECTS) {
  describe(`--json warnings on ${dialect}`, () => {
    let database: TestDatabase;
    let project: TempProject;
    const mortar = (...args: string[]) => project.mortar(args, database.env);

    before(async () => {
      database = await createTestDatabase(dialect);
      project = createProject("module");
      project.write(`${DIR}/${USERS}.ts`, createTable("users"));
      const first = await mortar("migrate");
      assert.equal(first.code, 0, first.stderr);
      // Drift a text run warns about: an applied file edited, a file whose name is ignored.
      project.write(`${DIR}/${USERS}.ts`, createTable("users", ` t.string("email");`));
      project.write(`${DIR}/${IGNORED}`, createTable("ignored"));
      project.write(`${DIR}/${POSTS}.ts`, createTable("posts"));
    });

    after(async () => {
      project?.cleanup();
      await database?.drop();
    });

    test("migrate --json carries the 'changed since it ran' and the ignored-file warnings a text run prints", async () => {
      const text = await mortar("migrate", "--pretend");
      assert.match(text.stderr, new RegExp(`WARN\\s+${USERS} changed since it ran`));
      const run = await mortar("migrate", "--json");
      assert.equal(run.code, 0, run.stderr);
      const document = documentOf(run, "migrate --json");
      const warnings = document.warnings as string[];
      assert.ok(warnings.some((w) => w.startsWith(`${USERS} changed since it ran (batch 1)`)), JSON.stringify(warnings));
      assert.ok(warnings.some((w) => w.includes(IGNORED)), JSON.stringify(warnings));
      assert.deepEqual((document.migrations as { name: string }[]).map((m) => m.name), [POSTS]);
    });

    test("migrate:status, migrate:validate and migrate:rollback --json carry the ignored-file warning", async () => {
      for (const args of [["migrate:status", "--json"], ["migrate:validate", "--json"], ["migrate:rollback", "--json"]]) {
        const run = await mortar(...args);
        const warnings = documentOf(run, args.join(" ")).warnings as string[];
        assert.ok(warnings.some((w) => w.includes(IGNORED)), `${args.join(" ")}: ${JSON.stringify(warnings)}`);
      }
    });

    test("error documents (bad usage, bad connection) carry an empty warnings list", async () => {
      const usage = await mortar("migrate", "--json", "--step", "3");
      assert.equal(usage.code, 2);
      assert.deepEqual(documentOf(usage, "usage error").warnings, []);
      const unknown = await mortar("migrate:status", "--json", "--no-such-flag");
      assert.equal(unknown.code, 2);
      assert.deepEqual(documentOf(unknown, "unknown flag").warnings, []);
      const badConnection = await project.mortar(["migrate", "--json"], { ...database.env, DB_CONNECTION: "oracle" });
      assert.equal(badConnection.code, 2);
      assert.deepEqual(documentOf(badConnection, "bad connection").warnings, []);
    });
  });
}
