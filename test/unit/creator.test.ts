import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "../../src/errors.js";
import { createMigration } from "../../src/migration/creator.js";
import { loadMigration } from "../../src/migration/loader.js";
import { isMigrationClass } from "../../src/migration/migration.js";
import { tempDirMaker } from "../support/temp-dirs.js";

// A time zone far from UTC, so a file name built from local time would show.
process.env.TZ = "Pacific/Kiritimati";

const tempDir = tempDirMaker("mortar-creator-");

/** 2026-03-04 05:06:07 UTC (16:06:07 on 2026-03-04 in Kiritimati, UTC+14). */
const NOW = new Date(Date.UTC(2026, 2, 4, 5, 6, 7));
/** 2025-12-31 23:59:58 UTC — already 2026-01-01 in Kiritimati. */
const NEW_YEARS_EVE = new Date(Date.UTC(2025, 11, 31, 23, 59, 58));

const FILE_NAME = /^\d{4}_\d{2}_\d{2}_\d{6}_[a-z0-9_]+\.ts$/;

/** The compiled Mortar entry point, for rewriting `from "mortar"` in generated files. */
const MORTAR_ENTRY = new URL("../../src/index.js", import.meta.url).href;

async function make(
  name: string,
  options: { create?: string; table?: string; now?: Date; path?: string; extension?: "ts" | "js"; stubsPath?: string } = {},
) {
  const path = options.path ?? join(tempDir(), "databases", "migrations");
  const file = await createMigration(name, { path, now: NOW, ...options });
  return { file, path, text: readFileSync(file, "utf8") };
}

function upBody(text: string): string {
  return /async up\(\) \{([\s\S]*?)\n  \}/.exec(text)?.[1] ?? "";
}

function downBody(text: string): string {
  return /async down\(\) \{([\s\S]*?)\n  \}/.exec(text)?.[1] ?? "";
}

