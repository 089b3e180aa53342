import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { createTestDatabase, DIALECTS, tablesOf, type TestDatabase, withConnection } from "../support/databases.js";
import { createProject, type TempProject } from "../support/project.js";

/**
 * A command that fails before its work creates nothing: no SQLite file, no folder, no
 * lock file, no tracking table, and it drops nothing (a `migrate:fresh` with a mistyped
 * --path must not empty the database before noticing).
 */

const COMMANDS: readonly (readonly string[])[] = [
  ["migrate:status"],
  ["migrate:status", "--json"],
  ["migrate"],
  ["migrate:rollback"],
  ["migrate:reset"],
  ["migrate:refresh"],
  ["migrate:fresh"],
  ["migrate:validate"],
];

describe("nothing is created by a command that fails before its work", () => {
  let project: TempProject;
  before(() => {
    project = createProject("module");
  });
  after(() => project.cleanup());

  for (const command of COMMANDS) {
    test(`${command.join(" ")} with no migrations folder: exit 2 naming it, and the project folder is untouched`, async () => {
      const run = await project.mortar([...command]);
      assert.equal(run.code, 2, run.stdout + run.stderr);
      assert.match(run.stdout + run.stderr, /databases\/migrations: migrations folder does not exist/);
      assert.deepEqual(readdirSync(project.dir).sort(), ["node_modules", "package.json"], "no databases/ folder, SQLite file or lock file");
    });
  }

  test("--path naming a file, not a folder: exit 2, nothing created", async () => {
    project.write("notes.txt", "not migrations");
    try {
      const run = await project.mortar(["migrate", "--path", "notes.txt"]);
      assert.equal(run.code, 2, run.stdout + run.stderr);
      assert.match(run.stderr, /notes\.txt: migrations path is not a folder/);
      assert.deepEqual(readdirSync(project.dir).sort(), ["node_modules", "notes.txt", "package.json"]);
    } finally {
      project.remove("notes.txt");
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`a mistyped --path on ${dialect} changes nothing`, () => {
    let database: TestDatabase;
    let project: TempProject;
    before(async () => {
      database = await createTestDatabase(dialect);
      project = createProject("module");
      await withConnection(database.config, async (db) => {
        await db.execute("create table keepers (id integer primary key, name varchar(20))");
        await db.execute("insert into keepers (id, name) values (1, 'still here')");
      });
    });
    after(async () => {
      project.cleanup();
      await database.drop();
    });

    for (const command of ["migrate:fresh", "migrate", "migrate:status"]) {
      test(`${command} --path missing: exit 2, no table dropped, no tracking table made`, async () => {
        const run = await project.mortar([command, "--path", "databases/migratons", "--force"].filter((a) => command !== "migrate:status" || a !== "--force"), database.env);
        assert.equal(run.code, 2, run.stdout + run.stderr);
        assert.match(run.stderr, /migratons: migrations folder does not exist/);
        assert.deepEqual(await tablesOf(database.config), ["keepers"]);
        assert.deepEqual(await withConnection(database.config, (db) => db.query("select name from keepers")), [{ name: "still here" }]);
      });
    }
  });
}
