import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import type { ConnectionConfig, DialectName } from "../../src/dialect/dialect.js";
import { closeTestDatabases, createTestDatabase } from "../../src/testing/index.js";
import { SQLITE_FOLDER } from "../../src/testing/sqlite-backend.js";
import { createTestDatabase as createEmptyDatabase, DIALECTS, tablesOf, withConnection, type TestDatabase as EmptyDatabase } from "../support/databases.js";
import { createProject, runNode, type TempProject } from "../support/project.js";

/**
 * mortar/testing on every dialect: each copy fully migrated and isolated, parallel calls
 * (in one process and from two processes) without conflicts, drop() removing the copy,
 * templates reused across processes while the migration files are unchanged and rebuilt
 * when one changes. Each test has a project (so a template) and a server database of its own.
 */

const USERS = `import { Migration } from "mortar";
export default class CreateUsers extends Migration {
  async up() {
    await this.schema.create("users", (t) => { t.id(); t.string("name"); });
    await this.db.execute("create view user_names as select name from users");
  }
  async down() { await this.db.execute("drop view user_names"); await this.schema.drop("users"); }
}
`;
const POSTS = (extra = "") => `import { Migration } from "mortar";
export default class CreatePosts extends Migration {
  async up() {
    await this.schema.create("posts", (t) => { t.id(); t.foreignId("user_id").constrained(); t.string("title");${extra} });
  }
  async down() { await this.schema.drop("posts"); }
}
`;
const MIGRATIONS = ["2024_01_01_000000_create_users", "2024_01_02_000000_create_posts"];

/** A copy made by a child process running the built module (`mortar/testing`). */
const CHILD = `import { createTestDatabase } from "mortar/testing";
const connection = JSON.parse(process.env.TEST_CONNECTION);
const made = await Promise.all([1, 2, 3].map(() => createTestDatabase({ connection })));
for (const [i, m] of made.entries()) await m.db.execute("insert into users (name) values ('child " + i + "')");
const counts = [];
for (const m of made) counts.push(Number((await m.db.query("select count(*) as n from users"))[0].n));
console.log(JSON.stringify({ template: made[0].template, names: made.map((m) => m.config.database), counts }));
await Promise.all(made.map((m) => m.drop()));
`;

/** No options: the project's configuration, read as the command line reads it (here .env). */
const DEFAULT_CHILD = `import { createTestDatabase } from "mortar/testing";
const { db, config, template, drop } = await createTestDatabase();
const ran = await db.query("select migration from migrations order by id");
console.log(JSON.stringify({ driver: config.driver, template, ran: ran.map((r) => r.migration) }));
await drop();
`;

interface Setup {
  readonly project: TempProject;
  readonly server: EmptyDatabase;
  readonly connection: ConnectionConfig;
  readonly path: string;
}

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  await closeTestDatabases();
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function setUp(dialect: DialectName): Promise<Setup> {
  const project = createProject("module");
  project.write("databases/migrations/2024_01_01_000000_create_users.ts", USERS);
  project.write("databases/migrations/2024_01_02_000000_create_posts.ts", POSTS());
  project.write("make.mjs", CHILD);
  project.write("default.mjs", DEFAULT_CHILD);
  const server = await createEmptyDatabase(dialect);
  const connection = dialect === "sqlite" ? { driver: "sqlite" as const } : server.config;
  cleanups.push(async () => {
    await server.drop();
    project.cleanup();
  });
  return { project, server, connection, path: join(project.dir, "databases/migrations") };
}

function templateConfig(setup: Setup, template: string): ConnectionConfig {
  return setup.connection.driver === "sqlite" ? { driver: "sqlite", database: join(SQLITE_FOLDER, `${template}.sqlite`) } : { ...setup.connection, database: template };
}

/** Remove a template the test made (templates outlive processes by design). */
function forgetTemplate(setup: Setup, template: string): void {
  cleanups.push(() => dropDatabase(setup, template));
}

async function databaseExists(setup: Setup, name: string): Promise<boolean> {
  const { driver } = setup.connection;
  if (driver === "sqlite") return existsSync(join(SQLITE_FOLDER, `${name}.sqlite`));
  return withConnection(setup.server.config, async (db) =>
    driver === "postgres"
      ? (await db.query("select 1 from pg_database where datname = $1", [name])).length > 0
      : (await db.query("select 1 from information_schema.schemata where schema_name = ?", [name])).length > 0,
  );
}

