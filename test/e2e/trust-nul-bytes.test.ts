/**
 * NUL bytes in values Mortar writes into DDL (defaults, raw() defaults, comments, enum
 * values) are refused while the blueprint is built, before any SQL of that schema call
 * is sent, through the real `mortar` binary on every dialect: exit 1, an error naming
 * the migration file, the column and the table, no stack trace, and the database as it
 * was. PostgreSQL and SQLite roll back what the migration did before the refusal; MySQL
 * cannot (its DDL commits on its own), so there the earlier statements stay and the
 * migration is recorded `failed` with them, as for any MySQL failure part-way.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestDatabase, DIALECTS, type TestDatabase, withConnection } from "../support/databases.js";
import { createProject, type RunOutput, type TempProject } from "../support/project.js";

const BASELINE = `import { Migration } from "mortar";
export default class CreateAuthors extends Migration {
  async up() {
    await this.schema.create("authors", (t) => { t.increments("id"); t.string("name", 80).comment("pen name"); });
  }
  async down() { await this.schema.drop("authors"); }
}
`;

/** A migration whose up() runs `body`; `\u0000` in the file is a NUL at run time. */
const migration = (body: string) => `import { Migration, raw } from "mortar";
export default class Bad extends Migration {
  async up() {
${body}
  }
  async down() {}
}
`;

interface Case {
  readonly label: string;
  readonly body: string;
  /** What the error must name besides the file and "NUL byte". */
  readonly names: RegExp;
}

/** The refused call comes first, or after calls whose effects a rollback undoes (not on MySQL). */
const CASES: readonly Case[] = [
  {
    label: "a string default in create, after another create in the same migration",
    body: `    await this.schema.create("posts", (t) => { t.increments("id"); });
    await this.schema.create("drafts", (t) => { t.increments("id"); t.string("title").default("a\\u0000b"); });`,
    names: /default of column "title" of table "drafts"/,
  },
  {
    label: "a comment in alter",
    body: `    await this.schema.table("authors", (t) => { t.string("bio").nullable().comment("x\\u0000y"); });`,
    names: /comment of column "bio" of table "authors"/,
  },
  {
    label: "a comment restated by change()",
    body: `    await this.schema.table("authors", (t) => { t.string("name", 80).comment("\\u0000").change(); });`,
    names: /comment of column "name" of table "authors"/,
  },
  {
    label: "an enum value",
    body: `    await this.schema.create("states", (t) => { t.enum("state", ["draft", "pub\\u0000lished"]); });`,
    names: /value 2 of enum column "state" of table "states"/,
  },
  {
    label: "a raw() default",
    body: `    await this.schema.table("authors", (t) => { t.integer("rank").default(raw("1\\u0000; drop table authors")); });`,
    names: /raw\(\) default of column "rank" of table "authors"/,
  },
];

const BAD_FILE = "databases/migrations/2024_02_01_000000_bad_values.ts";
const BAD_NAME = "2024_02_01_000000_bad_values";

function assertRefused(run: RunOutput, names: RegExp): void {
  assert.equal(run.code, 1, `exit code (stderr: ${run.stderr})`);
  assert.match(run.stderr, new RegExp(BAD_NAME));
  assert.match(run.stderr, names);
  assert.match(run.stderr, /contains a NUL byte/);
  assert.doesNotMatch(run.stderr + run.stdout, /^\s+at /m, "no stack trace");
}

for (const dialect of DIALECTS) {
  describe(`NUL bytes refused before any SQL on ${dialect}`, () => {
    let database: TestDatabase;
    let project: TempProject;

    /** Tables, every column of `authors` and the tracking rows: what must not change. */
    function state(): Promise<unknown> {
      return withConnection(database.config, async (db) => {
        const tables = (await db.schema.getTables()).sort();
        const columns = await db.schema.getColumns("authors");
        const tracking = await db.query(`select migration, batch from migrations order by id`);
        return { tables, columns, tracking: tracking.map((r) => ({ ...r, batch: Number(r.batch) })) };
      });
    }

    before(async () => {
      database = await createTestDatabase(dialect);
      project = createProject("module");
      project.write("databases/migrations/2024_01_01_000000_create_authors.ts", BASELINE);
      const first = await project.mortar(["migrate"], database.env);
      assert.equal(first.code, 0, first.stderr);
    });
    after(async () => {
      project?.cleanup();
      await database?.drop();
    });

    for (const item of CASES.filter((c) => dialect !== "mysql" || !c.body.includes('create("posts"'))) {
      test(`${item.label}: exit 1 naming the migration and column; the database as it was`, async () => {
        const baseline = await state();
        project.write(BAD_FILE, migration(item.body));
        try {
          assertRefused(await project.mortar(["migrate"], database.env), item.names);
          assert.deepEqual(await state(), baseline);
          const status = await project.mortar(["migrate:status", "--json"], database.env);
          const entry = (JSON.parse(status.stdout) as { migrations: { name: string; status: string }[] }).migrations.find(
            (m) => m.name === BAD_NAME,
          );
          assert.equal(entry?.status, "pending", "nothing ran, so nothing is recorded");
        } finally {
          project.remove(BAD_FILE);
        }
      });
    }

    if (dialect === "mysql") {
      test("after an earlier create in the same migration: that create stays (MySQL DDL commits), the refused table is never sent, the run is recorded failed", async () => {
        project.write(BAD_FILE, migration(CASES[0]!.body));
        try {
          const run = await project.mortar(["migrate"], database.env);
          assertRefused(run, CASES[0]!.names);
          const tables = await withConnection(database.config, (db) => db.schema.getTables());
          assert.ok(tables.includes("posts"), "the statement before the refusal ran");
          assert.ok(!tables.includes("drafts"), "nothing of the refused call was sent");
          const status = await project.mortar(["migrate:status", "--json"], database.env);
          const entry = (JSON.parse(status.stdout) as { migrations: { name: string; status: string }[] }).migrations.find(
            (m) => m.name === BAD_NAME,
          );
          assert.equal(entry?.status, "failed");
          const again = await project.mortar(["migrate"], database.env);
          assert.equal(again.code, 1, "the next run refuses to go on until it is resolved");
          assert.match(again.stderr, /create table `posts`/, "it names the statement that ran");
        } finally {
          project.remove(BAD_FILE);
        }
      });
    }
  });
}
