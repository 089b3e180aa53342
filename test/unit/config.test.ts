import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseDatabaseUrl, redact } from "../../src/config/database-url.js";
import { driverFromAlias, isDriverAlias } from "../../src/config/driver-alias.js";
import { loadConfig, type ConfigFlags } from "../../src/config/load-config.js";
import { connect } from "../../src/dialect/connect.js";
import { ConfigError } from "../../src/errors.js";
import { tempDirMaker } from "../support/temp-dirs.js";

const tempDir = tempDirMaker("mortar-config-");

function load(cwd: string, env: Record<string, string> = {}, flags: ConfigFlags = {}) {
  return loadConfig({ cwd, env, flags });
}

/** Drop keys set to undefined, so comparisons do not depend on them. */
function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function rejectsConfig(promise: Promise<unknown>, mustMatch: RegExp[], mustNotMatch: RegExp[] = []): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    assert.equal((error as ConfigError).code, "CONFIG");
    const message = (error as Error).message;
    for (const pattern of mustMatch) assert.match(message, pattern);
    for (const pattern of mustNotMatch) assert.doesNotMatch(message, pattern);
    return true;
  });
}

const CONFIG_MJS = `export default {
  default: "primary",
  connections: {
    primary: { driver: "sqlite", database: "db/primary.sqlite" },
    other: { driver: "pgsql", host: "other.example.com", port: 6543, database: "otherdb", username: "olga", password: "pw" },
  },
  migrations: { path: "db/m", table: "schema_log" },
};
`;

function projectWithConfig(text = CONFIG_MJS, fileName = "mortar.config.mjs"): string {
  const cwd = tempDir();
  writeFileSync(join(cwd, fileName), text);
  return cwd;
}

describe("defaults", () => {
  test("SQLite at <cwd>/databases/database.sqlite, migrations in <cwd>/databases/migrations, table migrations", async () => {
    const cwd = tempDir();
    const config = await load(cwd);
    assert.deepEqual(defined(config.connection), { driver: "sqlite", database: join(cwd, "databases", "database.sqlite") });
    assert.equal(config.migrationsPath, join(cwd, "databases", "migrations"));
    assert.equal(config.migrationsTable, "migrations");
    assert.equal(config.configFile, undefined);
    assert.equal(typeof config.connectionName, "string");
  });

  test("the SQLite file's folder is created when the database is opened, not when the configuration is read", async () => {
    const cwd = tempDir();
    assert.equal(existsSync(join(cwd, "databases")), false);
    const config = await load(cwd);
    assert.equal(existsSync(join(cwd, "databases")), false, "loading the configuration creates nothing");
    const db = await connect(config.connection);
    await db.close();
    assert.ok(statSync(join(cwd, "databases")).isDirectory());
    assert.ok(existsSync(join(cwd, "databases", "database.sqlite")), "opening the database creates its file");
  });

  test("DB_DATABASE names the SQLite file, relative to cwd or absolute, or :memory:", async () => {
    const cwd = tempDir();
    const relative = await load(cwd, { DB_DATABASE: "data/app.sqlite" });
    assert.deepEqual(defined(relative.connection), { driver: "sqlite", database: join(cwd, "data", "app.sqlite") });
    assert.equal(existsSync(join(cwd, "data")), false, "loading the configuration creates nothing (the driver makes the folder when it opens the file)");

    const absolutePath = join(tempDir(), "nested", "abs.sqlite");
    const absolute = await load(cwd, { DB_DATABASE: absolutePath });
    assert.equal(absolute.connection.database, absolutePath);

    const memory = await load(cwd, { DB_DATABASE: ":memory:" });
    assert.deepEqual(defined(memory.connection), { driver: "sqlite", database: ":memory:" });
  });
});