/** Templates present (SQLite files of the shared folder, or databases on the server), build files included. */
async function listTemplates(setup: Setup): Promise<string[]> {
  const { driver } = setup.connection;
  const all =
    driver === "sqlite"
      ? (await import("node:fs")).readdirSync(SQLITE_FOLDER)
      : await withConnection(setup.server.config, async (db) =>
          (driver === "postgres"
            ? await db.query<{ n: string }>("select datname as n from pg_database")
            : await db.query<{ n: string }>("select schema_name as n from information_schema.schemata")
          ).map((r) => r.n),
        );
  return all.filter((n) => n.startsWith("mortar_tpl_")).sort();
}

async function dropDatabase(setup: Setup, name: string): Promise<void> {
  const { driver } = setup.connection;
  if (driver === "sqlite") return void (await import("node:fs")).rmSync(join(SQLITE_FOLDER, `${name}.sqlite`), { force: true });
  await withConnection(setup.server.config, (db) =>
    db.execute(`drop database if exists ${db.grammar.quoteIdentifier(name)}${driver === "postgres" ? " with (force)" : ""}`),
  );
}

const ranMigrations = (config: ConnectionConfig) =>
  withConnection(config, async (db) => (await db.query<{ migration: string }>("select migration from migrations order by id")).map((r) => r.migration));

