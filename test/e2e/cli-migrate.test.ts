import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestDatabase, DIALECTS, dropTableIfExists, type TestDatabase, withConnection } from "../support/databases.js";
import { createProject, type TempProject } from "../support/project.js";

const AUTHORS_TS = `import { Migration } from "mortar";
export default class CreateAuthorsTable extends Migration {
  async up() {
    await this.schema.create("authors", (t) => { t.increments("id"); t.string("name"); });
  }
  async down() { await this.schema.drop("authors"); }
}
`;

const BOOKS_ESM = `import { Migration } from "mortar";
export default class CreateBooksTable extends Migration {
  async up() {
    await this.schema.create("books", (t) => {
      t.increments("id");
      t.integer("author_id").unsigned();
      t.foreign("author_id").references("id").on("authors").onDelete("cascade");
      t.string("title");
    });
  }
  async down() { await this.schema.drop("books"); }
}
`;

const BOOKS_CJS = `const { Migration } = require("mortar");
module.exports = class CreateBooksTable extends Migration {
  async up() {
    await this.schema.create("books", (t) => {
      t.increments("id");
      t.integer("author_id").unsigned();
      t.foreign("author_id").references("id").on("authors").onDelete("cascade");
      t.string("title");
    });
  }
  async down() { await this.schema.drop("books"); }
};
`;

// The `await using` form of spec §2 (Masonite's context manager).
const ISBN_TS = `import { Migration } from "mortar";
export default class AddIsbnToBooksTable extends Migration {
  async up() {
    await using table = await this.schema.table("books");
    table.string("isbn", 20).nullable();
  }
  async down() {
    await using table = await this.schema.table("books");
    table.dropColumn("isbn");
  }
}
`;

const BROKEN_TS = `import { Migration } from "mortar";
export default class CreateHalfTable extends Migration {
  async up() {
    await this.schema.create("half", (t) => { t.increments("id"); });
    throw new Error("boom on purpose");
  }
  async down() { await this.schema.drop("half"); }
}
`;

const FILES = {
  authors: "databases/migrations/2026_01_01_000001_create_authors_table.ts",
  isbn: "databases/migrations/2026_01_01_000003_add_isbn_to_books_table.ts",
  broken: "databases/migrations/2026_01_01_000004_create_half_table.ts",
};

interface State {
  tables: string[];
  tracking: { migration: string; batch: number }[];
  columns: Record<string, string[]>;
}

function readState(test: TestDatabase): Promise<State> {
  return withConnection(test.config, async (db) => {
    const tables = await db.schema.getTables();
    const tracking = tables.includes("migrations")
      ? (await db.query<{ migration: string; batch: number }>("select migration, batch from migrations order by id")).map((r) => ({
          migration: r.migration,
          batch: Number(r.batch),
        }))
      : [];
    const columns: Record<string, string[]> = {};
    for (const t of tables) columns[t] = (await db.schema.getColumns(t)).map((c) => c.name);
    return { tables, tracking, columns };
  });
}

const userTables = (s: State) => s.tables.filter((t) => t !== "migrations");

