import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Database } from "../../src/dialect/database.js";
import type { DialectName } from "../../src/dialect/dialect.js";
import { UnsupportedOperationError } from "../../src/errors.js";
import { DIALECTS, withDatabase } from "../support/databases.js";

/**
 * Item 6 on PostgreSQL and MySQL/MariaDB: a column's CHECK survives change(), whether
 * Mortar wrote it (an enum) or raw SQL did (inline in create table, or added later), or
 * the change is refused naming the check with the table left as it was. Each case
 * proves the check by the database refusing a bad row after the change.
 */

type Row = Record<string, unknown>;

const SERVERS = (["postgres", "mysql"] as const).filter((d) => DIALECTS.includes(d));

const q = (db: Database, name: string) => db.grammar.quoteIdentifier(name);

async function insertQty(db: Database, table: string, qty: number): Promise<void> {
  await db.execute(`insert into ${q(db, table)} (${q(db, "qty")}) values (${db.grammar.parameter(1)})`, [qty]);
}

async function checkNames(db: Database, table: string): Promise<string[]> {
  return (await db.introspector.getChecks!(table)).map((c) => c.name);
}

/** The database itself must refuse the row (a check), not our code. */
async function refusedByCheck(statement: Promise<unknown>, what: string): Promise<void> {
  await assert.rejects(statement, (error: unknown) => {
    assert.match(String((error as Error).message), /check constraint|CONSTRAINT .* failed/i, what);
    return true;
  });
}

function createStockSql(dialect: DialectName, table: string): string {
  return dialect === "postgres"
    ? `create table ${table} (id serial primary key, qty integer check (qty > 0))`
    : `create table ${table} (id int auto_increment primary key, qty int check (qty > 0))`;
}

for (const dialect of SERVERS) {
  describe(`CHECK constraints survive change() on ${dialect} (item 6)`, () => {
    test("an inline check from raw create table survives a type change and still refuses a bad row", async () => {
      await withDatabase(dialect, async (db) => {
        await db.execute(createStockSql(dialect, "stock"));
        await insertQty(db, "stock", 5);
        const before = await checkNames(db, "stock");
        assert.equal(before.length, 1);
        await db.schema.table("stock", (t) => {
          t.bigInteger("qty").nullable().change();
        });
        assert.equal((await db.schema.getColumns("stock")).find((c) => c.name === "qty")?.typeName, dialect === "postgres" ? "int8" : "bigint");
        assert.deepEqual(await checkNames(db, "stock"), before, "the check is still there under its name");
        await refusedByCheck(insertQty(db, "stock", -1), "the check still bites after the change");
        await insertQty(db, "stock", 7);
        assert.deepEqual((await db.query<Row>("select qty from stock order by id")).map((r) => Number(r.qty)), [5, 7]);
      });
    });

    test("a check added by alter table survives change() and still refuses a bad row", async () => {
      await withDatabase(dialect, async (db) => {
        await db.schema.create("stock", (t) => {
          t.increments("id");
          t.integer("qty");
        });
        await db.execute(`alter table stock add constraint ${q(db, "stock_qty_positive")} check (qty > 0)`);
        await db.schema.table("stock", (t) => {
          t.bigInteger("qty").default(1).change();
        });
        assert.ok((await checkNames(db, "stock")).includes("stock_qty_positive"));
        await refusedByCheck(insertQty(db, "stock", 0), "the table-level check still bites");
      });
    });

    test("an enum written by Mortar keeps refusing values outside its list after change()", async () => {
      await withDatabase(dialect, async (db) => {
        await db.schema.create("posts", (t) => {
          t.increments("id");
          t.enum("status", ["draft", "live"]);
        });
        await db.schema.table("posts", (t) => {
          t.enum("status", ["draft", "live", "gone"]).default("draft").change();
        });
        const p = db.grammar.parameter(1);
        await db.execute(`insert into posts (status) values (${p})`, ["gone"]);
        await assert.rejects(db.execute(`insert into posts (status) values (${p})`, ["nope"]), "a value outside the list is refused");
        assert.deepEqual((await db.query<Row>("select status from posts")).map((r) => r.status), ["gone"]);
      });
    });
  });
}

describe("PostgreSQL: a raw check under the enum check's name (item 6)", { skip: !SERVERS.includes("postgres") }, () => {
  test("turning the column into an enum is refused naming the check, and the table is unchanged", async () => {
    await withDatabase("postgres", async (db) => {
      await db.execute(createStockSql("postgres", "stock"));
      const columnsBefore = await db.schema.getColumns("stock");
      await assert.rejects(
        db.schema.table("stock", (t) => {
          t.enum("qty", ["1", "2"]).change();
        }),
        (error: unknown) => {
          assert.ok(error instanceof UnsupportedOperationError, String(error));
          assert.match(error.message, /check "stock_qty_check" \(\(qty > 0\)\) is not an enum's/);
          return true;
        },
      );
      assert.deepEqual(await db.schema.getColumns("stock"), columnsBefore);
      assert.deepEqual(await checkNames(db, "stock"), ["stock_qty_check"]);
      await refusedByCheck(insertQty(db, "stock", -1), "the check still bites");
    });
  });

  test("restating an enum as a string drops only Mortar's enum check, not a raw check beside it", async () => {
    await withDatabase("postgres", async (db) => {
      await db.schema.create("posts", (t) => {
        t.increments("id");
        t.enum("status", ["draft", "live"]);
      });
      await db.execute(`alter table posts add constraint status_short check (length(status) < 6)`);
      await db.schema.table("posts", (t) => {
        t.string("status", 50).change();
      });
      assert.deepEqual(await checkNames(db, "posts"), ["status_short"]);
      await db.execute("insert into posts (status) values ('other')");
      await refusedByCheck(db.execute("insert into posts (status) values ('toolong')"), "the raw check still bites");
    });
  });
});

describe("MariaDB: column-level checks and json (item 6)", { skip: !SERVERS.includes("mysql") }, () => {
  test("a json column restated keeps exactly one json_valid check", async () => {
    await withDatabase("mysql", async (db) => {
      await db.schema.create("docs", (t) => {
        t.increments("id");
        t.json("body");
      });
      const before = await db.introspector.getChecks!("docs");
      await db.schema.table("docs", (t) => {
        t.json("body").nullable().change();
      });
      assert.deepEqual(await db.introspector.getChecks!("docs"), before);
      await assert.rejects(db.execute("insert into docs (body) values ('{not json')"), /CONSTRAINT|check/i);
    });
  });
});
