import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { connect } from "../../src/dialect/connect.js";
import type { Database } from "../../src/dialect/database.js";
import { Migrator } from "../../src/migration/migrator.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../support/databases.js";
import { createProject } from "../support/project.js";

/**
 * PostgreSQL guarantees that depend on the server's settings or on the live table:
 * literals that stay literals with `standard_conforming_strings` off (item 1), and
 * identity columns that change() keeps or drops as the migration says (item 14).
 */

const HOSTILE = "\\'); drop table victim; --";

type Row = Record<string, unknown>;

/** A database of our own whose sessions all start with `standard_conforming_strings` off. */
async function databaseWithBackslashEscapes(): Promise<TestDatabase> {
  const test = await createTestDatabase("postgres");
  const admin = await connect(test.config);
  try {
    const name = admin.grammar.quoteIdentifier(test.config.database!);
    await admin.execute(`alter database ${name} set standard_conforming_strings = off`);
    await admin.execute(`alter database ${name} set escape_string_warning = on`);
    await admin.execute("create table victim (id integer primary key)");
    await admin.execute("insert into victim (id) values (1)");
  } finally {
    await admin.close();
  }
  return test;
}

async function tables(db: Database): Promise<string[]> {
  return db.schema.getTables();
}

describe("PostgreSQL literals with standard_conforming_strings off (item 1)", { skip: !DIALECTS.includes("postgres") }, () => {
  test("a default, a comment and an enum value holding \\' are stored literally through a Migrator run and its rollback", async () => {
    const database = await databaseWithBackslashEscapes();
    const project = createProject("module");
    const db = await connect(database.config);
    try {
      const [setting] = await db.query<Row>("show standard_conforming_strings");
      assert.equal(setting?.standard_conforming_strings, "off", "the session really runs with the setting off");
      project.write(
        "migrations/2026_01_01_000000_hostile_literals.mjs",
        `import { Migration } from "mortar";
const HOSTILE = ${JSON.stringify(HOSTILE)};
export default class extends Migration {
  async up() {
    await this.schema.create("notes", (t) => {
      t.increments("id");
      t.string("body").default(HOSTILE).comment(HOSTILE);
      t.enum("kind", ["plain", HOSTILE]).default(HOSTILE);
    });
    await this.schema.table("notes", (t) => { t.string("extra").nullable().default(HOSTILE).comment(HOSTILE); });
    await this.schema.table("notes", (t) => { t.string("extra", 100).default(HOSTILE + "2").comment(HOSTILE + "2").change(); });
  }
  async down() { await this.schema.drop("notes"); }
}
`,
      );
      const migrator = new Migrator(db, { path: `${project.dir}/migrations` });
      const up = await migrator.migrate();
      assert.equal(up.error, undefined, up.error?.message);
      assert.deepEqual(await tables(db), ["migrations", "notes", "victim"], "nothing but the migration ran");
      assert.deepEqual(await db.query("select id from victim"), [{ id: 1 }]);

      const [inserted] = await db.query<Row>("insert into notes default values returning body, kind, extra");
      assert.deepEqual(inserted, { body: HOSTILE, kind: HOSTILE, extra: `${HOSTILE}2` }, "defaults are the exact values");
      const comments = Object.fromEntries((await db.schema.getColumns("notes")).map((c) => [c.name, c.comment]));
      assert.equal(comments.body, HOSTILE);
      assert.equal(comments.extra, `${HOSTILE}2`);
      await db.execute("insert into notes (kind) values ($1)", ["plain"]);
      await assert.rejects(db.execute("insert into notes (kind) values ($1)", ["\\"]), /check constraint/, "the enum check still bites");
      const tracked = await db.query<Row>("select migration, batch from migrations");
      assert.deepEqual(tracked, [{ migration: "2026_01_01_000000_hostile_literals", batch: 1 }]);

      const down = await migrator.rollback();
      assert.equal(down.error, undefined, down.error?.message);
      assert.deepEqual(await tables(db), ["migrations", "victim"]);
      assert.deepEqual(await db.query("select id from victim"), [{ id: 1 }]);
    } finally {
      await db.close();
      project.cleanup();
      await database.drop();
    }
  });

  test("a direct schema call and the tracking row's literal form hold a backslash exactly", async () => {
    const database = await databaseWithBackslashEscapes();
    const db = await connect(database.config);
    try {
      await db.schema.create("paths", (t) => {
        t.string("dir").default("C:\\temp\\'x'\\");
      });
      const [row] = await db.query<Row>("insert into paths default values returning dir");
      assert.equal(row?.dir, "C:\\temp\\'x'\\");
      const [literal] = await db.query<Row>(`select ${db.grammar.literal(HOSTILE)} as v`);
      assert.equal(literal?.v, HOSTILE, "grammar.literal (used by the tracking-table writes) round-trips");
      assert.deepEqual(await tables(db), ["paths", "victim"]);
    } finally {
      await db.close();
      await database.drop();
    }
  });
});