describe("environment variables", () => {
  for (const [value, driver] of [
    ["sqlite", "sqlite"],
    ["postgres", "postgres"],
    ["pgsql", "postgres"],
    ["postgresql", "postgres"],
    ["PgSQL", "postgres"],
    ["mysql", "mysql"],
    ["mariadb", "mysql"],
  ] as const) {
    test(`DB_CONNECTION=${value} → ${driver}`, async () => {
      const config = await load(tempDir(), { DB_CONNECTION: value, DB_DATABASE: driver === "sqlite" ? ":memory:" : "app" });
      assert.equal(config.connection.driver, driver);
    });
  }

  test("DB_DRIVER is an alias of DB_CONNECTION", async () => {
    const config = await load(tempDir(), { DB_DRIVER: "mariadb", DB_DATABASE: "app" });
    assert.equal(config.connection.driver, "mysql");
  });

  test("DB_CONNECTION wins over DB_DRIVER", async () => {
    const config = await load(tempDir(), { DB_CONNECTION: "pgsql", DB_DRIVER: "mysql", DB_DATABASE: "app" });
    assert.equal(config.connection.driver, "postgres");
  });

  test("DB_HOST, DB_PORT, DB_DATABASE, DB_USERNAME, DB_PASSWORD", async () => {
    const config = await load(tempDir(), {
      DB_CONNECTION: "pgsql",
      DB_HOST: "db.internal",
      DB_PORT: "5433",
      DB_DATABASE: "shop",
      DB_USERNAME: "shopper",
      DB_PASSWORD: "s3cret",
    });
    assert.deepEqual(defined(config.connection), {
      driver: "postgres",
      host: "db.internal",
      port: 5433,
      database: "shop",
      username: "shopper",
      password: "s3cret",
    });
  });

  test("DB_USER is an alias of DB_USERNAME; DB_USERNAME wins", async () => {
    const alias = await load(tempDir(), { DB_CONNECTION: "mysql", DB_USER: "root", DB_DATABASE: "app" });
    assert.equal(alias.connection.username, "root");
    const both = await load(tempDir(), { DB_CONNECTION: "mysql", DB_USER: "root", DB_USERNAME: "app_user", DB_DATABASE: "app" });
    assert.equal(both.connection.username, "app_user");
  });

  test("an empty DB_PASSWORD is kept as an empty password", async () => {
    const config = await load(tempDir(), { DB_CONNECTION: "mysql", DB_DATABASE: "app", DB_PASSWORD: "" });
    assert.equal(config.connection.password, "");
  });

  for (const port of ["abc", "54x", "0", "70000", "-1", "5432.5"]) {
    test(`DB_PORT "${port}" is a ConfigError naming DB_PORT`, async () => {
      await rejectsConfig(load(tempDir(), { DB_CONNECTION: "pgsql", DB_PORT: port }), [/DB_PORT/]);
    });
  }

  test("unknown driver in DB_CONNECTION is a ConfigError naming it", async () => {
    await rejectsConfig(load(tempDir(), { DB_CONNECTION: "oracle" }), [/oracle/, /DB_CONNECTION/]);
  });

  test("unknown driver in DB_DRIVER is a ConfigError naming DB_DRIVER", async () => {
    await rejectsConfig(load(tempDir(), { DB_DRIVER: "mssql" }), [/mssql/, /DB_DRIVER/]);
  });

  test("unknown --connection without a config file is a ConfigError naming it", async () => {
    await rejectsConfig(load(tempDir(), {}, { connection: "reporting" }), [/reporting/, /--connection/]);
  });

  test("--connection with a driver name and no config file uses that driver and the environment", async () => {
    const config = await load(tempDir(), { DB_HOST: "h", DB_DATABASE: "d" }, { connection: "pgsql" });
    assert.equal(config.connection.driver, "postgres");
    assert.equal(config.connection.host, "h");
  });

  test("MIGRATIONS_TABLE names the tracking table", async () => {
    const config = await load(tempDir(), { MIGRATIONS_TABLE: "schema_versions" });
    assert.equal(config.migrationsTable, "schema_versions");
  });

  test("flags.path sets the migrations folder, relative to cwd or absolute", async () => {
    const cwd = tempDir();
    assert.equal((await load(cwd, {}, { path: "src/migrations" })).migrationsPath, join(cwd, "src", "migrations"));
    const absolute = join(tempDir(), "migs");
    assert.equal((await load(cwd, {}, { path: absolute })).migrationsPath, absolute);
  });

  test("loadConfig reads the env it is given, not process.env", async () => {
    const saved = process.env.DB_CONNECTION;
    process.env.DB_CONNECTION = "pgsql";
    try {
      const config = await load(tempDir(), {});
      assert.equal(config.connection.driver, "sqlite");
    } finally {
      if (saved === undefined) delete process.env.DB_CONNECTION;
      else process.env.DB_CONNECTION = saved;
    }
  });
});

