import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Database } from "../../src/dialect/database.js";
import { QueryError } from "../../src/errors.js";
import { DIALECTS, type TestDatabase, withConnection, withDatabase } from "../support/databases.js";

/**
 * Database.transaction on every dialect. On PostgreSQL the BEGIN travels with the
 * transaction's first statement and bookkeeping with its COMMIT (two round trips fewer
 * per migration), so these cases pin down that nothing is lost or left open by it.
 */

/** Rows as another connection sees them: only what was committed. */
function committedCount(test: TestDatabase, table: string): Promise<number> {
  return withConnection(test.config, async (other) => {
    const [row] = await other.read<{ n: number | string }>(`select count(*) as n from ${other.grammar.quoteIdentifier(table)}`);
    return Number(row!.n);
  });
}

async function createLedger(db: Database): Promise<void> {
  await db.schema.create("ledger", (t) => {
    t.increments("id");
    t.string("entry").unique();
  });
}

for (const dialect of DIALECTS) {
  describe(`transactions (${dialect})`, () => {
    test("an empty transaction leaves no transaction open", async () => {
      await withDatabase(dialect, async (db, test) => {
        await createLedger(db);
        await db.transaction(async () => undefined);
        assert.equal(db.inTransaction, false);
        await db.execute("insert into ledger (entry) values ('after')");
        assert.equal(await committedCount(test, "ledger"), 1, "the insert after it committed on its own");
      });
    });

    test("a bound first statement is rolled back with the rest", async () => {
      await withDatabase(dialect, async (db, test) => {
        await createLedger(db);
        const p = db.grammar.parameter(1);
        await assert.rejects(
          db.transaction(async () => {
            await db.execute(`insert into ledger (entry) values (${p})`, ["bound"]);
            await db.execute("insert into ledger (entry) values ('plain')");
            throw new Error("undo");
          }),
          /undo/,
        );
        assert.equal(await committedCount(test, "ledger"), 0);
        await db.transaction(async () => {
          await db.execute(`insert into ledger (entry) values (${p})`, ["kept"]);
        });
        assert.equal(await committedCount(test, "ledger"), 1);
      });
    });

    test("a failing first statement is named alone, and the connection stays usable", async () => {
      await withDatabase(dialect, async (db, test) => {
        await createLedger(db);
        const error = await db
          .transaction(async () => {
            await db.execute("insert into no_such_table (entry) values ('x')");
          })
          .then(() => undefined, (e: unknown) => e);
        assert.ok(error instanceof QueryError, `got ${String(error)}`);
        assert.equal(error.sql, "insert into no_such_table (entry) values ('x')");
        assert.equal(db.inTransaction, false);
        await db.transaction(async () => {
          await db.execute("insert into ledger (entry) values ('next')");
        });
        assert.equal(await committedCount(test, "ledger"), 1);
      });
    });
  });
}

describe("transactions (postgres): bookkeeping written with the COMMIT", { skip: !DIALECTS.includes("postgres") }, () => {
  test("commits with the transaction, and not at all when it fails", async () => {
    await withDatabase("postgres", async (db, test) => {
      await createLedger(db);
      await db.transaction(async () => {
        await db.schema.create("made", (t) => void t.increments("id"));
        db.writeOnCommit("insert into ledger (entry) values ('made')");
      });
      assert.equal(await committedCount(test, "ledger"), 1);
      assert.equal(await db.schema.hasTable("made"), true);

      await assert.rejects(
        db.transaction(async () => {
          await db.schema.create("abandoned", (t) => void t.increments("id"));
          db.writeOnCommit("insert into ledger (entry) values ('abandoned')");
          throw new Error("undo");
        }),
        /undo/,
      );
      assert.equal(await committedCount(test, "ledger"), 1);
      assert.equal(await db.schema.hasTable("abandoned"), false);
    });
  });

  test("a failing bookkeeping write rolls the transaction back", async () => {
    await withDatabase("postgres", async (db, test) => {
      await createLedger(db);
      await db.execute("insert into ledger (entry) values ('taken')");
      await assert.rejects(
        db.transaction(async () => {
          await db.schema.create("orphan", (t) => void t.increments("id"));
          db.writeOnCommit("insert into ledger (entry) values ('taken')");
        }),
        QueryError,
      );
      assert.equal(db.inTransaction, false);
      assert.equal(await db.schema.hasTable("orphan"), false, "the table went with the failed write");
      assert.equal(await committedCount(test, "ledger"), 1);
    });
  });

  test("the write alone commits when nothing else ran", async () => {
    await withDatabase("postgres", async (db, test) => {
      await createLedger(db);
      await db.transaction(async () => {
        db.writeOnCommit("insert into ledger (entry) values ('alone')");
      });
      assert.equal(await committedCount(test, "ledger"), 1);
    });
  });
});
