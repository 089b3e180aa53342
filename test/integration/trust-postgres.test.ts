import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { connect } from "../../src/dialect/connect.js";
import type { Database } from "../../src/dialect/database.js";
import { Migrator } from "../../src/migration/migrator.js";
import { PostgresGrammar } from "../../src/grammar/postgres-grammar.js";
import { createTestDatabase, DIALECTS, type TestDatabase, withDatabase } from "../support/databases.js";
import { withMigrationFiles } from "../support/migration-files.js";
import { createProject } from "../support/project.js";
import { columnSpec } from "../support/column-spec.js";

/**
 * PostgreSQL guarantees that depend on the server's settings or on the live table:
 * literals that stay literals with `standard_conforming_strings` off (item 1), and
 * identity columns that change() keeps or drops as the migration says (item 14).
 */

const HOSTILE = "\\'); drop table victim; --";

type Row = Record<string, unknown>;

const BASE_COLUMN = columnSpec({ name: "c", type: "integer" });

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

async function identityOf(db: Database, table: string, column: string): Promise<string> {
  const [row] = await db.query<Row>(
    "select attidentity::text as identity from pg_catalog.pg_attribute where attrelid = $1::regclass and attname = $2",
    [db.grammar.quoteIdentifier(table), column],
  );
  return String(row?.identity ?? "");
}

async function primaryColumns(db: Database, table: string): Promise<readonly string[] | undefined> {
  return (await db.schema.getIndexes(table)).find((index) => index.primary)?.columns;
}

/** A table with an identity key and three rows, the second deleted so ids have a gap. */
async function itemsWithRows(db: Database): Promise<void> {
  await db.schema.create("items", (t) => {
    t.increments("id");
    t.string("name");
  });
  for (const name of ["a", "b", "c"]) await db.execute("insert into items (name) values ($1)", [name]);
  await db.execute("delete from items where name = 'b'");
}

describe("PostgreSQL identity columns through change() (item 14)", { skip: !DIALECTS.includes("postgres") }, () => {
  test("bigIncrements().change() widens an increments key: ids, identity, sequence position and primary key kept", async () => {
    await withDatabase("postgres", async (db) => {
      await itemsWithRows(db);
      await db.schema.table("items", (t) => {
        t.bigIncrements("id").change();
      });
      const id = (await db.schema.getColumns("items")).find((c) => c.name === "id");
      assert.equal(id?.type, "bigint");
      assert.equal(id?.autoIncrement, true);
      assert.equal(await identityOf(db, "items", "id"), "d", "still generated by default as identity");
      assert.deepEqual(await primaryColumns(db, "items"), ["id"]);
      const [next] = await db.query<Row>("insert into items (name) values ('d') returning id");
      assert.equal(Number(next?.id), 4, "the sequence carries on after the largest id ever given");
      assert.deepEqual((await db.query<Row>("select id, name from items order by id")).map((r) => [Number(r.id), r.name]), [
        [1, "a"],
        [3, "c"],
        [4, "d"],
      ]);
      const [sequenceType] = await db.query<Row>(
        "select seqtypid::regtype::text as type from pg_catalog.pg_sequence where seqrelid = pg_catalog.pg_get_serial_sequence('items', 'id')::regclass",
      );
      assert.equal(sequenceType?.type, "bigint", "the identity's sequence is widened too");
    });
  });

  test("increments().change() restating the same key changes nothing a row can see", async () => {
    await withDatabase("postgres", async (db) => {
      await itemsWithRows(db);
      const before = await db.schema.getColumns("items");
      await db.schema.table("items", (t) => {
        t.increments("id").change();
      });
      assert.deepEqual(await db.schema.getColumns("items"), before);
      assert.deepEqual(await primaryColumns(db, "items"), ["id"]);
      const [next] = await db.query<Row>("insert into items (name) values ('d') returning id");
      assert.equal(next?.id, 4);
    });
  });

  test("bigInteger().change() of an increments key drops the identity but keeps the rows and the primary key", async () => {
    await withDatabase("postgres", async (db) => {
      await itemsWithRows(db);
      await db.schema.table("items", (t) => {
        t.bigInteger("id").change();
      });
      const id = (await db.schema.getColumns("items")).find((c) => c.name === "id");
      assert.equal(id?.type, "bigint");
      assert.equal(id?.autoIncrement, false);
      assert.equal(id?.default, null);
      assert.equal(await identityOf(db, "items", "id"), "");
      assert.deepEqual(await primaryColumns(db, "items"), ["id"]);
      await assert.rejects(db.execute("insert into items (name) values ('d')"), /null value in column "id"/, "an id is now required");
      await db.execute("insert into items (id, name) values (10, 'd')");
      await assert.rejects(db.execute("insert into items (id, name) values (10, 'e')"), /duplicate key/, "the primary key still bites");
      assert.deepEqual((await db.query<Row>("select id from items order by id")).map((r) => Number(r.id)), [1, 3, 10]);
    });
  });

  test("increments().change() of a plain integer key makes it an identity that starts after the largest id", async () => {
    await withDatabase("postgres", async (db) => {
      await db.execute("create table legacy (id integer primary key, name text)");
      await db.execute("insert into legacy (id, name) values (5, 'a'), (9, 'b')");
      await db.schema.table("legacy", (t) => {
        t.increments("id").change();
      });
      assert.equal(await identityOf(db, "legacy", "id"), "d");
      assert.deepEqual(await primaryColumns(db, "legacy"), ["id"]);
      const [next] = await db.query<Row>("insert into legacy (name) values ('c') returning id");
      assert.equal(next?.id, 10);
    });
  });

  test("--pretend-style compile of a change on a table not there yet falls back to the statement alone", () => {
    const statements = new PostgresGrammar().compileAgainstLive(
      { kind: "changeColumn", table: "items", column: columnSpec({ name: "id", type: "bigInteger", autoIncrement: true, primary: true }) },
      undefined,
    );
    assert.deepEqual(
      statements.map((s) => s.sql),
      [
        'alter table "items" drop constraint if exists "items_id_check", alter column "id" type bigint using "id"::bigint',
        'comment on column "items"."id" is null',
      ],
    );
  });
});