describe("DATABASE_URL", () => {
  test("postgres URL with every part and a URL-encoded password", async () => {
    const config = await load(tempDir(), { DATABASE_URL: "postgres://app:p%40ss%2Fw%3Ard@db.example.com:5433/appdb" });
    assert.deepEqual(defined(config.connection), {
      driver: "postgres",
      host: "db.example.com",
      port: 5433,
      database: "appdb",
      username: "app",
      password: "p@ss/w:rd",
    });
  });

  test("postgresql:// scheme alias", async () => {
    const config = await load(tempDir(), { DATABASE_URL: "postgresql://u@h/d" });
    assert.deepEqual(defined(config.connection), { driver: "postgres", host: "h", database: "d", username: "u" });
  });

  test("mysql URL without a port", async () => {
    const config = await load(tempDir(), { DATABASE_URL: "mysql://root:secret@127.0.0.1/shop" });
    assert.deepEqual(defined(config.connection), {
      driver: "mysql",
      host: "127.0.0.1",
      database: "shop",
      username: "root",
      password: "secret",
    });
  });

  test("mariadb:// scheme alias", async () => {
    const config = await load(tempDir(), { DATABASE_URL: "mariadb://root@localhost:3307/app" });
    assert.equal(config.connection.driver, "mysql");
    assert.equal(config.connection.port, 3307);
  });

  test("DB_URL is an alias of DATABASE_URL", async () => {
    const config = await load(tempDir(), { DB_URL: "mysql://root@localhost/app" });
    assert.equal(config.connection.driver, "mysql");
    assert.equal(config.connection.host, "localhost");
  });

  test("the URL's parts override DB_HOST and friends", async () => {
    const config = await load(tempDir(), {
      DB_CONNECTION: "mysql",
      DB_HOST: "ignored",
      DATABASE_URL: "postgres://u@urlhost/urldb",
    });
    assert.equal(config.connection.driver, "postgres");
    assert.equal(config.connection.host, "urlhost");
    assert.equal(config.connection.database, "urldb");
  });

  test("sqlite: relative path resolves against cwd", async () => {
    const cwd = tempDir();
    const config = await load(cwd, { DATABASE_URL: "sqlite:storage/app.sqlite" });
    assert.deepEqual(defined(config.connection), { driver: "sqlite", database: join(cwd, "storage", "app.sqlite") });
    assert.equal(existsSync(join(cwd, "storage")), false, "loading the configuration creates nothing (the driver makes the folder when it opens the file)");
  });

  test("sqlite: absolute path, in both spellings", async () => {
    const file = join(tempDir(), "abs.sqlite");
    const single = await load(tempDir(), { DATABASE_URL: `sqlite:${file}` });
    assert.equal(single.connection.database, file);
    const triple = await load(tempDir(), { DATABASE_URL: `sqlite://${file}` });
    assert.equal(triple.connection.database, file);
  });

  test("sqlite::memory:", async () => {
    const config = await load(tempDir(), { DATABASE_URL: "sqlite::memory:" });
    assert.deepEqual(defined(config.connection), { driver: "sqlite", database: ":memory:" });
  });

  for (const url of [
    "postgres://admin:Hunter2Secret@db.example.com:notaport/app",
    "postgres://admin:Hunter2Secret@/app",
    "mysql://admin:Hunter2Secret@[::1/app",
  ]) {
    test(`malformed URL ${redact(url)}: ConfigError naming DATABASE_URL without the password`, async () => {
      await rejectsConfig(load(tempDir(), { DATABASE_URL: url }), [/DATABASE_URL/], [/Hunter2Secret/]);
    });
  }

  test("malformed URL whose password holds an unencoded '/' does not echo the password", async () => {
    // new URL() fails (the authority ends at the '/'), and the error message must still redact.
    await rejectsConfig(
      load(tempDir(), { DATABASE_URL: "mysql://root:Hunter2/Secret@localhost/app" }),
      [/DATABASE_URL/],
      [/Hunter2/, /Secret/],
    );
  });

  test("malformed URL whose password holds an unencoded '@' does not echo any part of the password", async () => {
    // No host after the last '@', so new URL() fails; the redaction must cover up to the last '@'.
    await rejectsConfig(
      load(tempDir(), { DATABASE_URL: "postgres://admin:Hunter2@Secret@/app" }),
      [/DATABASE_URL/],
      [/Hunter2/, /Secret/],
    );
  });

  test("a URL with an unknown scheme is a ConfigError", async () => {
    await rejectsConfig(load(tempDir(), { DATABASE_URL: "oracle://u:p@h/d" }), [/DATABASE_URL/, /oracle/]);
  });

  test("not a URL at all is a ConfigError naming DATABASE_URL", async () => {
    await rejectsConfig(load(tempDir(), { DATABASE_URL: "just some words" }), [/DATABASE_URL/]);
  });

  test("sqlite: with no path is a ConfigError", async () => {
    await rejectsConfig(load(tempDir(), { DATABASE_URL: "sqlite:" }), [/DATABASE_URL/]);
  });

  test("parseDatabaseUrl and redact directly", () => {
    assert.deepEqual(parseDatabaseUrl("pgsql://a:b@h:1/d", "X"), {
      driver: "postgres",
      host: "h",
      port: 1,
      database: "d",
      username: "a",
      password: "b",
    });
    assert.deepEqual(parseDatabaseUrl("postgres://u@[::1]:5432/d", "X"), { driver: "postgres", host: "::1", port: 5432, database: "d", username: "u" });
    assert.equal(redact("postgres://user:secret@host/db"), "postgres://user:***@host/db");
    assert.equal(redact("postgres://user@host/db"), "postgres://user@host/db");
  });
});

