import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import type { ConnectionConfig } from "../../src/dialect/dialect.js";
import { createTestDatabase, DIALECTS, type TestDatabase, withConnection } from "../support/databases.js";
import { createProject, inheritedEnvironment, MORTAR_BIN, type RunOutput, type TempProject } from "../support/project.js";

// ---------------------------------------------------------------------------------------------
// Migration sources

/** A migration that creates `table` (id, name). */
function createTable(table: string, extra = ""): string {
  return `import { Migration } from "mortar";
export default class Create_${table} extends Migration {${extra}
  async up() {
    await this.schema.create(${JSON.stringify(table)}, (t) => { t.increments("id"); t.string("name"); });
  }
  async down() { await this.schema.drop(${JSON.stringify(table)}); }
}
`;
}

/** A migration that creates `table` and then throws. */
function createThenThrow(table: string, extra = ""): string {
  return `import { Migration } from "mortar";
export default class Broken_${table} extends Migration {${extra}
  async up() {
    await this.schema.create(${JSON.stringify(table)}, (t) => { t.increments("id"); });
    throw new Error("boom on purpose");
  }
  async down() { await this.schema.dropIfExists(${JSON.stringify(table)}); }
}
`;
}

// Raw SQL through this.db: a bound parameter in, a query back out, the result written again.
const RAW_SQL_TS = `import { Migration } from "mortar";
export default class SeedSettings extends Migration {
  async up() {
    await this.schema.create("settings", (t) => { t.increments("id"); t.string("name"); t.string("value"); });
    const p = (i: number) => (this.db.dialect === "postgres" ? "$" + i : "?");
    await this.db.execute(\`insert into settings (name, value) values (\${p(1)}, \${p(2)})\`, ["greeting", "it's \\"hello\\""]);
    const rows = await this.db.query<{ value: string }>(\`select value from settings where name = \${p(1)}\`, ["greeting"]);
    if (rows.length !== 1) throw new Error("query returned " + rows.length + " rows");
    await this.db.execute(\`insert into settings (name, value) values (\${p(1)}, \${p(2)})\`, ["echo", rows[0]!.value + "!"]);
  }
  async down() { await this.schema.drop("settings"); }
}
`;

const M1 = "2026_02_01_000001_create_alpha_table";
const M2 = "2026_02_01_000002_create_beta_table";
const M3 = "2026_02_01_000003_create_gamma_table";

// ---------------------------------------------------------------------------------------------
// Reading database state

const tablesOf = (config: ConnectionConfig) => withConnection(config, (db) => db.schema.getTables());

/** Migration names in the tracking table `table` (empty when it does not exist). */
function trackedIn(config: ConnectionConfig, table = "migrations"): Promise<string[]> {
  return withConnection(config, async (db) => {
    if (!(await db.schema.hasTable(table))) return [];
    const rows = await db.query<{ migration: string }>(
      `select ${db.grammar.quoteIdentifier("migration")} from ${db.grammar.quoteIdentifier(table)} order by ${db.grammar.quoteIdentifier("id")}`,
    );
    return rows.map((r) => r.migration);
  });
}

const wipe = (config: ConnectionConfig) => withConnection(config, (db) => db.schema.dropAllTablesAndViews());

// ---------------------------------------------------------------------------------------------
// Running the binary

/** The process environment without anything that configures Mortar or colour. */
function bareEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = Object.entries(inheritedEnvironment()).filter(([k]) => !/^(NO_COLOR|FORCE_COLOR)/.test(k));
  return { ...Object.fromEntries(env), ...extra };
}

/** Spawn a process; with `answer`, type it once a `(yes/no)` prompt shows on stdout. */
function run(command: string, args: readonly string[], cwd: string, env: Record<string, string>, answer?: string): Promise<RunOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd, env, stdio: [answer === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let answered = false;
    child.stdout!.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (answer !== undefined && !answered && stdout.includes("(yes/no)")) {
        answered = true;
        child.stdin!.write(`${answer}\n`);
      }
    });
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The binary with piped output and NO_COLOR unset (the harness always sets it). */
const mortarWithoutNoColor = (project: TempProject, args: readonly string[], env: Record<string, string> = {}) =>
  run(process.execPath, [MORTAR_BIN, ...args], project.dir, bareEnv(env));

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const HAS_SCRIPT = spawnSync("script", ["-qec", "true", "/dev/null"], { stdio: "ignore" }).status === 0;

