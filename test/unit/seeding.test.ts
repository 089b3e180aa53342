import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, test } from "node:test";
import { loadConfig } from "../../src/config/load-config.js";
import { UsageError } from "../../src/errors.js";
import { isSeederClass, Seeder } from "../../src/seeding/seeder.js";
import { createSeeder } from "../../src/seeding/seeder-creator.js";
import { assertSeederName, locateSeeder } from "../../src/seeding/seeder-file.js";
import { tempDirMaker } from "../support/temp-dirs.js";

const tempDir = tempDirMaker("mortar-seeding-");

function folder(type?: "module" | "commonjs"): string {
  const dir = tempDir();
  if (type) writeFileSync(join(dir, "package.json"), JSON.stringify({ type }));
  return join(dir, "databases", "seeders");
}

describe("createSeeder", () => {
  test("writes NAME.ts in the folder (created) with a class of that name extending Seeder", () => {
    const path = folder();
    const file = createSeeder("UserSeeder", { path });
    assert.equal(file, join(path, "UserSeeder.ts"));
    const text = readFileSync(file, "utf8");
    assert.match(text, /^import \{ Seeder \} from "mortar";\n\nexport default class UserSeeder extends Seeder \{\n  async run\(\) \{\n/);
  });

  test("--js follows the nearest package.json: ESM syntax in a module package, require() in CommonJS", () => {
    const esm = readFileSync(createSeeder("A", { path: folder("module"), javascript: true }), "utf8");
    assert.match(esm, /^import \{ Seeder \} from "mortar";[\s\S]*export default class A extends Seeder/);
    const cjsFile = createSeeder("B", { path: folder("commonjs"), javascript: true });
    assert.equal(basename(cjsFile), "B.js");
    assert.match(readFileSync(cjsFile, "utf8"), /^const \{ Seeder \} = require\("mortar"\);[\s\S]*module\.exports = class B extends Seeder/);
  });

  test("refuses a name already taken in any extension, and leaves the file alone", () => {
    const path = folder();
    createSeeder("UserSeeder", { path, javascript: true });
    assert.throws(() => createSeeder("UserSeeder", { path }), (e: unknown) => e instanceof UsageError && /already exists: .*UserSeeder\.js/.test(e.message));
  });

  test("refuses names that are not class names, and an empty one", () => {
    for (const bad of ["../Evil", "user-seeder", "1Seeder", "a.b", "Sub/UserSeeder"]) {
      assert.throws(() => createSeeder(bad, { path: folder() }), (e: unknown) => e instanceof UsageError && e.message.includes(`"${bad}"`), bad);
    }
    assert.throws(() => createSeeder("", { path: folder() }), /needs a name/);
  });
});

describe("locateSeeder", () => {
  test("prefers TypeScript when NAME.ts and a compiled NAME.js sit side by side", () => {
    const path = folder();
    createSeeder("UserSeeder", { path, javascript: true });
    writeFileSync(join(path, "UserSeeder.ts"), "");
    assert.equal(locateSeeder(path, "UserSeeder"), join(path, "UserSeeder.ts"));
  });

  test("finds .mjs/.cjs too", () => {
    const path = folder();
    createSeeder("X", { path });
    const other = join(path, "Y.cjs");
    writeFileSync(other, "");
    assert.equal(locateSeeder(path, "Y"), other);
  });

  test("a missing seeder is a UsageError naming the file pattern looked for", () => {
    const path = folder();
    assert.throws(
      () => locateSeeder(path, "DatabaseSeeder"),
      (e: unknown) => e instanceof UsageError && /seeder DatabaseSeeder not found: looked for .*DatabaseSeeder\.\{ts,mts,cts,js,mjs,cjs\}/.test(e.message),
    );
  });

  test("a path in place of a name is refused before touching the disk", () => {
    assert.throws(() => assertSeederName("../../etc/passwd", "--class"), /--class "..\/..\/etc\/passwd" is not a seeder class name/);
  });
});

describe("Seeder", () => {
  class Lonely extends Seeder {
    async run() {}
  }

  test("is recognised by its brand; other classes are not", () => {
    assert.equal(isSeederClass(Lonely), true);
    assert.equal(isSeederClass(class {}), false);
    assert.equal(isSeederClass(undefined), false);
  });

  test("an unbound seeder says how to run it instead of failing on undefined", () => {
    assert.throws(() => new Lonely().db, /not bound to a connection: run it with `mortar db:seed`/);
    assert.throws(() => new Lonely().schema, /not bound/);
  });
});

describe("seeders.path", () => {
  test("defaults to databases/seeders; the config file's seeders.path moves it; --path (migrations) does not", async () => {
    const cwd = tempDir();
    assert.equal((await loadConfig({ cwd, env: {} })).seedersPath, join(cwd, "databases", "seeders"));
    writeFileSync(join(cwd, "mortar.config.mjs"), 'export default { seeders: { path: "db/seeds" } };\n');
    const config = await loadConfig({ cwd, env: {}, flags: { path: "db/migrations" } });
    assert.equal(config.seedersPath, join(cwd, "db", "seeds"));
    assert.equal(config.migrationsPath, join(cwd, "db", "migrations"));
  });
});
