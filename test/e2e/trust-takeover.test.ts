import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import type { ConnectionConfig, DialectName } from "../../src/dialect/dialect.js";
import { createTestDatabase, DIALECTS, tablesOf, type TestDatabase, withConnection } from "../support/databases.js";
import { createProject, type TempProject } from "../support/project.js";

// Spec §6: an existing Laravel or Masonite tracking table is taken over: upgraded in
// place under the lock, every row kept, its migrations Ran; a table of that name with
// another shape is an error (exit 2) naming the table and MIGRATIONS_TABLE.

const DIR = "databases/migrations";
const USERS = "2014_10_12_000000_create_users_table";
const POSTS = "2019_08_19_000000_create_posts_table";
const TAGS = "2026_03_01_000000_create_tags_table";

/** The tracking table exactly as Laravel's (or Masonite's) own `migrate:install` creates it. */
function legacyTableSql(dialect: DialectName, idColumn: "id" | "migration_id"): string {
  switch (dialect) {
    case "mysql":
      return `create table \`migrations\` (\`${idColumn}\` int unsigned not null auto_increment primary key, \`migration\` varchar(255) not null, \`batch\` int not null) default character set utf8mb4 collate 'utf8mb4_unicode_ci'`;
    case "postgres":
      return `create table "migrations" ("${idColumn}" serial primary key not null, "migration" varchar(255) not null, "batch" integer not null)`;
    case "sqlite":
      return `create table "migrations" ("${idColumn}" integer primary key autoincrement not null, "migration" varchar not null, "batch" integer not null)`;
  }
}

const createTable = (className: string, table: string) => `import { Migration } from "mortar";
export default class ${className} extends Migration {
  async up() { await this.schema.create("${table}", (t) => { t.increments("id"); t.string("name"); }); }
  async down() { await this.schema.drop("${table}"); }
}
`;

/** The live database as Laravel left it: its tracking table, two rows, and their tables. */
async function seedLegacy(config: ConnectionConfig, dialect: DialectName, idColumn: "id" | "migration_id", extraRows: string[] = []): Promise<void> {
  await withConnection(config, async (db) => {
    await db.execute(legacyTableSql(dialect, idColumn));
    for (const [migration, batch] of [[USERS, 1], [POSTS, 2]] as const) {
      await db.execute(`insert into ${db.grammar.quoteIdentifier("migrations")} (${db.grammar.columnList(["migration", "batch"])}) values ('${migration}', ${batch})`);
    }
    for (const migration of extraRows) {
      await db.execute(`insert into ${db.grammar.quoteIdentifier("migrations")} (${db.grammar.columnList(["migration", "batch"])}) values ('${migration}', 2)`);
    }
    for (const table of ["users", "posts"]) await db.schema.create(table, (t) => void t.increments("id"));
  });
}

async function trackingRows(config: ConnectionConfig): Promise<[number, string, number][]> {
  return withConnection(config, async (db) => {
    const q = (n: string) => db.grammar.quoteIdentifier(n);
    const rows = await db.read(`select ${q("id")}, ${q("migration")}, ${q("batch")} from ${q("migrations")} order by ${q("id")}`);
    return rows.map((r) => [Number(r.id), String(r.migration), Number(r.batch)]);
  });
}

const columnsOf = (config: ConnectionConfig, table: string) =>
  withConnection(config, async (db) => (await db.schema.getColumns(table)).map((c) => c.name).sort());

