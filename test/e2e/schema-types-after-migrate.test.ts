import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { CODEGEN_MIGRATION } from "../support/codegen-schema.js";
import { createTestDatabase } from "../support/databases.js";
import { createProject } from "../support/project.js";

/**
 * Config `types: { out, json }`: a successful, real `migrate` writes the types file
 * again; a pretended one and a failed one leave it; an unchanged schema leaves the file
 * untouched. The hook is the same on every dialect, so SQLite alone runs it.
 */

const ADD_COLUMN = `import { Migration } from "mortar";
export default class AddSubtitle extends Migration {
  async up() { await using t = await this.schema.table("posts"); t.string("subtitle").nullable(); }
  async down() { await using t = await this.schema.table("posts"); t.dropColumn("subtitle"); }
}
`;

const ADD_OTHER = ADD_COLUMN.replaceAll("subtitle", "teaser").replace("AddSubtitle", "AddTeaser");

const FAILING = `import { Migration } from "mortar";
export default class Broken extends Migration {
  async up() { await using t = await this.schema.table("posts"); t.string("lede").nullable(); await this.db.execute("select * from no_such_table"); }
  async down() {}
}
`;

test("types.out is rewritten after each real migrate, and only then", async () => {
  const database = await createTestDatabase("sqlite");
  const project = createProject("module");
  try {
    project.write("mortar.config.mjs", `export default { types: { out: "src/db/types.ts", json: "JsonValue" } };\n`);
    project.write("databases/migrations/2026_01_01_000000_create_codegen_tables.ts", CODEGEN_MIGRATION);
    const file = join(project.dir, "src", "db", "types.ts");

    const first = await project.mortar(["migrate"], database.env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Types written to src\/db\/types\.ts/);
    const written = readFileSync(file, "utf8");
    // SQLite keeps JSON as text, so the JSON setting changes nothing here (unit-tested elsewhere).
    assert.match(written, /^  settings: string \| null;$/m);
    assert.match(written, /^export interface Posts \{$/m);

    // Nothing to migrate: the file is not rewritten (same bytes, same mtime) and nothing is said.
    const mtime = statSync(file).mtimeMs;
    const again = await project.mortar(["migrate"], database.env);
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /Types/);
    assert.equal(statSync(file).mtimeMs, mtime);

    project.write("databases/migrations/2026_01_02_000000_add_subtitle.ts", ADD_COLUMN);
    const json = await project.mortar(["migrate", "--json"], database.env);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(JSON.parse(json.stdout).types, file, "the --json document names the file written");
    assert.match(readFileSync(file, "utf8"), /^  subtitle: string \| null;$/m);

    project.write("databases/migrations/2026_01_03_000000_add_teaser.ts", ADD_OTHER);
    const pretend = await project.mortar(["migrate", "--pretend"], database.env);
    assert.equal(pretend.code, 0, pretend.stderr);
    assert.doesNotMatch(readFileSync(file, "utf8"), /teaser/, "--pretend changes nothing, the types file included");
    project.remove("databases/migrations/2026_01_03_000000_add_teaser.ts");

    project.write("databases/migrations/2026_01_04_000000_broken.ts", FAILING);
    const failed = await project.mortar(["migrate"], database.env);
    assert.equal(failed.code, 1);
    assert.doesNotMatch(failed.stdout, /Types written/);
    assert.doesNotMatch(readFileSync(file, "utf8"), /lede/);
  } finally {
    project.cleanup();
    await database.drop();
  }
});

test("schema:types without --out writes types.out; a bad types setting is a configuration error (exit 2)", async () => {
  const database = await createTestDatabase("sqlite");
  const project = createProject("module");
  try {
    project.write("databases/migrations/2026_01_01_000000_create_codegen_tables.ts", CODEGEN_MIGRATION);
    assert.equal((await project.mortar(["migrate"], database.env)).code, 0);
    project.write("mortar.config.mjs", `export default { types: { out: "types/db.ts" } };\n`);
    const run = await project.mortar(["schema:types"], database.env);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(existsSync(join(project.dir, "types", "db.ts")));
    const stdout = await project.mortar(["schema:types", "--out", "-"], database.env);
    assert.equal(stdout.stdout, readFileSync(join(project.dir, "types", "db.ts"), "utf8"), "--out - prints the same module");

    project.write("mortar.config.mjs", `export default { types: { out: 5 } };\n`);
    const bad = await project.mortar(["schema:types"], database.env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /types\.out must be a non-empty string/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /, "no stack trace without --verbose");
  } finally {
    project.cleanup();
    await database.drop();
  }
});