/** The binary on a pseudo-terminal (util-linux `script`); stdout and stderr both land in stdout. */
const mortarOnTty = (project: TempProject, args: readonly string[], env: Record<string, string> = {}, answer?: string) =>
  run("script", ["-qec", [process.execPath, MORTAR_BIN, ...args].map(shellQuote).join(" "), "/dev/null"], project.dir, bareEnv(env), answer);

const ANSI = /\u001b\[/;
const STACK = /\n\s+at /;

function parseOnlyJson(stdout: string): Record<string, unknown> {
  let doc: unknown;
  assert.doesNotThrow(() => (doc = JSON.parse(stdout)), `stdout is not one JSON document:\n${stdout}`);
  assert.ok(doc && typeof doc === "object" && !Array.isArray(doc), stdout);
  return doc as Record<string, unknown>;
}

/** The connection settings of a test database as a config file would spell them. */
const configLiteral = (test: TestDatabase) => JSON.stringify(test.config);

function configFile(primary: TestDatabase, other: TestDatabase, migrations: { path?: string; table?: string } = {}): string {
  return `import { defineConfig } from "mortar";

export default defineConfig({
  default: "primary",
  connections: {
    primary: ${configLiteral(primary)},
    other: ${configLiteral(other)},
  },
  migrations: ${JSON.stringify(migrations)},
});
`;
}

function url(test: TestDatabase): string {
  const c = test.config;
  if (c.driver === "sqlite") throw new Error("no server URL for SQLite");
  const auth = c.password ? `${c.username}:${encodeURIComponent(c.password)}` : c.username;
  return `${c.driver}://${auth}@${c.host}:${c.port}/${c.database}`;
}

// ---------------------------------------------------------------------------------------------

for (const dialect of DIALECTS) {
  describe(`mortar configuration on ${dialect}`, () => {
    let primary: TestDatabase;
    let other: TestDatabase;
    const projects: TempProject[] = [];

    /** A fresh ESM project with `files` written into it. */
    const project = (files: Record<string, string> = {}, type: "module" | "commonjs" = "module") => {
      const p = createProject(type);
      projects.push(p);
      for (const [path, content] of Object.entries(files)) p.write(path, content);
      return p;
    };
    const migrationsDir = "databases/migrations";
    const twoMigrations = () => ({
      [`${migrationsDir}/${M1}.ts`]: createTable("alpha"),
      [`${migrationsDir}/${M2}.ts`]: createTable("beta"),
    });

    before(async () => {
      [primary, other] = await Promise.all([createTestDatabase(dialect), createTestDatabase(dialect)]);
    });
    beforeEach(async () => {
      await Promise.all([wipe(primary.config), wipe(other.config)]);
    });
    after(async () => {
      for (const p of projects) p.cleanup();
      await Promise.all([primary?.drop(), other?.drop()]);
    });

    test(".env in the project is used, and the process environment overrides it", async () => {
      const p = project({ ...twoMigrations(), ".env": Object.entries(primary.env).map(([k, v]) => `${k}=${v}`).join("\n") + "\n" });
      // DB_DATABASE from the process wins over the one in .env.
      let r = await p.mortar(["migrate"], { DB_DATABASE: other.env.DB_DATABASE! });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await tablesOf(other.config), ["alpha", "beta", "migrations"]);
      assert.deepEqual(await tablesOf(primary.config), []);
      // Without the override, .env alone decides.
      r = await p.mortar(["migrate"]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await tablesOf(primary.config), ["alpha", "beta", "migrations"]);
      assert.deepEqual(await trackedIn(primary.config), [M1, M2]);
    });

    test("DATABASE_URL selects the database", async () => {
      const p = project(twoMigrations());
      if (dialect === "sqlite") {
        const r = await p.mortar(["migrate"], { DATABASE_URL: "sqlite:data/app.sqlite" });
        assert.equal(r.code, 0, r.stderr);
        const file = join(p.dir, "data", "app.sqlite");
        assert.ok(existsSync(file), "sqlite:relative/path is relative to the project folder");
        assert.deepEqual(await tablesOf({ driver: "sqlite", database: file }), ["alpha", "beta", "migrations"]);
        assert.ok(!existsSync(join(p.dir, "databases", "database.sqlite")), "the default file is not touched");
        // An absolute path, through the DB_URL alias.
        const abs = await p.mortar(["migrate:install"], { DB_URL: `sqlite:${primary.config.database}` });
        assert.equal(abs.code, 0, abs.stderr);
        assert.deepEqual(await tablesOf(primary.config), ["migrations"]);
      } else {
        const r = await p.mortar(["migrate"], { DATABASE_URL: url(primary) });
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(await tablesOf(primary.config), ["alpha", "beta", "migrations"]);
        assert.ok(!existsSync(join(p.dir, "databases", "database.sqlite")), "no SQLite fallback");
        // The DB_URL alias, with the scheme aliases postgresql:// and mariadb://.
        const aliased = url(other).replace(/^postgres:/, "postgresql:").replace(/^mysql:/, "mariadb:");
        const r2 = await p.mortar(["migrate:install"], { DB_URL: aliased });
        assert.equal(r2.code, 0, r2.stderr);
        assert.deepEqual(await tablesOf(other.config), ["migrations"]);
      }
    });

    test("DB_DRIVER and DB_USER aliases, with the driver's alias name", async () => {
      const p = project(twoMigrations());
      const { DB_CONNECTION: _connection, DB_USERNAME: username, ...rest } = primary.env;
      const driver = { sqlite: "sqlite3", postgres: "pgsql", mysql: "mariadb" }[dialect];
      const env = { ...rest, DB_DRIVER: driver, ...(username !== undefined ? { DB_USER: username } : {}) };
      const r = await p.mortar(["migrate:install"], env);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await tablesOf(primary.config), ["migrations"]);
    });

    test("precedence: .env beats mortar.config.ts; DB_CONNECTION picks a named connection", async () => {
      const p = project({
        ...twoMigrations(),
        "mortar.config.ts": configFile(primary, other),
        ".env": `DB_DATABASE=${other.config.database}\n`,
      });
      let r = await p.mortar(["migrate", "--migration", M1]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await tablesOf(other.config), ["alpha", "migrations"], ".env overrides the config file");
      assert.deepEqual(await tablesOf(primary.config), []);
      p.remove(".env");
      r = await p.mortar(["migrate", "--migration", M2], { DB_CONNECTION: "other" });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await tablesOf(other.config), ["alpha", "beta", "migrations"]);
      assert.deepEqual(await tablesOf(primary.config), []);
    });

    test("mortar.config.ts: default connection, --connection other, migrations.path and migrations.table, MIGRATIONS_TABLE", async () => {
      const p = project({
        "mortar.config.ts": configFile(primary, other, { path: "db/changes", table: "schema_history" }),
        [`db/changes/${M1}.ts`]: createTable("alpha"),
        // Not in the configured folder: must not run.
        [`${migrationsDir}/${M2}.ts`]: createTable("beta"),
      });
      let r = await p.mortar(["migrate"]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await tablesOf(primary.config), ["alpha", "schema_history"]);
      assert.deepEqual(await trackedIn(primary.config, "schema_history"), [M1]);
      assert.deepEqual(await tablesOf(other.config), []);

      r = await p.mortar(["migrate", "--connection", "other"]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await tablesOf(other.config), ["alpha", "schema_history"]);
      assert.deepEqual(await trackedIn(other.config, "schema_history"), [M1]);

      // The environment overrides the config file's tracking table.
      r = await p.mortar(["migrate:install"], { MIGRATIONS_TABLE: "custom_log" });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await tablesOf(primary.config), ["alpha", "custom_log", "schema_history"]);
      r = await p.mortar(["migrate:status", "--json"], { MIGRATIONS_TABLE: "custom_log" });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(parseOnlyJson(r.stdout), { migrations: [{ name: M1, status: "pending", batch: null, executedAt: null, durationMs: null }], warnings: [] });
    });

    test("--config FILE and --path DIR", async () => {
      const p = project({
        "config/mortar.staging.ts": configFile(other, primary, { path: "nowhere", table: "staging_log" }),
        [`elsewhere/${M3}.ts`]: createTable("gamma"),
        ...twoMigrations(),
      });
      const missing = await p.mortar(["migrate", "--config", "config/nope.ts"]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /nope\.ts/);

      // --path on top of --config: the flag beats the file's migrations.path.
      const r = await p.mortar(["migrate", "--config", "config/mortar.staging.ts", "--path", "elsewhere"]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await tablesOf(other.config), ["gamma", "staging_log"]);
      assert.deepEqual(await trackedIn(other.config, "staging_log"), [M3]);
      assert.deepEqual(await tablesOf(primary.config), []);
    });

    test("a migration with static connection runs on that connection; its tracking row stays in the default one", async () => {
      const p = project({
        "mortar.config.ts": configFile(primary, other),
        [`${migrationsDir}/${M1}.ts`]: createTable("alpha"),
        [`${migrationsDir}/${M2}.ts`]: createTable("audits", `\n  static connection = "other";`),
      });
      let r = await p.mortar(["migrate"]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await tablesOf(primary.config), ["alpha", "migrations"]);
      assert.deepEqual(await trackedIn(primary.config), [M1, M2]);
      assert.deepEqual(await tablesOf(other.config), ["audits"]);

      r = await p.mortar(["migrate:rollback"]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await tablesOf(other.config), []);
      assert.deepEqual(await tablesOf(primary.config), ["migrations"]);
      assert.deepEqual(await trackedIn(primary.config), []);
    });

    if (dialect !== "mysql") {
      test("static transaction = false leaves a failed migration's work behind, recorded as failed; the default rolls it back", async () => {
        const p = project({
          [`${migrationsDir}/${M1}.ts`]: createThenThrow("loose", `\n  static transaction = false;`),
        });
        let r = await p.mortar(["migrate"], primary.env);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /boom on purpose/);
        assert.deepEqual(await tablesOf(primary.config), ["loose", "migrations"], "not rolled back");
        assert.deepEqual(await trackedIn(primary.config), [M1], "a tracking row that says it did not finish");
        r = await p.mortar(["migrate:status", "--json"], primary.env);
        assert.deepEqual(JSON.parse(r.stdout).migrations.map((m: { status: string }) => m.status), ["failed"]);
        r = await p.mortar(["migrate"], primary.env);
        assert.equal(r.code, 1, "refuses to go on");
        assert.match(r.stderr, /did not finish .*migrate:resolve/s);

        await wipe(primary.config);
        p.write(`${migrationsDir}/${M1}.ts`, createThenThrow("loose"));
        r = await p.mortar(["migrate"], primary.env);
        assert.equal(r.code, 1);
        assert.ok(!(await tablesOf(primary.config)).includes("loose"), "rolled back by default");
        assert.deepEqual(await trackedIn(primary.config), []);
      });
    }

    test("this.db.execute and this.db.query with bound parameters inside a migration", async () => {
      const p = project({ [`${migrationsDir}/${M1}.ts`]: RAW_SQL_TS });
      const r = await p.mortar(["migrate"], primary.env);
      assert.equal(r.code, 0, r.stderr);
      const rows = await withConnection(primary.config, (db) => db.query<{ name: string; value: string }>("select name, value from settings order by id"));
      assert.deepEqual(
        rows.map((row) => [row.name, row.value]),
        [
          ["greeting", `it's "hello"`],
          ["echo", `it's "hello"!`],
        ],
      );
    });

    test("migrate:install creates the tracking table and nothing else", async () => {
      const p = project(twoMigrations());
      const r = await p.mortar(["migrate:install"], primary.env);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await tablesOf(primary.config), ["migrations"]);
      assert.deepEqual(await trackedIn(primary.config), []);
      const columns = await withConnection(primary.config, async (db) => (await db.schema.getColumns("migrations")).map((c) => c.name).sort());
      assert.deepEqual(columns, ["batch", "checksum", "duration_ms", "error", "executed_at", "id", "migration", "statements", "status"]);
    });

    test("migrate --migration NAME runs only that one; migrate:status --pending lists the rest", async () => {
      const p = project({ ...twoMigrations(), [`${migrationsDir}/${M3}.ts`]: createTable("gamma") });
      let r = await p.mortar(["migrate", "--migration", M2], primary.env);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await tablesOf(primary.config), ["beta", "migrations"]);
      assert.deepEqual(await trackedIn(primary.config), [M2]);

      // --pending exits 1 while any migration is pending (a CI check).
      r = await p.mortar(["migrate:status", "--pending", "--json"], primary.env);
      assert.equal(r.code, 1, r.stderr);
      assert.deepEqual(parseOnlyJson(r.stdout), {
        migrations: [
          { name: M1, status: "pending", batch: null, executedAt: null, durationMs: null },
          { name: M3, status: "pending", batch: null, executedAt: null, durationMs: null },
        ],
        warnings: [],
      });
      r = await p.mortar(["migrate:status", "--pending"], primary.env);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, new RegExp(`${M1} \\.+ Pending`));
      assert.match(r.stdout, new RegExp(`${M3} \\.+ Pending`));
      assert.doesNotMatch(r.stdout, new RegExp(M2));
    });

    test("--json prints exactly one JSON document for migrate, status, rollback and a failure", async () => {
      const p = project({ ...twoMigrations(), "databases/migrations/helper.ts": "export const x = 1;\n" });
      let r = await p.mortar(["migrate", "--json"], primary.env);
      assert.equal(r.code, 0, r.stderr);
      let doc = parseOnlyJson(r.stdout);
      assert.equal(doc.batch, 1);
      const ran = doc.migrations as { name: string; status: string; durationMs: number }[];
      assert.deepEqual(ran.map((m) => [m.name, m.status]), [[M1, "ran"], [M2, "ran"]]);
      assert.ok(ran.every((m) => typeof m.durationMs === "number" && m.durationMs >= 0));
      assert.equal(doc.error, undefined);

      r = await p.mortar(["migrate:status", "--json"], primary.env);
      assert.equal(r.code, 0, r.stderr);
      const statusDoc = parseOnlyJson(r.stdout) as { migrations: { executedAt: string; durationMs: number }[] };
      for (const m of statusDoc.migrations) {
        assert.match(m.executedAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
        assert.ok(Number.isInteger(m.durationMs) && m.durationMs >= 0, String(m.durationMs));
      }
      assert.deepEqual(parseOnlyJson(r.stdout), {
        migrations: [
          { name: M1, status: "ran", batch: 1, executedAt: statusDoc.migrations[0]!.executedAt, durationMs: statusDoc.migrations[0]!.durationMs },
          { name: M2, status: "ran", batch: 1, executedAt: statusDoc.migrations[1]!.executedAt, durationMs: statusDoc.migrations[1]!.durationMs },
        ],
        warnings: ["ignored helper.ts: the name does not match YYYY_MM_DD_HHMMSS_name.ts"],
      });

      r = await p.mortar(["migrate:rollback", "--json"], primary.env);
      assert.equal(r.code, 0, r.stderr);
      doc = parseOnlyJson(r.stdout);
      assert.equal(doc.batch, 1);
      assert.deepEqual((doc.migrations as { name: string; status: string }[]).map((m) => [m.name, m.status]), [
        [M2, "rolled back"],
        [M1, "rolled back"],
      ]);

      // Nothing to do is still one document.
      r = await p.mortar(["migrate:rollback", "--json"], primary.env);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual((parseOnlyJson(r.stdout).migrations as unknown[]).length, 0);

      p.write(`${migrationsDir}/${M3}.ts`, createThenThrow("half"));
      r = await p.mortar(["migrate", "--json"], primary.env);
      assert.equal(r.code, 1);
      doc = parseOnlyJson(r.stdout);
      const error = doc.error as { message: string } | undefined;
      assert.ok(error && typeof error.message === "string", r.stdout);
      assert.match(error.message, /boom on purpose/);
      assert.match(JSON.stringify(error), new RegExp(M3));
      const statuses = (doc.migrations as { name: string; status: string }[]).map((m) => [m.name, m.status]);
      assert.deepEqual(statuses, [[M1, "ran"], [M2, "ran"], [M3, "failed"]]);
      if (dialect === "mysql") await withConnection(primary.config, (db) => db.schema.dropIfExists("half"));

      // A configuration error under --json is a document too, and exit 2.
      r = await p.mortar(["migrate", "--json", "--connection", "nowhere"], primary.env);
      assert.equal(r.code, 2);
      const configError = parseOnlyJson(r.stdout).error as { message: string } | undefined;
      assert.match(configError?.message ?? "", /nowhere/);
    });

    test("production: refused without --force and a TTY, runs with --force; --pretend and status need no --force", async () => {
      const p = project(twoMigrations());
      const prod = { ...primary.env, NODE_ENV: "production" };
      let r = await p.mortar(["migrate"], prod);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--force/);
      assert.deepEqual(await tablesOf(primary.config), [], "database unchanged");

      r = await p.mortar(["migrate:install"], { ...primary.env, APP_ENV: "production" });
      assert.equal(r.code, 2, "APP_ENV counts too");
      assert.deepEqual(await tablesOf(primary.config), []);

      r = await p.mortar(["migrate", "--pretend"], prod);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /create table/i);
      assert.deepEqual(await tablesOf(primary.config), []);

      r = await p.mortar(["migrate", "--force"], prod);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await trackedIn(primary.config), [M1, M2]);

      r = await p.mortar(["migrate:status"], prod);
      assert.equal(r.code, 0, r.stderr);

      r = await p.mortar(["migrate:rollback"], prod);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--force/);
      assert.deepEqual(await trackedIn(primary.config), [M1, M2], "rollback refused too");
    });

    test("--connection that is not configured exits 2 naming it, with or without a config file", async () => {
      const bare = project(twoMigrations());
      const withFile = project({ ...twoMigrations(), "mortar.config.ts": configFile(primary, other) });
      const [a, b] = await Promise.all([
        bare.mortar(["migrate", "--connection", "reporting"], primary.env),
        withFile.mortar(["migrate", "--connection", "reporting"]),
      ]);
      for (const r of [a, b]) {
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /reporting/);
        assert.doesNotMatch(r.stderr, STACK);
      }
      assert.deepEqual(await tablesOf(primary.config), []);
    });

    if (dialect !== "sqlite") {
      test("a refused port exits 1 with a short message naming host:port and no stack trace", async () => {
        const p = project(twoMigrations());
        const r = await p.mortar(["migrate"], { ...primary.env, DB_PORT: "1" });
        assert.equal(r.code, 1);
        assert.match(r.stderr, /127\.0\.0\.1:1\b/);
        assert.doesNotMatch(r.stderr, STACK);
        assert.ok(r.stderr.trim().split("\n").length <= 3, r.stderr);
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// What needs no database server: the SQLite default, colour, unknown drivers.

describe("mortar configuration without a server", () => {
  const projects: TempProject[] = [];
  const project = (files: Record<string, string>, type: "module" | "commonjs" = "module") => {
    const p = createProject(type);
    projects.push(p);
    for (const [path, content] of Object.entries(files)) p.write(path, content);
    return p;
  };
  after(() => {
    for (const p of projects) p.cleanup();
  });

  test("with nothing configured, migrate creates databases/database.sqlite", async () => {
    const p = project({ [`databases/migrations/${M1}.ts`]: createTable("alpha") });
    const r = await p.mortar(["migrate"]);
    assert.equal(r.code, 0, r.stderr);
    const file = join(p.dir, "databases", "database.sqlite");
    assert.ok(existsSync(file));
    assert.deepEqual(await tablesOf({ driver: "sqlite", database: file }), ["alpha", "migrations"]);
  });

  test("the default SQLite folder is created when it does not exist (migrations elsewhere with --path)", async () => {
    const p = project({ [`migrations/${M1}.ts`]: createTable("alpha") });
    assert.ok(!existsSync(join(p.dir, "databases")));
    const r = await p.mortar(["migrate", "--path", "migrations"]);
    assert.equal(r.code, 0, r.stderr);
    const file = join(p.dir, "databases", "database.sqlite");
    assert.ok(existsSync(file));
    assert.deepEqual(await tablesOf({ driver: "sqlite", database: file }), ["alpha", "migrations"]);
  });

  test("mortar.config.ts works in a CommonJS project too", async () => {
    const p = project(
      {
        "mortar.config.ts": `import { defineConfig } from "mortar";
export default defineConfig({ connections: { main: { driver: "sqlite", database: "var/app.sqlite" } }, migrations: { table: "cjs_log" } });
`,
        [`databases/migrations/${M1}.ts`]: createTable("alpha"),
      },
      "commonjs",
    );
    const r = await p.mortar(["migrate"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await tablesOf({ driver: "sqlite", database: join(p.dir, "var", "app.sqlite") }), ["alpha", "cjs_log"]);
  });

  test("a mortar.config.ts that does not compile exits 2 naming the file and what is wrong", async () => {
    const p = project({
      "mortar.config.ts": `import { defineConfig } from "mortar";\nexport default defineConfig({ migrations: { path: "x" } ;\n`,
      [`databases/migrations/${M1}.ts`]: createTable("alpha"),
    });
    const r = await p.mortar(["migrate"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /mortar\.config\.ts/);
    // The compiler's own complaint (esbuild: `Expected "}" but found ";"`), not just "Transform failed with 1 error:".
    assert.match(r.stderr, /Expected|Unexpected/, r.stderr);
    assert.doesNotMatch(r.stderr, STACK);
  });

  test("production without a TTY: fresh, reset and refresh are refused without --force too", async () => {
    const p = project({ [`databases/migrations/${M1}.ts`]: createTable("alpha") });
    const file = { driver: "sqlite" as const, database: join(p.dir, "databases", "database.sqlite") };
    let r = await p.mortar(["migrate"]);
    assert.equal(r.code, 0, r.stderr);
    for (const command of ["migrate:fresh", "migrate:reset", "migrate:refresh"]) {
      r = await p.mortar([command], { NODE_ENV: "production" });
      assert.equal(r.code, 2, `${command}: ${r.stderr}`);
      assert.match(r.stderr, /--force/);
    }
    assert.deepEqual(await tablesOf(file), ["alpha", "migrations"]);
    assert.deepEqual(await trackedIn(file), [M1]);
  });

  test("production on a TTY asks first: `no` changes nothing, `yes` runs", { skip: !HAS_SCRIPT && "util-linux `script` is not available" }, async () => {
    const p = project({ [`databases/migrations/${M1}.ts`]: createTable("alpha") });
    const file = join(p.dir, "databases", "database.sqlite");
    const no = await mortarOnTty(p, ["migrate"], { NODE_ENV: "production", NO_COLOR: "1" }, "no");
    assert.match(no.stdout, /production/i);
    assert.notEqual(no.code, 0, no.stdout);
    assert.ok(!existsSync(file) || (await tablesOf({ driver: "sqlite", database: file })).length === 0, "nothing ran");
    const yes = await mortarOnTty(p, ["migrate"], { NODE_ENV: "production", NO_COLOR: "1" }, "yes");
    assert.equal(yes.code, 0, yes.stdout);
    assert.deepEqual(await trackedIn({ driver: "sqlite", database: file }), [M1]);
  });

  test("an unknown DB_CONNECTION exits 2 naming it", async () => {
    const p = project({ [`databases/migrations/${M1}.ts`]: createTable("alpha") });
    const r = await p.mortar(["migrate"], { DB_CONNECTION: "oracle" });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /oracle/);
    assert.doesNotMatch(r.stderr, STACK);
    assert.ok(!existsSync(join(p.dir, "databases", "database.sqlite")), "nothing created");
  });

  test("no ANSI escapes with NO_COLOR, nor on a pipe without it", async () => {
    const p = project({
      [`databases/migrations/${M1}.ts`]: createTable("alpha"),
      [`databases/migrations/${M2}.ts`]: createThenThrow("half"),
      "databases/migrations/helper.ts": "export const x = 1;\n",
    });
    const withNoColor = await p.mortar(["migrate"]); // the harness sets NO_COLOR=1
    assert.equal(withNoColor.code, 1);
    assert.match(withNoColor.stdout, /DONE/);
    assert.match(withNoColor.stderr, /ERROR/);
    const piped = await mortarWithoutNoColor(p, ["migrate"]);
    assert.equal(piped.code, 1);
    assert.match(piped.stderr, /ERROR/);
    const status = await mortarWithoutNoColor(p, ["migrate:status"]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /Ran/);
    for (const r of [withNoColor, piped, status]) {
      assert.doesNotMatch(r.stdout, ANSI);
      assert.doesNotMatch(r.stderr, ANSI);
    }
  });

  test("colour on a terminal, but never with NO_COLOR", { skip: !HAS_SCRIPT && "util-linux `script` is not available" }, async () => {
    const p = project({ [`databases/migrations/${M1}.ts`]: createTable("alpha") });
    const [tty, ttyNoColor] = await Promise.all([mortarOnTty(p, ["migrate:status"]), mortarOnTty(p, ["migrate:status"], { NO_COLOR: "1" })]);
    assert.equal(tty.code, 0, tty.stdout);
    assert.match(tty.stdout, /Pending/);
    assert.match(tty.stdout, ANSI, "colour on a TTY");
    assert.equal(ttyNoColor.code, 0, ttyNoColor.stdout);
    assert.match(ttyNoColor.stdout, /Pending/);
    assert.doesNotMatch(ttyNoColor.stdout, ANSI, "NO_COLOR wins over the TTY");
  });
});
