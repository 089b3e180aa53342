import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../support/databases.js";
import { createProject, type TempProject } from "../support/project.js";

// Spec §3: after()/first() where PostgreSQL cannot place a column are ignored with a
// warning, as Laravel does; the warning reaches the text output and every --json document.

const DIR = "databases/migrations";
const NAME = "2026_06_01_000001_create_people_table";
const MESSAGE = 'postgres ignores after("id") on column "title" of table "people": PostgreSQL always appends columns';

const MIGRATION = `import { Migration } from "mortar";
export default class extends Migration {
  async up() {
    await this.schema.create("people", (t) => { t.id(); t.string("name"); });
    await this.schema.table("people", (t) => { t.string("title").nullable().after("id"); });
  }
  async down() { await this.schema.drop("people"); }
}
`;

describe("after() on postgres through the binary", { skip: !DIALECTS.includes("postgres") }, () => {
  let database: TestDatabase;
  let project: TempProject;
  const mortar = (...args: string[]) => project.mortar(args, database.env);

  before(async () => {
    database = await createTestDatabase("postgres");
    project = createProject("module");
    project.write(`${DIR}/${NAME}.ts`, MIGRATION);
  });

  after(async () => {
    project?.cleanup();
    await database?.drop();
  });

  test("migrate prints the warning and succeeds; --json documents carry it", async () => {
    const text = await mortar("migrate");
    assert.equal(text.code, 0, text.stderr);
    assert.ok(text.stderr.includes(`WARN  ${NAME}: ${MESSAGE}`), text.stderr);
    for (const command of ["migrate:refresh", "migrate:fresh"]) {
      const run = await mortar(command, "--json");
      assert.equal(run.code, 0, run.stderr);
      const document = JSON.parse(run.stdout.trim()) as { warnings: string[] };
      assert.deepEqual(document.warnings, [`${NAME}: ${MESSAGE}`], command);
    }
  });
});