describe("createMigration", () => {
  test("file name is YYYY_MM_DD_HHMMSS_name.ts in UTC, in the given folder (created)", async () => {
    const { file, path } = await make("create_flights_table");
    assert.equal(dirname(file), path);
    assert.equal(basename(file), "2026_03_04_050607_create_flights_table.ts");
    assert.match(basename(file), FILE_NAME);
    assert.ok(existsSync(file));
  });

  test("UTC even when the local date is already another day", async () => {
    const { file } = await make("create_flights_table", { now: NEW_YEARS_EVE });
    assert.equal(basename(file), "2025_12_31_235958_create_flights_table.ts");
  });

  test("create stub for create_flights_table", async () => {
    const { text } = await make("create_flights_table");
    assert.match(text, /import \{ Migration \} from "mortar";/);
    assert.match(text, /export default class CreateFlightsTable extends Migration \{/);
    assert.match(upBody(text), /await this\.schema\.create\("flights", \(table\) => \{/);
    assert.match(upBody(text), /table\.id\(\);/);
    assert.match(upBody(text), /table\.timestamps\(\);/);
    assert.match(downBody(text), /await this\.schema\.dropIfExists\("flights"\);/);
    assert.doesNotMatch(text, /schema\.table\(/);
  });

  test("alter stub for add_votes_to_users_table", async () => {
    const { text } = await make("add_votes_to_users_table");
    assert.match(text, /export default class AddVotesToUsersTable extends Migration \{/);
    assert.match(upBody(text), /await this\.schema\.table\("users", \(table\) => \{/);
    assert.match(downBody(text), /await this\.schema\.table\("users", \(table\) => \{/);
    assert.doesNotMatch(text, /schema\.create\(/);
    assert.doesNotMatch(text, /schema\.drop\(/);
  });

  test("alter guess from other prepositions (from, in)", async () => {
    const { text } = await make("remove_votes_from_posts_table");
    assert.match(upBody(text), /this\.schema\.table\("posts"/);
  });

  test("--create overrides the guess", async () => {
    const { text } = await make("make_some_things", { create: "planes" });
    assert.match(upBody(text), /this\.schema\.create\("planes"/);
    assert.match(downBody(text), /this\.schema\.dropIfExists\("planes"\)/);
  });

  test("--create overrides a name that looks like an alter", async () => {
    const { text } = await make("add_votes_to_users_table", { create: "votes" });
    assert.match(upBody(text), /this\.schema\.create\("votes"/);
    assert.doesNotMatch(text, /schema\.table\(/);
  });

  test("--table overrides a name that looks like a create", async () => {
    const { text } = await make("create_flights_table", { table: "airports" });
    assert.match(upBody(text), /this\.schema\.table\("airports"/);
    assert.match(downBody(text), /this\.schema\.table\("airports"/);
    assert.doesNotMatch(text, /schema\.create\(/);
    assert.doesNotMatch(text, /schema\.drop\(/);
  });

  test("--table on a name with no guess", async () => {
    const { text } = await make("tweak_things", { table: "users" });
    assert.match(upBody(text), /this\.schema\.table\("users"/);
  });

  test("blank stub otherwise", async () => {
    const { file, text } = await make("backfill_scores");
    assert.equal(basename(file), "2026_03_04_050607_backfill_scores.ts");
    assert.match(text, /export default class BackfillScores extends Migration \{/);
    assert.doesNotMatch(text, /this\.schema\./);
    assert.match(text, /async up\(\)/);
    assert.match(text, /async down\(\)/);
  });

  test("CamelCase name converted to snake_case", async () => {
    const { file, text } = await make("CreateFlightsTable");
    assert.equal(basename(file), "2026_03_04_050607_create_flights_table.ts");
    assert.match(text, /export default class CreateFlightsTable extends Migration/);
    assert.match(upBody(text), /this\.schema\.create\("flights"/);
  });

  test("camelCase with a digit and an alter guess", async () => {
    const { file, text } = await make("addVotes2ToUsersTable");
    assert.equal(basename(file), "2026_03_04_050607_add_votes2_to_users_table.ts");
    assert.match(upBody(text), /this\.schema\.table\("users"/);
  });

  test("a name starting with a digit still gives a valid class name", async () => {
    const { file, text } = await make("2fa_setup");
    assert.equal(basename(file), "2026_03_04_050607_2fa_setup.ts");
    const className = /export default class (\w+) extends Migration/.exec(text)?.[1];
    assert.ok(className && /^[A-Za-z_$][\w$]*$/.test(className), String(className));
  });

  test("a name that already exists (with another timestamp) is a UsageError naming the file", async () => {
    const path = join(tempDir(), "migrations");
    await make("create_flights_table", { path, now: new Date(Date.UTC(2024, 0, 1, 0, 0, 0)) });
    await assert.rejects(make("create_flights_table", { path }), (error: unknown) => {
      assert.ok(error instanceof UsageError, String(error));
      assert.match((error as Error).message, /create_flights_table/);
      return true;
    });
    assert.equal(readdirSync(path).length, 1, "no second file written");
  });

  test("the clash check also sees files in sub-folders and compiled .js files", async () => {
    const path = join(tempDir(), "migrations");
    mkdirSync(join(path, "2024"), { recursive: true });
    writeFileSync(join(path, "2024", "2024_01_01_000000_create_flights_table.js"), "export default class {}\n");
    await assert.rejects(make("CreateFlightsTable", { path }), UsageError);
  });

  test("a different name in the same folder is fine", async () => {
    const path = join(tempDir(), "migrations");
    await make("create_flights_table", { path });
    const { file } = await make("create_airports_table", { path });
    assert.equal(basename(file), "2026_03_04_050607_create_airports_table.ts");
    assert.equal(readdirSync(path).length, 2);
  });

  for (const name of ["", "   "]) {
    test(`empty name ${JSON.stringify(name)} is a UsageError`, async () => {
      await assert.rejects(make(name), UsageError);
    });
  }

  for (const name of ["create users!", "drop;table", "name/with/slash", "ünïcode_name", "create.users", "a$b"]) {
    test(`invalid characters ${JSON.stringify(name)} are a UsageError`, async () => {
      const path = join(tempDir(), "migrations");
      await assert.rejects(make(name, { path }), UsageError);
      assert.equal(existsSync(path) ? readdirSync(path).length : 0, 0, "nothing written");
    });
  }

  test("the generated stub is a real Migration subclass when loaded (TypeScript, through tsx)", async () => {
    const { file, text } = await make("create_flights_table");
    assert.match(text, /export default class CreateFlightsTable extends Migration/);
    writeFileSync(file, text.replace(`from "mortar"`, `from ${JSON.stringify(fileURLToPath(MORTAR_ENTRY))}`));
    const name = basename(file).replace(/\.ts$/, "");
    const cls = (await loadMigration({ name, path: file })).migrationClass;
    assert.ok(isMigrationClass(cls));
    assert.equal(cls.name, "CreateFlightsTable");
    const instance = new cls();
    assert.equal(typeof instance.up, "function");
    assert.equal(typeof (instance as unknown as { down: unknown }).down, "function");
  });

  test("every stub kind loads as a Migration subclass", async () => {
    for (const [name, options] of [
      ["add_votes_to_users_table", {}],
      ["backfill_scores", {}],
      ["tweak", { table: "users" }],
    ] as const) {
      const { file, text } = await make(name, options);
      writeFileSync(file, text.replace(`from "mortar"`, `from ${JSON.stringify(fileURLToPath(MORTAR_ENTRY))}`));
      const cls = (await loadMigration({ name: basename(file).replace(/\.ts$/, ""), path: file })).migrationClass;
      assert.ok(isMigrationClass(cls), name);
    }
  });

  test("names without _table guess too: create_flights, add_votes_to_users", async () => {
    let { text } = await make("create_flights");
    assert.match(upBody(text), /this\.schema\.create\("flights"/);
    ({ text } = await make("add_votes_to_users"));
    assert.match(upBody(text), /this\.schema\.table\("users"/);
    ({ text } = await make("AddStatusToFlights"));
    assert.match(upBody(text), /this\.schema\.table\("flights"/);
  });

  test("a .js file in a CommonJS project (package.json without type) is CommonJS and loads", async () => {
    const root = tempDir();
    writeFileSync(join(root, "package.json"), JSON.stringify({ name: "app" }));
    const { file, text } = await make("create_flights_table", { path: join(root, "migrations"), extension: "js" });
    assert.equal(basename(file), "2026_03_04_050607_create_flights_table.js");
    assert.match(text, /^const \{ Migration \} = require\("mortar"\);/);
    assert.match(text, /^module\.exports = class CreateFlightsTable extends Migration \{/m);
    assert.doesNotMatch(text, /\bimport\b|\bexport\b/);
    writeFileSync(file, text.replace(`require("mortar")`, `require(${JSON.stringify(fileURLToPath(MORTAR_ENTRY))})`));
    // The compiled entry is an ES module; Node 20.19+ lets require() load it.
    const cls = (await loadMigration({ name: basename(file, ".js"), path: file })).migrationClass;
    assert.ok(isMigrationClass(cls));
  });

  test("a .js file in a \"type\": \"module\" project is an ES module", async () => {
    const root = tempDir();
    writeFileSync(join(root, "package.json"), JSON.stringify({ name: "app", type: "module" }));
    const { text } = await make("create_flights_table", { path: join(root, "db", "migrations"), extension: "js" });
    assert.match(text, /^import \{ Migration \} from "mortar";/);
    assert.match(text, /^export default class CreateFlightsTable extends Migration \{/m);
  });

  test("the project's own stub is used for TypeScript, with {{ class }} and {{table}} filled in", async () => {
    const root = tempDir();
    mkdirSync(join(root, "stubs"));
    writeFileSync(join(root, "stubs", "migration.create.stub"), "// custom {{ class }}\n// table={{table}}\n");
    const { text } = await make("create_flights_table", { path: join(root, "migrations"), stubsPath: join(root, "stubs") });
    assert.equal(text, "// custom CreateFlightsTable\n// table=flights\n");
    // No custom update stub there: the default.
    const update = await make("add_votes_to_users", { path: join(root, "migrations"), stubsPath: join(root, "stubs") });
    assert.match(upBody(update.text), /this\.schema\.table\("users"/);
  });

  test("a table name is escaped inside the stub's string", async () => {
    const { text } = await make("odd", { create: 'we"ird' });
    assert.ok(text.includes('this.schema.create("we\\"ird"'), text);
  });
});