for (const dialect of DIALECTS) {
  describe(`createTestDatabase on ${dialect}`, () => {
    test("each copy is fully migrated and isolated; drop() removes it", async () => {
      const setup = await setUp(dialect);
      const first = await createTestDatabase({ connection: setup.connection, path: setup.path });
      forgetTemplate(setup, first.template);
      await first.db.execute("insert into users (name) values ('Ada')");
      const second = await createTestDatabase({ connection: setup.connection, path: setup.path });
      assert.notEqual(second.config.database, first.config.database);
      assert.equal(second.template, first.template);
      for (const copy of [first, second]) {
        assert.deepEqual(await ranMigrations(copy.config), MIGRATIONS, "tracking rows of every migration");
        assert.deepEqual(await tablesOf(copy.config), ["migrations", "posts", "users"]);
      }
      assert.deepEqual(await second.db.query("select name from user_names"), [], "a row written in one copy is absent from the next");
      assert.deepEqual(await first.db.query("select name from user_names"), [{ name: "Ada" }]);
      // Foreign keys came with the copy: a post needs its user.
      await assert.rejects(second.db.execute("insert into posts (user_id, title) values (42, 'orphan')"));
      const names = [first, second].map((copy) => copy.config.database!.replace(/^.*\/|\.sqlite$/g, ""));
      for (const name of names) assert.ok(await databaseExists(setup, name));
      await Promise.all([first.drop(), second.drop()]);
      await assert.rejects(first.db.query("select 1"), "drop() closed the connection");
      // MySQL cannot rename a database out of the way: its DROP runs in the background, and closing waits for it.
      if (dialect === "mysql") await closeTestDatabases();
      for (const name of names) assert.equal(await databaseExists(setup, name), false, `${name} is gone after drop()`);
    });

    test("with no options it uses the project's configuration, as the command line does", async () => {
      const setup = await setUp(dialect);
      setup.project.write(".env", Object.entries(setup.server.env).map(([k, v]) => `${k}=${v}`).join("\n") + "\n");
      const child = await runNode(["default.mjs"], setup.project.dir);
      assert.equal(child.code, 0, child.stderr);
      const out = JSON.parse(child.stdout.trim()) as { driver: string; template: string; ran: string[] };
      forgetTemplate(setup, out.template);
      assert.equal(out.driver, dialect);
      assert.deepEqual(out.ran, MIGRATIONS);
    });

    test("a failing migration rejects with its name and leaves no template; the fixed file then works", async () => {
      const setup = await setUp(dialect);
      setup.project.write(
        "databases/migrations/2024_01_03_000000_broken.ts",
        `import { Migration } from "mortar";\nexport default class Broken extends Migration {\n  async up() { await this.db.execute("create table users (id int)"); }\n  async down() {}\n}\n`,
      );
      const before = await listTemplates(setup);
      const error = await createTestDatabase({ connection: setup.connection, path: setup.path }).then(
        () => assert.fail("expected a rejection"),
        (e: unknown) => e as { code?: string; message: string },
      );
      assert.equal(error.code, "MIGRATION_FAILED");
      assert.match(error.message, /2024_01_03_000000_broken/);
      assert.deepEqual(await listTemplates(setup), before, "no half-migrated template (nor its build file) left");
      setup.project.write("databases/migrations/2024_01_03_000000_broken.ts", `import { Migration } from "mortar";\nexport default class Fixed extends Migration {\n  async up() {}\n  async down() {}\n}\n`);
      const copy = await createTestDatabase({ connection: setup.connection, path: setup.path });
      forgetTemplate(setup, copy.template);
      assert.deepEqual(await ranMigrations(copy.config), [...MIGRATIONS, "2024_01_03_000000_broken"]);
      await copy.drop();
    });

    test("four calls at once give four distinct migrated copies", async () => {
      const setup = await setUp(dialect);
      const copies = await Promise.all([1, 2, 3, 4].map(() => createTestDatabase({ connection: setup.connection, path: setup.path })));
      forgetTemplate(setup, copies[0]!.template);
      assert.equal(new Set(copies.map((c) => c.config.database)).size, 4);
      for (const [i, copy] of copies.entries()) await copy.db.execute(`insert into users (name) values ('n${i}')`);
      for (const copy of copies) {
        assert.deepEqual(await copy.db.query("select count(*) as n from users").then((r) => Number(r[0]!.n)), 1);
        assert.deepEqual(await ranMigrations(copy.config), MIGRATIONS);
      }
      await Promise.all(copies.map((c) => c.drop()));
    });

    test("two processes at once share one template; a later run reuses it; an edited migration rebuilds it", async () => {
      const setup = await setUp(dialect);
      const env = { TEST_CONNECTION: JSON.stringify(setup.connection) };
      const children = await Promise.all([1, 2].map(() => runNode(["make.mjs"], setup.project.dir, env)));
      const outputs = children.map((child) => {
        assert.equal(child.code, 0, child.stderr);
        return JSON.parse(child.stdout.trim().split("\n").at(-1)!) as { template: string; names: string[]; counts: number[] };
      });
      const template = outputs[0]!.template;
      forgetTemplate(setup, template);
      assert.equal(outputs[1]!.template, template, "both processes use the same template");
      assert.equal(new Set(outputs.flatMap((o) => o.names)).size, 6, "six distinct copies");
      assert.deepEqual(outputs.flatMap((o) => o.counts), [1, 1, 1, 1, 1, 1], "each copy holds only its own row");
      for (const name of outputs.flatMap((o) => o.names)) {
        assert.equal(await databaseExists(setup, name.replace(/^.*\/|\.sqlite$/g, "")), false, `${name} dropped before its process ended`);
      }
      const builtAt = await withConnection(templateConfig(setup, template), (db) => db.query("select migration, executed_at from migrations order by id"));

      const again = await runNode(["make.mjs"], setup.project.dir, env);
      assert.equal(again.code, 0, again.stderr);
      assert.equal(JSON.parse(again.stdout.trim()).template, template, "unchanged files: the same template");
      assert.deepEqual(
        await withConnection(templateConfig(setup, template), (db) => db.query("select migration, executed_at from migrations order by id")),
        builtAt,
        "reused, not migrated again",
      );

      setup.project.write("databases/migrations/2024_01_02_000000_create_posts.ts", POSTS(' t.text("body").nullable();'));
      const edited = await runNode(["make.mjs"], setup.project.dir, env);
      assert.equal(edited.code, 0, edited.stderr);
      const rebuilt = JSON.parse(edited.stdout.trim()).template as string;
      forgetTemplate(setup, rebuilt);
      assert.notEqual(rebuilt, template, "an edited migration gives a new template");
      assert.equal(await databaseExists(setup, template), false, "the project's older template is removed");
      const copy = await createTestDatabase({ connection: setup.connection, path: setup.path });
      assert.equal(copy.template, rebuilt);
      assert.ok((await copy.db.schema.getColumns("posts")).some((c) => c.name === "body"), "the copy has the edited schema");
      await copy.drop();
    });
  });
}