describe("driver aliases", () => {
  test("driverFromAlias maps every alias, case-insensitively", () => {
    assert.equal(driverFromAlias("sqlite", "X"), "sqlite");
    assert.equal(driverFromAlias("postgres", "X"), "postgres");
    assert.equal(driverFromAlias("postgresql", "X"), "postgres");
    assert.equal(driverFromAlias("pgsql", "X"), "postgres");
    assert.equal(driverFromAlias("mysql", "X"), "mysql");
    assert.equal(driverFromAlias("MariaDB", "X"), "mysql");
  });

  test("an unknown driver is a ConfigError naming the setting and the value", () => {
    assert.throws(
      () => driverFromAlias("oracle", "SOME_SETTING"),
      (error: unknown) => error instanceof ConfigError && /SOME_SETTING/.test(error.message) && /oracle/.test(error.message),
    );
  });

  test("isDriverAlias", () => {
    assert.equal(isDriverAlias("pgsql"), true);
    assert.equal(isDriverAlias("MYSQL"), true);
    assert.equal(isDriverAlias("primary"), false);
  });
});

describe(".env", () => {
  test(".env in the working folder is read", async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, ".env"), "DB_CONNECTION=pgsql\nDB_HOST=from-dotenv\nDB_DATABASE=dotdb\nMIGRATIONS_TABLE=dot_migrations\n");
    const config = await load(cwd, {});
    assert.equal(config.connection.driver, "postgres");
    assert.equal(config.connection.host, "from-dotenv");
    assert.equal(config.connection.database, "dotdb");
    assert.equal(config.migrationsTable, "dot_migrations");
  });

  test("the environment overrides .env", async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, ".env"), "DB_CONNECTION=pgsql\nDB_HOST=from-dotenv\nDB_PORT=1111\n");
    const config = await load(cwd, { DB_HOST: "from-env", DB_CONNECTION: "mysql", DB_DATABASE: "app" });
    assert.equal(config.connection.driver, "mysql");
    assert.equal(config.connection.host, "from-env");
    assert.equal(config.connection.port, 1111);
  });

  test("a bad DB_PORT in .env is a ConfigError naming DB_PORT", async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, ".env"), "DB_CONNECTION=pgsql\nDB_PORT=abc\n");
    await rejectsConfig(load(cwd, {}), [/DB_PORT/]);
  });
});