for (const dialect of DIALECTS) {
  for (const moduleType of ["module", "commonjs"] as const) {
    describe(`mortar binary on ${dialect}, ${moduleType === "module" ? "ESM" : "CommonJS"} project`, () => {
      let project: TempProject;
      let database: TestDatabase;
      const mortar = (...args: string[]) => project.mortar(args, database.env);

      before(async () => {
        database = await createTestDatabase(dialect);
        project = createProject(moduleType);
        project.write(FILES.authors, AUTHORS_TS);
        project.write(
          moduleType === "module"
            ? "databases/migrations/nested/2026_01_01_000002_create_books_table.mjs"
            : "databases/migrations/nested/2026_01_01_000002_create_books_table.cjs",
          moduleType === "module" ? BOOKS_ESM : BOOKS_CJS,
        );
        project.write(FILES.isbn, ISBN_TS);
        project.write("databases/migrations/README.md", "not a migration\n");
        project.write("databases/migrations/helper.ts", "export const x = 1;\n");
      });
      after(async () => {
        project.cleanup();
        await database.drop();
      });

      test("pretend prints the dialect's SQL and creates nothing, not even the tracking table", async () => {
        const run = await mortar("migrate", "--pretend");
        assert.equal(run.code, 0, run.stderr);
        const quoted = dialect === "mysql" ? "create table `authors`" : 'create table "authors"';
        assert.ok(run.stdout.includes(quoted), run.stdout);
        assert.ok(run.stdout.includes("2026_01_01_000003_add_isbn_to_books_table"));
        assert.deepEqual((await readState(database)).tables, []);
      });

      test("status before anything ran lists every migration as pending and imports nothing", async () => {
        project.write("databases/migrations/2026_01_01_000009_not_yet.ts", "this is not valid typescript {{{");
        const run = await mortar("migrate:status", "--json");
        project.remove("databases/migrations/2026_01_01_000009_not_yet.ts");
        assert.equal(run.code, 0, run.stderr);
        const doc = JSON.parse(run.stdout) as { migrations: { name: string; status: string; batch: number | null }[] };
        assert.deepEqual(
          doc.migrations.map((m) => [m.name, m.status, m.batch]),
          [
            ["2026_01_01_000001_create_authors_table", "pending", null],
            ["2026_01_01_000002_create_books_table", "pending", null],
            ["2026_01_01_000003_add_isbn_to_books_table", "pending", null],
            ["2026_01_01_000009_not_yet", "pending", null],
          ],
        );
      });

      test("migrate --step gives each migration its own batch, and warns about files that do not match", async () => {
        const run = await mortar("migrate", "--step");
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /2026_01_01_000001_create_authors_table \.+ \d+ms DONE/);
        assert.match(run.stderr, /ignored .*helper\.ts/);
        assert.doesNotMatch(run.stderr, /README/);
        const state = await readState(database);
        assert.deepEqual(userTables(state), ["authors", "books"]);
        assert.ok(state.columns.books!.includes("isbn"));
        assert.deepEqual(state.tracking, [
          { migration: "2026_01_01_000001_create_authors_table", batch: 1 },
          { migration: "2026_01_01_000002_create_books_table", batch: 2 },
          { migration: "2026_01_01_000003_add_isbn_to_books_table", batch: 3 },
        ]);
      });

      test("migrate again has nothing to do", async () => {
        const run = await mortar("migrate");
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /Nothing to migrate/);
      });

      test("status text shows batches", async () => {
        const run = await mortar("migrate:status");
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /2026_01_01_000002_create_books_table \.+ \[2\] Ran/);
      });

      test("rollback --step 1 undoes only the last migration", async () => {
        const run = await mortar("migrate:rollback", "--step", "1");
        assert.equal(run.code, 0, run.stderr);
        const state = await readState(database);
        assert.ok(!state.columns.books!.includes("isbn"));
        assert.equal(state.tracking.length, 2);
      });

      test("rollback --batch 1 undoes batch 1 only", async () => {
        const run = await mortar("migrate:rollback", "--batch", "2", "--json");
        assert.equal(run.code, 0, run.stderr);
        const doc = JSON.parse(run.stdout) as { batch: number; migrations: { name: string; status: string }[] };
        assert.deepEqual(doc.migrations.map((m) => [m.name, m.status]), [["2026_01_01_000002_create_books_table", "rolled back"]]);
        const state = await readState(database);
        assert.deepEqual(userTables(state), ["authors"]);
        assert.deepEqual(state.tracking.map((t) => t.migration), ["2026_01_01_000001_create_authors_table"]);
      });

      test("migrate puts the rest in one new batch; reset undoes everything", async () => {
        let run = await mortar("migrate", "--json");
        assert.equal(run.code, 0, run.stderr);
        const doc = JSON.parse(run.stdout) as { batch: number; migrations: { status: string }[] };
        assert.equal(doc.batch, 2);
        assert.deepEqual(doc.migrations.map((m) => m.status), ["ran", "ran"]);
        run = await mortar("migrate:reset");
        assert.equal(run.code, 0, run.stderr);
        const state = await readState(database);
        assert.deepEqual(userTables(state), []);
        assert.deepEqual(state.tracking, []);
      });

      test("refresh rolls back and re-runs everything in batch 1", async () => {
        await mortar("migrate", "--step");
        const run = await mortar("migrate:refresh");
        assert.equal(run.code, 0, run.stderr);
        const state = await readState(database);
        assert.deepEqual(userTables(state), ["authors", "books"]);
        assert.deepEqual(state.tracking.map((t) => t.batch), [1, 1, 1]);
      });

      test("fresh drops tables not made by migrations too", async () => {
        await withConnection(database.config, (db) =>
          db.schema.create("stray", (t) => {
            t.increments("id");
          }),
        );
        const run = await mortar("migrate:fresh");
        assert.equal(run.code, 0, run.stderr);
        const state = await readState(database);
        assert.deepEqual(userTables(state), ["authors", "books"]);
        assert.equal(state.tracking.length, 3);
      });

      test("a failing migration exits 1, names the file and leaves nothing behind", async () => {
        project.write(FILES.broken, BROKEN_TS);
        const run = await mortar("migrate");
        project.remove(FILES.broken);
        assert.equal(run.code, 1);
        assert.match(run.stderr, /2026_01_01_000004_create_half_table\.ts/);
        assert.match(run.stderr, /boom on purpose/);
        assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace without --verbose");
        const state = await readState(database);
        if (dialect !== "mysql") {
          assert.ok(!state.tracking.some((t) => t.migration.endsWith("create_half_table")), "no tracking row");
          assert.ok(!state.tables.includes("half"), "the migration's table rolled back");
        } else {
          // MySQL commits DDL as it goes: the table stays, and the run is recorded as failed
          // with the statements that ran, until the user settles it.
          assert.ok(state.tables.includes("half"));
          const status = JSON.parse((await mortar("migrate:status", "--json")).stdout) as { migrations: { name: string; status: string }[] };
          assert.deepEqual(status.migrations.find((m) => m.name.endsWith("create_half_table"))?.status, "failed");
          const refused = await mortar("migrate");
          assert.equal(refused.code, 1);
          assert.match(refused.stderr, /create_half_table did not finish \(failed: .*boom on purpose\); statements that ran:\s+create table `half`/s);
          assert.match(refused.stderr, /migrate:resolve 2026_01_01_000004_create_half_table --applied .* or --rolled-back/);
          await dropTableIfExists(database.config, "half");
          const resolved = await mortar("migrate:resolve", "2026_01_01_000004_create_half_table", "--rolled-back");
          assert.equal(resolved.code, 0, resolved.stderr);
          assert.ok(!(await readState(database)).tracking.some((t) => t.migration.endsWith("create_half_table")));
        }
      });

      test("--verbose adds the stack trace", async () => {
        project.write(FILES.broken, BROKEN_TS);
        const run = await mortar("migrate", "--verbose");
        project.remove(FILES.broken);
        assert.equal(run.code, 1);
        assert.match(run.stderr, /\n\s+at /);
        if (dialect === "mysql") {
          await dropTableIfExists(database.config, "half");
          assert.equal((await mortar("migrate:resolve", "2026_01_01_000004_create_half_table", "--rolled-back")).code, 0);
        }
      });

      test("an unknown command or flag exits 2", async () => {
        const unknownCommand = await mortar("migrate:sideways");
        assert.equal(unknownCommand.code, 2);
        assert.match(unknownCommand.stderr, /unknown command/);
        const unknownFlag = await mortar("migrate", "--sideways");
        assert.equal(unknownFlag.code, 2);
        assert.match(unknownFlag.stderr, /unknown option '--sideways'/);
        const badStep = await mortar("migrate:rollback", "--step", "abc");
        assert.equal(badStep.code, 2);
        assert.match(badStep.stderr, /--step must be a positive whole number, got "abc"/);
      });
    });
  }
}
