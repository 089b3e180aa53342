import assert from "node:assert/strict";
import { readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import ts from "typescript";
import { legacyChecksum } from "../../src/migration/checksum.js";
import { createTestDatabase, DIALECTS, type TestDatabase, withConnection } from "../support/databases.js";
import { createProject, type RunOutput, type TempProject } from "../support/project.js";

/*
 * Checksums through the real `mortar` binary (spec §6, items 9, 10, 18): a `.ts` replaced by
 * the `.js` compiled from it is Ran, a real edit to the `.js` is Modified, `migrate:resolve
 * --applied` accepts an edit and `--rolled-back` refuses a migration that ran normally,
 * `migrate:validate` compares contents even when the time and size are unchanged, and
 * checksums recorded by earlier versions still match. The tests of a dialect build on each other.
 */

const DIR = "databases/migrations";
const USERS = "2026_05_01_000001_create_users_table";
const POSTS = "2026_05_01_000002_create_posts_table";

function migration(className: string, table: string, column = "name"): string {
  return `import { Migration } from "mortar";
import type { Blueprint } from "mortar";

// Made for the checksum tests.
export default class ${className} extends Migration {
  async up(): Promise<void> {
    await this.schema.create("${table}", (t: Blueprint) => {
      t.increments("id");
      t.string("${column}");
    });
  }

  async down(): Promise<void> {
    await this.schema.drop("${table}");
  }
}
`;
}

/** What `tsc` (NodeNext, ES2022) writes for `source`: ESM in a `"type": "module"` package, CommonJS otherwise. */
function tscOutput(source: string, type: "module" | "commonjs"): string {
  return ts.transpileModule(source, {
    fileName: type === "module" ? "m.mts" : "m.cts",
    compilerOptions: { module: ts.ModuleKind.NodeNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
}

interface StatusDoc {
  migrations: { name: string; status: string; batch: number | null }[];
}

function statuses(run: RunOutput): Record<string, string> {
  assert.equal(run.code, 0, run.stderr);
  return Object.fromEntries((JSON.parse(run.stdout) as StatusDoc).migrations.map((m) => [m.name, m.status]));
}

function recordedChecksum(database: TestDatabase, name: string): Promise<string | null> {
  return withConnection(database.config, async (db) => {
    const g = db.grammar;
    const rows = await db.query<{ checksum: unknown }>(
      `select ${g.quoteIdentifier("checksum")} from ${g.quoteIdentifier("migrations")} where ${g.quoteIdentifier("migration")} = ${g.parameter(1)}`,
      [name],
    );
    assert.equal(rows.length, 1, `one tracking row for ${name}`);
    return rows[0]!.checksum == null ? null : String(rows[0]!.checksum);
  });
}

for (const dialect of DIALECTS) {
  describe(`checksums through the mortar binary on ${dialect}`, () => {
    let project: TempProject;
    let database: TestDatabase;
    const mortar = (...args: string[]) => project.mortar(args, database.env);

    before(async () => {
      database = await createTestDatabase(dialect);
      project = createProject("module");
      project.write(`${DIR}/${USERS}.ts`, migration("CreateUsersTable", "users"));
      project.write(`${DIR}/${POSTS}.ts`, migration("CreatePostsTable", "posts", "title"));
      const run = await mortar("migrate");
      assert.equal(run.code, 0, run.stderr);
      assert.match((await recordedChecksum(database, USERS)) ?? "", /^v2:/);
    });

    after(async () => {
      project?.cleanup();
      await database?.drop();
    });

    test("a .ts replaced by the .js tsc compiled from it is Ran, and migrate:validate passes", async () => {
      const source = readFileSync(join(project.dir, DIR, `${USERS}.ts`), "utf8");
      project.remove(`${DIR}/${USERS}.ts`);
      project.write(`${DIR}/${USERS}.js`, tscOutput(source, "module"));
      assert.deepEqual(statuses(await mortar("migrate:status", "--json")), { [USERS]: "ran", [POSTS]: "ran" });
      const validate = await mortar("migrate:validate");
      assert.equal(validate.code, 0, validate.stdout + validate.stderr);
    });

    test("a real edit to the compiled .js is Modified and migrate:validate exits 1 naming it", async () => {
      project.write(`${DIR}/${USERS}.js`, tscOutput(migration("CreateUsersTable", "users", "email"), "module"));
      assert.deepEqual(statuses(await mortar("migrate:status", "--json")), { [USERS]: "modified", [POSTS]: "ran" });
      const validate = await mortar("migrate:validate");
      assert.equal(validate.code, 1, validate.stdout + validate.stderr);
      assert.match(validate.stderr, new RegExp(`${USERS} changed since it ran`));
      assert.doesNotMatch(validate.stderr, new RegExp(POSTS));
    });

    test("migrate:resolve --rolled-back on a migration that ran normally: exit 2 pointing to migrate:rollback, nothing changed", async () => {
      const before = await recordedChecksum(database, POSTS);
      const run = await mortar("migrate:resolve", POSTS, "--rolled-back");
      assert.equal(run.code, 2, run.stdout + run.stderr);
      assert.match(run.stderr, new RegExp(`${POSTS} --rolled-back: it ran normally`));
      assert.ok(run.stderr.includes(`mortar migrate:rollback --migration ${POSTS}`), run.stderr);
      assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
      assert.equal(await recordedChecksum(database, POSTS), before, "the tracking row is still there, unchanged");
      assert.ok(await withConnection(database.config, (db) => db.schema.hasTable("posts")), "the table is still there");
      assert.deepEqual(statuses(await mortar("migrate:status", "--json")), { [USERS]: "modified", [POSTS]: "ran" });
    });

    test("migrate:resolve --applied on the Modified migration accepts the edit: Ran again, validate passes", async () => {
      const old = await recordedChecksum(database, USERS);
      const run = await mortar("migrate:resolve", USERS, "--applied");
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`${USERS} accepted as it is now`));
      const now = await recordedChecksum(database, USERS);
      assert.match(now ?? "", /^v2:/);
      assert.notEqual(now, old);
      assert.deepEqual(statuses(await mortar("migrate:status", "--json")), { [USERS]: "ran", [POSTS]: "ran" });
      const validate = await mortar("migrate:validate");
      assert.equal(validate.code, 0, validate.stdout + validate.stderr);
      // Accepting an edit does not re-run it: the table keeps the column it was made with.
      const columns = await withConnection(database.config, async (db) => (await db.schema.getColumns("users")).map((c) => c.name));
      assert.deepEqual(columns.sort(), ["id", "name"]);
    });

    test("migrate:validate sees a same-size edit whose modification time was restored", async () => {
      const path = join(project.dir, DIR, `${POSTS}.ts`);
      const time = new Date(Math.floor(Date.now() / 1000) * 1000 - 120_000);
      utimesSync(path, time, time);
      // status fills the checksum cache (and its clean state) with this time and size.
      assert.deepEqual(statuses(await mortar("migrate:status", "--json")), { [USERS]: "ran", [POSTS]: "ran" });
      const source = readFileSync(path, "utf8");
      const edited = source.replace('t.string("title")', 't.string("tytle")');
      assert.equal(Buffer.byteLength(edited), Buffer.byteLength(source));
      assert.notEqual(edited, source);
      writeFileSync(path, edited);
      utimesSync(path, time, time);
      assert.equal(statSync(path).mtimeMs, time.getTime());
      const validate = await mortar("migrate:validate");
      assert.equal(validate.code, 1, validate.stdout + validate.stderr);
      assert.match(validate.stderr, new RegExp(`${POSTS} changed since it ran`));
      const json = await mortar("migrate:validate", "--json");
      assert.equal(json.code, 1);
      assert.deepEqual(JSON.parse(json.stdout).problems, [{ name: POSTS, problem: "modified" }]);
      writeFileSync(path, source);
    });

    test("a checksum recorded by an earlier version still matches; --applied rewrites it in the new format", async () => {
      const path = join(project.dir, DIR, `${POSTS}.ts`);
      const legacy = legacyChecksum(readFileSync(path, "utf8"));
      await withConnection(database.config, async (db) => {
        const g = db.grammar;
        await db.execute(
          `update ${g.quoteIdentifier("migrations")} set ${g.quoteIdentifier("checksum")} = ${g.parameter(1)} where ${g.quoteIdentifier("migration")} = ${g.parameter(2)}`,
          [legacy, POSTS],
        );
      });
      assert.deepEqual(statuses(await mortar("migrate:status", "--json")), { [USERS]: "ran", [POSTS]: "ran" });
      assert.equal((await mortar("migrate:validate")).code, 0);
      const run = await mortar("migrate:resolve", POSTS, "--applied");
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /already matches its file/);
      assert.match((await recordedChecksum(database, POSTS)) ?? "", /^v2:/);
      assert.deepEqual(statuses(await mortar("migrate:status", "--json")), { [USERS]: "ran", [POSTS]: "ran" });
      // Under an old-format record a comment was an edit, as it was then; the new format is what lets it pass now.
      writeFileSync(path, readFileSync(path, "utf8").replace("// Made for", "// Written for"));
      assert.equal((await mortar("migrate:validate")).code, 0);
    });

    test("the compiled .js rolls back and runs again like the .ts", async () => {
      const rollback = await mortar("migrate:rollback", "--migration", USERS);
      assert.equal(rollback.code, 0, rollback.stdout + rollback.stderr);
      assert.ok(!(await withConnection(database.config, (db) => db.schema.hasTable("users"))));
      const again = await mortar("migrate");
      assert.equal(again.code, 0, again.stdout + again.stderr);
      const columns = await withConnection(database.config, async (db) => (await db.schema.getColumns("users")).map((c) => c.name));
      assert.deepEqual(columns.sort(), ["email", "id"]);
      assert.deepEqual(statuses(await mortar("migrate:status", "--json")), { [USERS]: "ran", [POSTS]: "ran" });
    });
  });
}

describe("checksums in a CommonJS project", () => {
  test("a .ts replaced by tsc's CommonJS output is Ran; an edit to that output is Modified", async () => {
    const database = await createTestDatabase("sqlite");
    const project = createProject("commonjs");
    const mortar = (...args: string[]) => project.mortar(args, database.env);
    try {
      const source = migration("CreateUsersTable", "users");
      project.write(`${DIR}/${USERS}.ts`, source);
      assert.equal((await mortar("migrate")).code, 0);
      project.remove(`${DIR}/${USERS}.ts`);
      const compiled = tscOutput(source, "commonjs");
      assert.match(compiled, /exports\.default = CreateUsersTable/);
      project.write(`${DIR}/${USERS}.js`, compiled);
      assert.deepEqual(statuses(await mortar("migrate:status", "--json")), { [USERS]: "ran" });
      assert.equal((await mortar("migrate:validate")).code, 0);
      project.write(`${DIR}/${USERS}.js`, compiled.replace('"name"', '"nickname"'));
      assert.deepEqual(statuses(await mortar("migrate:status", "--json")), { [USERS]: "modified" });
      assert.equal((await mortar("migrate:validate")).code, 1);
    } finally {
      project.cleanup();
      await database.drop();
    }
  });
});
