import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Database } from "../../src/dialect/database.js";
import type { ColumnInfo, DialectName, IndexInfo } from "../../src/dialect/dialect.js";
import { MortarError } from "../../src/errors.js";
import type { Blueprint } from "../../src/schema/blueprint.js";
import { DIALECTS, withDatabase } from "../support/databases.js";

/**
 * The Blueprint's trust guarantees against the real servers, on tables that hold rows:
 * operations run in the order the callback wrote them, an index asked for twice is
 * made once, Laravel's positional auto-increment makes a working key, and an error
 * inside `withoutForeignKeyConstraints` reaches the user as itself.
 */

type Row = Record<string, unknown>;

const q = (db: Database, name: string) => db.grammar.quoteIdentifier(name);

/** `people(id, name varchar(50) not null, code varchar(10) null indexed)` with three rows. */
async function createPeople(db: Database): Promise<Row[]> {
  await db.schema.create("people", (t) => {
    t.increments("id");
    t.string("name", 50);
    t.string("code", 10).nullable().index();
  });
  const rows: Row[] = [
    { name: "Ada", code: "a1" },
    { name: "Brendan", code: null },
    { name: "Grace", code: "g7" },
  ];
  for (const row of rows) {
    await db.execute(
      `insert into ${q(db, "people")} (${q(db, "name")}, ${q(db, "code")}) values (${db.grammar.parameter(1)}, ${db.grammar.parameter(2)})`,
      [row.name, row.code],
    );
  }
  return rows;
}

async function select(db: Database, columns: readonly string[]): Promise<Row[]> {
  return db.query<Row>(`select ${columns.map((c) => q(db, c)).join(", ")} from ${q(db, "people")} order by ${q(db, "id")}`);
}

function column(columns: readonly ColumnInfo[], name: string): ColumnInfo {
  const found = columns.find((c) => c.name === name);
  assert.ok(found, `column ${name} exists (have ${columns.map((c) => c.name).join(", ")})`);
  return found;
}

/** Secondary indexes (not the primary key) as `name: columns`, sorted. */
async function indexes(db: Database, table = "people"): Promise<string[]> {
  return (await db.schema.getIndexes(table))
    .filter((i: IndexInfo) => !i.primary)
    .map((i) => `${i.name}${i.unique ? " unique" : ""}: ${i.columns.join(",")}`)
    .sort();
}

const varchar = (dialect: DialectName, length: number) =>
  dialect === "postgres" ? `character varying(${length})` : `varchar(${length})`;

function alter(db: Database, build: (t: Blueprint) => void): Promise<void> {
  return db.schema.table("people", (t) => {
    build(t);
  });
}