describe("PostgreSQL literals raise no warning with escape_string_warning on (item 1)", { skip: !DIALECTS.includes("postgres") }, () => {
  test("the statements Mortar compiles for backslash values run without a 'nonstandard use of \\\\' notice", async () => {
    const database = await databaseWithBackslashEscapes();
    const { default: pg } = await import("pg");
    const client = new pg.Client({ host: "127.0.0.1", port: 5432, user: "postgres", database: database.config.database });
    const notices: string[] = [];
    client.on("notice", (notice) => notices.push(notice.message ?? String(notice)));
    await client.connect();
    try {
      const grammar = new PostgresGrammar();
      const [setting] = (await client.query("show escape_string_warning")).rows as Row[];
      assert.equal(setting?.escape_string_warning, "on");
      const statements = grammar.compile([
        {
          kind: "createTable",
          table: "paths",
          ifNotExists: false,
          columns: [{ ...BASE_COLUMN, name: "dir", type: "string", length: 255, default: "C:\\temp", comment: "a \\ b" }],
          indexes: [],
          foreignKeys: [],
        },
      ]);
      for (const statement of statements) await client.query(statement.sql);
      const { rows } = await client.query("insert into paths default values returning dir");
      assert.equal((rows as Row[])[0]?.dir, "C:\\temp");
      assert.deepEqual(notices, [], "no warning about backslashes");
    } finally {
      await client.end();
      await database.drop();
    }
  });
});

describe("PostgreSQL literals with standard_conforming_strings off on the role (item 1)", { skip: !DIALECTS.includes("postgres") }, () => {
  test("a role of our own with the setting off creates a hostile default and comment that read back exactly", async () => {
    const database = await createTestDatabase("postgres");
    const role = `${database.config.database}_role`;
    const admin = await connect({ ...database.config, database: "test" });
    const quotedRole = admin.grammar.quoteIdentifier(role);
    try {
      await admin.execute(`create role ${quotedRole} login`);
      await admin.execute(`alter role ${quotedRole} set standard_conforming_strings = off`);
      await admin.execute(`alter database ${admin.grammar.quoteIdentifier(database.config.database!)} owner to ${quotedRole}`);
      const db = await connect({ ...database.config, username: role });
      try {
        const [setting] = await db.query<Row>("show standard_conforming_strings");
        assert.equal(setting?.standard_conforming_strings, "off");
        await db.execute("create table victim (id integer)");
        await db.schema.create("notes", (t) => {
          t.string("body").default(HOSTILE).comment(HOSTILE);
        });
        const [row] = await db.query<Row>("insert into notes default values returning body");
        assert.equal(row?.body, HOSTILE);
        assert.equal((await db.schema.getColumns("notes"))[0]?.comment, HOSTILE);
        assert.deepEqual(await tables(db), ["notes", "victim"]);
      } finally {
        await db.close();
      }
    } finally {
      await database.drop();
      await admin.execute(`drop role if exists ${quotedRole}`);
      await admin.close();
    }
  });
});

describe("PostgreSQL --pretend reads the live table too (items 1, 14)", { skip: !DIALECTS.includes("postgres") }, () => {
  test("pretend prints the identity drop for a live table, the plain change for a table it only pretended to create, and changes nothing", async () => {
    await withDatabase("postgres", async (db) => {
      await itemsWithRows(db);
      await withMigrationFiles(
        {
          "2026_01_01_000000_pretend_changes.mjs": `import { Migration } from "mortar";
export default class extends Migration {
  async up() {
    await this.schema.table("items", (t) => { t.bigInteger("id").change(); });
    await this.schema.create("later", (t) => { t.integer("n"); });
    await this.schema.table("later", (t) => { t.bigInteger("n").default(${JSON.stringify(HOSTILE)}).change(); });
  }
  async down() {}
}
`,
        },
        async (dir) => {
          const result = await new Migrator(db, { path: dir }).migrate({ pretend: true });
          assert.equal(result.error, undefined, result.error?.message);
          const statements = result.migrations[0]?.statements ?? [];
          assert.ok(
            statements.some((s) => s.startsWith('alter table "items" alter column "id" drop identity if exists, alter column "id" drop default')),
            statements.join("\n"),
          );
          assert.ok(
            statements.includes(
              `alter table "later" drop constraint if exists "later_n_check", alter column "n" drop default, ` +
                `alter column "n" type bigint using "n"::bigint, alter column "n" set not null, alter column "n" set default E'\\\\''); drop table victim; --'`,
            ),
            statements.join("\n"),
          );
          assert.equal(await identityOf(db, "items", "id"), "d", "pretending changed nothing");
          assert.deepEqual(await db.schema.getTables(), ["items"]);
        },
      );
    });
  });
});