for (const dialect of DIALECTS) {
  describe(`taking over a Laravel or Masonite tracking table on ${dialect}`, () => {
    let database: TestDatabase;
    let project: TempProject;
    const mortar = (...args: string[]) => project.mortar(args, database.env);
    const statusOf = async () => {
      const run = await mortar("migrate:status", "--json");
      assert.equal(run.code, 0, run.stdout + run.stderr);
      return (JSON.parse(run.stdout) as { migrations: { name: string; status: string; batch: number | null }[] }).migrations.map((m) => [m.name, m.status, m.batch]);
    };

    beforeEach(async () => {
      database = await createTestDatabase(dialect);
      project = createProject("module");
      project.write(`${DIR}/${USERS}.ts`, createTable("CreateUsersTable", "users"));
      project.write(`${DIR}/${POSTS}.ts`, createTable("CreatePostsTable", "posts"));
      project.write(`${DIR}/${TAGS}.ts`, createTable("CreateTagsTable", "tags"));
    });

    afterEach(async () => {
      project?.cleanup();
      await database?.drop();
    });

    for (const idColumn of ["id", "migration_id"] as const) {
      const owner = idColumn === "id" ? "Laravel" : "Masonite";
      test(`${owner}'s table (${idColumn}, migration, batch): status shows Ran, migrate runs only the new one, every row kept, rollback works`, async () => {
        await seedLegacy(database.config, dialect, idColumn);
        const expectedStatus = [
          [USERS, "ran", 1],
          [POSTS, "ran", 2],
          [TAGS, "pending", null],
        ];
        assert.deepEqual(await statusOf(), expectedStatus);
        assert.deepEqual(await columnsOf(database.config, "migrations"), ["batch", idColumn, "migration"].sort(), "status reads, never upgrades");

        const run = await mortar("migrate");
        assert.equal(run.code, 0, run.stdout + run.stderr);
        assert.deepEqual(run.stdout.match(/^\s+\S+(?= \.+ .*DONE$)/gm)?.map((s) => s.trim()), [TAGS], "only the new migration runs");
        assert.deepEqual(await columnsOf(database.config, "migrations"), ["batch", "checksum", "duration_ms", "error", "executed_at", "id", "migration", "statements", "status"]);
        assert.deepEqual(await trackingRows(database.config), [
          [1, USERS, 1],
          [2, POSTS, 2],
          [3, TAGS, 3],
        ]);
        assert.deepEqual(await statusOf(), [
          [USERS, "ran", 1],
          [POSTS, "ran", 2],
          [TAGS, "ran", 3],
        ]);
        // The taken-over table enforces one row per migration from now on.
        const unique = await withConnection(database.config, async (db) => (await db.schema.getIndexes("migrations")).some((i) => i.unique && i.columns.join() === "migration"));
        assert.ok(unique, "migration is unique after the takeover");

        for (const [expectedGone, remaining] of [
          ["tags", [[USERS, "ran", 1], [POSTS, "ran", 2], [TAGS, "pending", null]]],
          ["posts", [[USERS, "ran", 1], [POSTS, "pending", null], [TAGS, "pending", null]]],
        ] as const) {
          const back = await mortar("migrate:rollback");
          assert.equal(back.code, 0, back.stdout + back.stderr);
          assert.ok(!(await tablesOf(database.config)).includes(expectedGone), `${expectedGone} rolled back`);
          assert.deepEqual(await statusOf(), remaining);
        }
      });
    }

    test("a table named migrations of another shape: exit 2 naming the table and MIGRATIONS_TABLE, left as it was", async () => {
      await withConnection(database.config, async (db) => {
        await db.schema.create("migrations", (t) => {
          t.increments("id");
          t.string("name");
        });
        await db.execute(`insert into ${db.grammar.quoteIdentifier("migrations")} (${db.grammar.quoteIdentifier("name")}) values ('mine')`);
      });
      for (const command of ["migrate", "migrate:status", "migrate:rollback", "migrate:install"]) {
        const run = await mortar(command);
        assert.equal(run.code, 2, `${command}: ${run.stdout}${run.stderr}`);
        assert.match(run.stderr, /"migrations" exists but is not a migrations table .*MIGRATIONS_TABLE/, command);
        assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
      }
      assert.deepEqual(await columnsOf(database.config, "migrations"), ["id", "name"]);
      assert.deepEqual(await tablesOf(database.config), ["migrations"], "no migration ran");
      // Pointing Mortar at another table name gets the user going.
      const elsewhere = await project.mortar(["migrate"], { ...database.env, MIGRATIONS_TABLE: "mortar_migrations" });
      assert.equal(elsewhere.code, 0, elsewhere.stderr);
    });

    test("a Laravel table recording one migration twice is refused before anything changes", async () => {
      await seedLegacy(database.config, dialect, "id", [POSTS]);
      const run = await mortar("migrate");
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stderr, new RegExp(`cannot take over the tracking table "migrations": it records ${POSTS} \\(2 times\\)`));
      assert.deepEqual(await columnsOf(database.config, "migrations"), ["batch", "id", "migration"]);
      assert.equal((await trackingRows(database.config)).length, 3);
      assert.ok(!(await tablesOf(database.config)).includes("tags"));
    });
  });
}