for (const dialect of DIALECTS) {
  describe(`operations in the order written on ${dialect}`, () => {
    test("renameColumn then change() of the new name: renamed, widened, nullable, rows kept", async () => {
      await withDatabase(dialect, async (db) => {
        const original = await createPeople(db);
        await alter(db, (t) => {
          t.renameColumn("name", "full_name");
          t.string("full_name", 120).nullable().change();
        });
        const columns = await db.schema.getColumns("people");
        assert.equal(columns.some((c) => c.name === "name"), false, "the old name is gone");
        assert.equal(column(columns, "full_name").type, varchar(dialect, 120));
        assert.equal(column(columns, "full_name").nullable, true);
        assert.deepEqual(await select(db, ["full_name", "code"]), original.map((r) => ({ full_name: r.name, code: r.code })));
        assert.deepEqual(await indexes(db), ["people_code_index: code"], "the other column's index survives");
      });
    });

    test("change() then renameColumn: the change lands on the column that gets renamed", async () => {
      await withDatabase(dialect, async (db) => {
        const original = await createPeople(db);
        await alter(db, (t) => {
          t.string("name", 120).nullable().change();
          t.renameColumn("name", "full_name");
        });
        const columns = await db.schema.getColumns("people");
        assert.equal(column(columns, "full_name").type, varchar(dialect, 120));
        assert.equal(column(columns, "full_name").nullable, true);
        assert.deepEqual(await select(db, ["full_name"]), original.map((r) => ({ full_name: r.name })));
      });
    });

    test("drop a column, then add one of the same name: a fresh column, old values gone", async () => {
      await withDatabase(dialect, async (db) => {
        const original = await createPeople(db);
        await alter(db, (t) => {
          t.dropIndex(["code"]);
          t.dropColumn("code");
          t.integer("code").nullable();
        });
        assert.match(column(await db.schema.getColumns("people"), "code").type, /int/);
        assert.deepEqual(await select(db, ["name", "code"]), original.map((r) => ({ name: r.name, code: null })));
        assert.deepEqual(await indexes(db), []);
      });
    });

    test("add a column, then index it; a fluent unique followed by a rename follows the column", async () => {
      await withDatabase(dialect, async (db) => {
        await createPeople(db);
        await alter(db, (t) => {
          t.string("email", 100).nullable();
          t.index("email");
          t.string("slug", 40).nullable().unique();
          t.renameColumn("slug", "handle");
        });
        assert.deepEqual(await indexes(db), [
          "people_code_index: code",
          "people_email_index: email",
          "people_slug_unique unique: handle",
        ]);
        const insert = `update ${q(db, "people")} set ${q(db, "handle")} = 'x' where ${q(db, "name")} = ${db.grammar.parameter(1)}`;
        await db.execute(insert, ["Ada"]);
        await assert.rejects(db.execute(insert, ["Grace"]), "the unique index bites on the renamed column");
      });
    });

    test("unique() twice on one column, and unique() plus unique(column): one index each, and it bites", async () => {
      await withDatabase(dialect, async (db) => {
        await createPeople(db);
        await alter(db, (t) => {
          t.string("email", 100).nullable().unique().unique();
          t.string("phone", 30).nullable().unique();
          t.unique("phone");
        });
        assert.deepEqual(await indexes(db), [
          "people_code_index: code",
          "people_email_unique unique: email",
          "people_phone_unique unique: phone",
        ]);
        await db.schema.create("accounts", (t) => {
          t.increments("id");
          t.string("login", 40).unique().unique();
          t.unique(["login"]);
        });
        assert.deepEqual(await indexes(db, "accounts"), ["accounts_login_unique unique: login"]);
        const add = `insert into ${q(db, "accounts")} (${q(db, "login")}) values ('root')`;
        await db.execute(add);
        await assert.rejects(db.execute(add), "the one unique index bites");
      });
    });
  });

  describe(`Laravel's positional auto-increment on ${dialect}`, () => {
    const cases: [string, (t: Blueprint) => void][] = [
      ['unsignedBigInteger("id", true)', (t) => t.unsignedBigInteger("id", true)],
      ['integer("id", true)', (t) => t.integer("id", true)],
      ['bigInteger("id", true, true)', (t) => t.bigInteger("id", true, true)],
      ['unsignedInteger("id", true)', (t) => t.unsignedInteger("id", true)],
      ['smallInteger("id", true)', (t) => t.smallInteger("id", true)],
      ['unsignedTinyInteger("id", true)', (t) => t.unsignedTinyInteger("id", true)],
      ['mediumInteger("id", true)', (t) => t.mediumInteger("id", true)],
    ];
    test("each form makes an auto-increment primary key that numbers inserted rows", async () => {
      await withDatabase(dialect, async (db) => {
        for (const [label, build] of cases) {
          await db.schema.create("numbered", (t) => {
            build(t);
            t.string("label", 20);
          });
          const columns = await db.schema.getColumns("numbered");
          assert.equal(column(columns, "id").autoIncrement, true, `${label}: auto-increment`);
          const keys = (await db.schema.getIndexes("numbered")).filter((i) => i.primary);
          assert.deepEqual(keys.map((k) => k.columns), [["id"]], `${label}: the primary key`);
          for (const name of ["a", "b"]) await db.execute(`insert into ${q(db, "numbered")} (${q(db, "label")}) values ('${name}')`);
          const ids = (await db.query<Row>(`select ${q(db, "id")} from ${q(db, "numbered")} order by ${q(db, "id")}`)).map((r) => Number(r.id));
          assert.deepEqual(ids, [1, 2], `${label}: rows numbered`);
          await assert.rejects(db.execute(`insert into ${q(db, "numbered")} (${q(db, "id")}, ${q(db, "label")}) values (1, 'dup')`), `${label}: key bites`);
          await db.schema.drop("numbered");
        }
      });
    });
  });

  describe(`withoutForeignKeyConstraints on ${dialect}`, () => {
    const missing = dialect === "sqlite" ? /no such table: nowhere/ : dialect === "mysql" ? /nowhere' doesn't exist/ : /relation "nowhere" does not exist/;

    test("an error inside it, in a transaction, is reported as itself; the transaction rolls back and the session is usable", async () => {
      await withDatabase(dialect, async (db) => {
        await createPeople(db);
        const before = await foreignKeySetting(db);
        await assert.rejects(
          db.transaction(() =>
            db.schema.withoutForeignKeyConstraints(async () => {
              await db.execute(`insert into ${q(db, "people")} (${q(db, "name")}) values ('Linus')`);
              await db.execute(`select * from ${q(db, "nowhere")}`);
            }),
          ),
          (error: unknown) => {
            assert.ok(error instanceof MortarError, String(error));
            assert.match(error.message, missing);
            assert.doesNotMatch(error.message, /current transaction is aborted/);
            return true;
          },
        );
        assert.equal(await foreignKeySetting(db), before, "foreign-key enforcement is back as it was");
        const names = (await select(db, ["name"])).map((r) => r.name);
        assert.deepEqual(names, ["Ada", "Brendan", "Grace"], "the insert was rolled back");
        assert.equal((await db.query(`select 1 as one`)).length, 1, "the session takes statements again");
      });
    });

    test("outside a transaction the error is itself too, and the setting is restored", async () => {
      await withDatabase(dialect, async (db) => {
        const before = await foreignKeySetting(db);
        await assert.rejects(
          db.schema.withoutForeignKeyConstraints(() => db.execute(`select * from ${q(db, "nowhere")}`)),
          (error: unknown) => (assert.match(String((error as Error).message), missing), true),
        );
        assert.equal(await foreignKeySetting(db), before);
      });
    });
  });
}

/** The session's foreign-key switch as the dialect spells it. */
async function foreignKeySetting(db: Database): Promise<string> {
  const sql = {
    sqlite: "pragma foreign_keys",
    postgres: "show session_replication_role",
    mysql: "select @@foreign_key_checks as checks",
  }[db.dialect];
  const [row] = await db.query<Row>(sql);
  return String(Object.values(row ?? {})[0]);
}