describe("mortar.config file", () => {
  test("the default connection, migrations path and table come from the file", async () => {
    const cwd = projectWithConfig();
    const config = await load(cwd);
    assert.equal(config.connectionName, "primary");
    assert.deepEqual(defined(config.connection), { driver: "sqlite", database: join(cwd, "db", "primary.sqlite") });
    assert.equal(existsSync(join(cwd, "db")), false, "loading the configuration creates nothing (the driver makes the folder when it opens the file)");
    assert.equal(config.migrationsPath, join(cwd, "db", "m"));
    assert.equal(config.migrationsTable, "schema_log");
    assert.equal(config.configFile, "mortar.config.mjs");
  });

  test("--connection other selects a named connection (driver alias resolved)", async () => {
    const cwd = projectWithConfig();
    const config = await load(cwd, {}, { connection: "other" });
    assert.equal(config.connectionName, "other");
    assert.deepEqual(defined(config.connection), {
      driver: "postgres",
      host: "other.example.com",
      port: 6543,
      database: "otherdb",
      username: "olga",
      password: "pw",
    });
  });

  test("DB_CONNECTION naming a configured connection selects it", async () => {
    const cwd = projectWithConfig();
    const config = await load(cwd, { DB_CONNECTION: "other" });
    assert.equal(config.connectionName, "other");
    assert.equal(config.connection.driver, "postgres");
  });

  test("unknown --connection: ConfigError listing the configured names", async () => {
    const cwd = projectWithConfig();
    await rejectsConfig(load(cwd, {}, { connection: "nope" }), [/nope/, /primary/, /other/]);
  });

  test("--connection wins over DB_CONNECTION", async () => {
    const cwd = projectWithConfig();
    const config = await load(cwd, { DB_CONNECTION: "other" }, { connection: "primary" });
    assert.equal(config.connectionName, "primary");
    assert.equal(config.connection.driver, "sqlite");
  });

  test("flags.path overrides the config file's path", async () => {
    const cwd = projectWithConfig();
    const config = await load(cwd, {}, { path: "elsewhere" });
    assert.equal(config.migrationsPath, join(cwd, "elsewhere"));
  });

  test("MIGRATIONS_TABLE overrides the config file's table", async () => {
    const cwd = projectWithConfig();
    const config = await load(cwd, { MIGRATIONS_TABLE: "from_env" });
    assert.equal(config.migrationsTable, "from_env");
  });

  test("the environment overrides the default connection's settings", async () => {
    const cwd = projectWithConfig();
    const config = await load(cwd, { DB_DATABASE: "override.sqlite" });
    assert.equal(config.connection.database, join(cwd, "override.sqlite"));
  });

  test("connectionNamed() resolves another configured connection", async () => {
    const cwd = projectWithConfig();
    const config = await load(cwd);
    assert.deepEqual(defined(config.connectionNamed("other")), {
      driver: "postgres",
      host: "other.example.com",
      port: 6543,
      database: "otherdb",
      username: "olga",
      password: "pw",
    });
    assert.deepEqual(defined(config.connectionNamed("primary")), { driver: "sqlite", database: join(cwd, "db", "primary.sqlite") });
  });

  test("connectionNamed() of an unknown name is a ConfigError listing the configured names", async () => {
    const cwd = projectWithConfig();
    const config = await load(cwd);
    assert.throws(
      () => config.connectionNamed("ghost"),
      (error: unknown) =>
        error instanceof ConfigError && /ghost/.test(error.message) && /primary/.test(error.message) && /other/.test(error.message),
    );
  });

  test("a connection given by url in the config file", async () => {
    const cwd = projectWithConfig(
      `export default { connections: { main: { url: "mysql://u:p%21@dbhost:3307/maindb" } } };\n`,
    );
    const config = await load(cwd);
    assert.equal(config.connectionName, "main");
    assert.deepEqual(defined(config.connection), {
      driver: "mysql",
      host: "dbhost",
      port: 3307,
      database: "maindb",
      username: "u",
      password: "p!",
    });
  });

  test("a default that is not among the connections is a ConfigError", async () => {
    const cwd = projectWithConfig(`export default { default: "missing", connections: { a: { driver: "sqlite" } } };\n`);
    await rejectsConfig(load(cwd), [/missing/, /mortar\.config\.mjs/]);
  });

  test("an unknown driver in the config file is a ConfigError", async () => {
    const cwd = projectWithConfig(`export default { connections: { main: { driver: "oracle" } } };\n`);
    await rejectsConfig(load(cwd), [/oracle/]);
  });

  test("a config file that throws: ConfigError naming the file", async () => {
    const cwd = projectWithConfig(`throw new Error("config exploded");\nexport default {};\n`);
    await rejectsConfig(load(cwd), [/mortar\.config\.mjs/]);
  });

  test("a config file without a default export: ConfigError naming the file", async () => {
    const cwd = projectWithConfig(`export const notDefault = 1;\n`);
    await rejectsConfig(load(cwd), [/mortar\.config\.mjs/]);
  });

  test("--config pointing to a missing file: ConfigError", async () => {
    const cwd = tempDir();
    await rejectsConfig(load(cwd, {}, { config: "conf/nothere.mjs" }), [/nothere\.mjs/]);
  });

  test("--config pointing to a file elsewhere is used", async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, "conf"));
    writeFileSync(join(cwd, "conf", "custom.mjs"), `export default { migrations: { table: "custom_log" } };\n`);
    const config = await load(cwd, {}, { config: "conf/custom.mjs" });
    assert.equal(config.migrationsTable, "custom_log");
    assert.equal(config.configFile, join("conf", "custom.mjs"));
    assert.equal(config.connection.driver, "sqlite");
  });

  test("mortar.config.ts with type annotations loads", async () => {
    const cwd = projectWithConfig(
      `interface Settings { driver: string; host?: string; database: string }
const connections: Record<string, Settings> = {
  primary: { driver: "postgresql", host: "ts.example.com", database: "tsdb" },
};
const config: { default: string; connections: Record<string, Settings>; migrations: { table: string } } = {
  default: "primary",
  connections,
  migrations: { table: "ts_migrations" },
};
export default config;
`,
      "mortar.config.ts",
    );
    const config = await load(cwd);
    assert.equal(config.configFile, "mortar.config.ts");
    assert.equal(config.connectionName, "primary");
    assert.deepEqual(defined(config.connection), { driver: "postgres", host: "ts.example.com", database: "tsdb" });
    assert.equal(config.migrationsTable, "ts_migrations");
  });
});
