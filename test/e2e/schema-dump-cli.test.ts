import assert from "node:assert/strict";
import { cpSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createTestDatabase, DIALECTS, tablesOf, type TestDatabase } from "../support/databases.js";
import { createProject, REPO_ROOT, type TempProject } from "../support/project.js";

/** Only node's own folder on PATH: no pg_dump, mysqldump or sqlite3 to fall back on. */
const NODE_ONLY_PATH = { PATH: dirname(process.execPath) };
const FIXTURE = join(REPO_ROOT, "test", "fixtures", "schema-project");
const FIXTURE_COUNT = readdirSync(FIXTURE).filter((f) => f.endsWith(".ts")).length;
const DUMP = "databases/schema/default-schema.sql";

const NEWER = `import { Migration } from "mortar";
export default class AddBioToAuthors extends Migration {
  async up() { await this.schema.table("authors", (t) => { t.text("bio").nullable(); }); }
  async down() { await this.schema.table("authors", (t) => { t.dropColumn("bio"); }); }
}
`;

for (const dialect of DIALECTS) {
  describe(`schema:dump, schema:load and migrate from a dump on ${dialect}`, () => {
    let project: TempProject;
    const databases: TestDatabase[] = [];
    const fresh = async () => {
      const database = await createTestDatabase(dialect);
      databases.push(database);
      return database;
    };
    const mortar = (database: TestDatabase, args: string[]) => project.mortar(args, { ...database.env, ...NODE_ONLY_PATH });
    let source: TestDatabase;

    before(async () => {
      project = createProject("module");
      cpSync(FIXTURE, join(project.dir, "databases", "migrations"), { recursive: true });
      source = await fresh();
      const migrated = await mortar(source, ["migrate"]);
      assert.equal(migrated.code, 0, migrated.stderr + migrated.stdout);
    });

    after(async () => {
      for (const database of databases) await database.drop();
      project?.cleanup();
    });

    test("schema:dump writes databases/schema/<connection>-schema.sql, the same bytes every time", async () => {
      const first = await mortar(source, ["schema:dump"]);
      assert.equal(first.code, 0, first.stderr + first.stdout);
      assert.match(first.stdout, new RegExp(`Schema dumped to ${DUMP} \\(${FIXTURE_COUNT} migrations covered\\)`));
      const bytes = readFileSync(join(project.dir, DUMP));
      const second = await mortar(source, ["schema:dump", "--json"]);
      assert.equal(second.code, 0, second.stderr);
      assert.deepEqual(JSON.parse(second.stdout), { path: DUMP, migrations: FIXTURE_COUNT, pruned: [], warnings: [] });
      assert.ok(readFileSync(join(project.dir, DUMP)).equals(bytes));
    });

    test("migrate --pretend on an empty database prints the dump and only the newer migration, changing nothing", async () => {
      project.write("databases/migrations/2025_02_01_000000_add_bio_to_authors.ts", NEWER);
      const target = await fresh();
      const run = await mortar(target, ["migrate", "--pretend"]);
      assert.equal(run.code, 0, run.stderr + run.stdout);
      assert.match(run.stdout, new RegExp(`schema dump ${DUMP}`));
      assert.match(run.stdout, /2025_02_01_000000_add_bio_to_authors/);
      assert.doesNotMatch(run.stdout, /2025_01_01_000100_create_authors_table\n/);
      assert.deepEqual(await tablesOf(target.config), []);
    });

    test("migrate on an empty database loads the dump, then runs only the newer migration", async () => {
      const target = await fresh();
      const run = await mortar(target, ["migrate", "--json"]);
      assert.equal(run.code, 0, run.stderr + run.stdout);
      const doc = JSON.parse(run.stdout) as { loadedSchema: string; migrations: { name: string; status: string }[] };
      assert.equal(doc.loadedSchema, DUMP);
      assert.deepEqual(doc.migrations.map((m) => [m.name, m.status]), [["2025_02_01_000000_add_bio_to_authors", "ran"]]);
      const status = JSON.parse((await mortar(target, ["migrate:status", "--json"])).stdout) as { migrations: { status: string }[] };
      assert.equal(status.migrations.length, FIXTURE_COUNT + 1);
      assert.ok(status.migrations.every((m) => m.status === "ran"), JSON.stringify(status));
      // Text output names the dump.
      const other = await fresh();
      const text = await mortar(other, ["migrate"]);
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, new RegExp(`Loaded schema dump ${DUMP}`));
    });

    test("schema:load loads the dump alone, and refuses a database that is not empty", async () => {
      const target = await fresh();
      const load = await mortar(target, ["schema:load"]);
      assert.equal(load.code, 0, load.stderr + load.stdout);
      assert.match(load.stdout, new RegExp(`Loaded schema dump ${DUMP}`));
      assert.ok((await tablesOf(target.config)).includes("articles"));
      const again = await mortar(target, ["schema:load"]);
      assert.equal(again.code, 2);
      assert.match(again.stderr + again.stdout, /needs an empty database/);
    });

    test("schema:dump --prune --force deletes the migration files the dump covers and keeps newer ones", async () => {
      const run = await mortar(source, ["schema:dump", "--prune", "--force"]);
      assert.equal(run.code, 0, run.stderr + run.stdout);
      assert.match(run.stdout, new RegExp(`Pruned ${FIXTURE_COUNT} migration files`));
      assert.deepEqual(readdirSync(join(project.dir, "databases", "migrations")), ["2025_02_01_000000_add_bio_to_authors.ts"]);
      assert.ok(existsSync(join(project.dir, DUMP)));
      const target = await fresh();
      const migrate = await mortar(target, ["migrate", "--json"]);
      assert.equal(migrate.code, 0, migrate.stderr + migrate.stdout);
      const doc = JSON.parse(migrate.stdout) as { migrations: unknown[]; warnings: string[] };
      assert.equal(doc.migrations.length, 1);
      // Squashed into the dump, not missing: no warning, and validate passes.
      assert.deepEqual(doc.warnings, []);
      const validate = await mortar(target, ["migrate:validate"]);
      assert.equal(validate.code, 0, validate.stdout + validate.stderr);
    });

    test("schema:dump --prune in production refuses without --force", async () => {
      const run = await project.mortar(["schema:dump", "--prune"], { ...source.env, ...NODE_ONLY_PATH, NODE_ENV: "production" });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /production/);
    });
  });
}
