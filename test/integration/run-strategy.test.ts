import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { resolveConnection } from "../../src/config/resolve-connection.js";
import { dialectFor } from "../../src/dialect/connect.js";
import { Database } from "../../src/dialect/database.js";
import type { StepWork } from "../../src/dialect/dialect.js";
import { InvalidSchemaError } from "../../src/errors.js";
import { DIALECTS, createTestDatabase, type TestDatabase } from "../support/databases.js";

/**
 * Each dialect's run strategy, driven directly against the real server: what a run does
 * around one migration (transactions, foreign-key checks, bookkeeping in the same round
 * trip). The driver is wrapped to list every text sent, so the round trips are asserted.
 */

interface Counted {
  readonly db: Database;
  /** Every text sent to the server, in order. */
  readonly sent: string[];
}

async function withCountedDatabase(dialectName: (typeof DIALECTS)[number], fn: (counted: Counted, test: TestDatabase) => Promise<void>): Promise<void> {
  const test = await createTestDatabase(dialectName);
  const dialect = dialectFor(dialectName);
  const settings = resolveConnection(test.config);
  const driver = await dialect.connect(settings);
  const sent: string[] = [];
  const db = new Database(dialect, { run: (sql, parameters) => (sent.push(sql), driver.run(sql, parameters)), close: () => driver.close() }, settings);
  try {
    await fn({ db, sent }, test);
  } finally {
    await db.close();
    await test.drop();
  }
}

async function createLedger(db: Database): Promise<void> {
  await db.schema.create("ledger", (t) => {
    t.increments("id");
    t.string("entry");
  });
}

async function entries(db: Database): Promise<string[]> {
  return (await db.read<{ entry: string }>("select entry from ledger order by id")).map((r) => r.entry);
}

/** A step whose tracking write is a ledger row, on the run's connection. */
function ledgerStep(db: Database, run: () => Promise<void>, entry = "recorded"): StepWork {
  const statement = `insert into ledger (entry) values ('${entry}')`;
  return { run, record: async () => void (await db.executeInternal(statement)), recordStatement: () => statement, onRunConnection: true };
}

for (const dialect of DIALECTS) {
  describe(`run strategy (${dialect})`, () => {
    const strategy = dialectFor(dialect).runStrategy;

    test("a migration runs in a transaction with its tracking row only where DDL rolls back and it allows it", () => {
      assert.equal(strategy.runsInTransaction({ transaction: true }), dialect !== "mysql");
      assert.equal(strategy.runsInTransaction({}), dialect !== "mysql");
      assert.equal(strategy.runsInTransaction({ transaction: false }), false);
    });

    if (dialect !== "mysql") {
      test("the migration and its tracking write commit together, or neither does", async () => {
        await withCountedDatabase(dialect, async ({ db }) => {
          await createLedger(db);
          await strategy.runInTransaction(db, ledgerStep(db, () => db.schema.create("kept", (t) => { t.increments("id"); })), false);
          assert.deepEqual(await entries(db), ["recorded"]);
          assert.equal(await db.schema.hasTable("kept"), true);
          const failing = ledgerStep(db, async () => {
            await db.schema.create("undone", (t) => { t.increments("id"); });
            throw new Error("up() failed half-way");
          }, "never");
          await assert.rejects(strategy.runInTransaction(db, failing, false), /half-way/);
          assert.equal(await db.schema.hasTable("undone"), false, "the table the failed migration made is rolled back");
          assert.deepEqual(await entries(db), ["recorded"], "no tracking write for the failed migration");
          assert.equal(db.inTransaction, false);
        });
      });
    }

    test("a batch shares one transaction only where the strategy says so, and only when every migration allows it", async () => {
      await withCountedDatabase(dialect, async ({ db }) => {
        const shared: boolean[] = [];
        const seen = async (sharedTransaction: boolean) => {
          shared.push(sharedTransaction);
          assert.equal(db.inTransaction, sharedTransaction, "the batch's transaction is open exactly when it says it shares one");
        };
        await strategy.runBatch(db, [{ transaction: true }, { transaction: true }], seen);
        await strategy.runBatch(db, [{ transaction: true }, { transaction: false }], seen);
        await strategy.runBatch(db, [{ transaction: true }, { connection: "other" }], seen);
        await strategy.runBatch(db, [{ transaction: true }], seen);
        assert.deepEqual(shared, [dialect === "sqlite", false, false, false]);
        assert.equal(db.inTransaction, false);
      });
    });
  });
}

if (DIALECTS.includes("postgres")) {
  describe("run strategy (postgres round trips)", () => {
    test("BEGIN travels with the first statement and the tracking write with COMMIT: two round trips for a one-statement migration", async () => {
      await withCountedDatabase("postgres", async ({ db, sent }) => {
        await createLedger(db);
        sent.length = 0;
        const strategy = dialectFor("postgres").runStrategy;
        await strategy.runInTransaction(db, ledgerStep(db, async () => void (await db.execute("create table made (id integer)"))), false);
        assert.deepEqual(sent, ["BEGIN;\ncreate table made (id integer)", "insert into ledger (entry) values ('recorded');\nCOMMIT"]);
        assert.deepEqual(await entries(db), ["recorded"]);
      });
    });
  });
}

if (DIALECTS.includes("mysql")) {
  describe("run strategy (mysql bookkeeping)", () => {
    const strategy = dialectFor("mysql").runStrategy;

    test("bookkeeping before a statement travels in the statement's round trip; a bound statement's goes apart", async () => {
      await withCountedDatabase("mysql", async ({ db, sent }) => {
        await createLedger(db);
        sent.length = 0;
        const after: string[] = [];
        const hooks = {
          before: (sql: string) => `insert into ledger (entry) values (${db.grammar.quoteString(`before ${sql.slice(0, 6)}`)})`,
          after: async (sql: string) => void after.push(sql),
        };
        await db.withStatementHooks(hooks, async () => {
          await db.execute("create table made (id int)");
          await db.execute("insert into made (id) values (?)", [1]);
        });
        assert.deepEqual(sent, [
          "insert into ledger (entry) values ('before create');\ncreate table made (id int)",
          "insert into ledger (entry) values ('before insert')",
          "insert into made (id) values (?)",
        ]);
        assert.deepEqual(after, ["create table made (id int)", "insert into made (id) values (?)"]);
        assert.deepEqual(await entries(db), ["before create", "before insert"]);
        sent.length = 0;
        await db.execute("insert into made (id) values (2)");
        assert.deepEqual(sent, ["insert into made (id) values (2)"], "the hooks end with the migration they were installed for");
      });
    });

    test("after a rolled-back transaction, only what ran after the last implicit commit is undone", () => {
      const ran = ["insert into a values (1)", "create table b (id int)", "insert into b values (1)", "update a set x = 1"];
      assert.equal(strategy.keptAfterRollback(ran, 0), 2, "the create committed itself and the insert before it");
      assert.equal(strategy.keptAfterRollback(ran, 2), 2, "nothing committed since the transaction began");
      assert.equal(dialectFor("postgres").runStrategy.keptAfterRollback(ran, 1), 1, "transactional DDL: all of it is undone");
    });
  });
}

if (DIALECTS.includes("sqlite")) {
  describe("run strategy (sqlite foreign keys)", () => {
    const strategy = dialectFor("sqlite").runStrategy;

    async function parentAndChild(db: Database): Promise<void> {
      await db.schema.create("parents", (t) => { t.increments("id"); });
      await db.schema.create("children", (t) => {
        t.increments("id");
        t.integer("parent_id");
        t.foreign("parent_id").references("id").on("parents");
      });
      await db.execute("insert into parents (id) values (1)");
      await db.execute("insert into children (parent_id) values (1)");
      await createLedger(db);
    }

    test("raw SQL that orphans a row fails the migration before commit, and the rows stay", async () => {
      await withCountedDatabase("sqlite", async ({ db }) => {
        await parentAndChild(db);
        const orphaning = ledgerStep(db, async () => void (await db.execute("delete from parents")));
        await assert.rejects(strategy.runInTransaction(db, orphaning, false), /FOREIGN KEY constraint failed: "children" row 1 has no matching row in "parents"/);
        assert.equal((await db.read("select id from parents")).length, 1, "the parent row is back");
        assert.deepEqual(await entries(db), [], "not recorded");
        assert.equal(Number((await db.read<{ foreign_keys: number }>("pragma foreign_keys"))[0]!.foreign_keys), 1, "enforcement is switched back on");
      });
    });

    test("dropping a parent table in a shared batch transaction is caught by its savepoint's check", async () => {
      await withCountedDatabase("sqlite", async ({ db }) => {
        await parentAndChild(db);
        await assert.rejects(
          strategy.runBatch(db, [{}, {}], async (sharedTransaction) => {
            assert.equal(sharedTransaction, true);
            await strategy.runInTransaction(db, ledgerStep(db, () => db.schema.drop("parents")), sharedTransaction);
          }),
          /FOREIGN KEY constraint failed/,
        );
        assert.equal(await db.schema.hasTable("parents"), true);
        assert.deepEqual(await entries(db), []);
      });
    });

    test("a key to a table that does not exist fails the migration, naming both tables", async () => {
      await withCountedDatabase("sqlite", async ({ db }) => {
        await createLedger(db);
        const ghostly = ledgerStep(db, () =>
          db.schema.create("pets", (t) => {
            t.increments("id");
            t.integer("owner_id");
            t.foreign("owner_id").references("id").on("ghosts");
          }),
        );
        await assert.rejects(strategy.runInTransaction(db, ghostly, false), (error: unknown) => {
          assert.ok(error instanceof InvalidSchemaError);
          assert.match(error.message, /a foreign key on table "pets" references table "ghosts", which does not exist/);
          return true;
        });
        assert.equal(await db.schema.hasTable("pets"), false);
      });
    });

    test("changes outside a migration are not checked by the next one", async () => {
      await withCountedDatabase("sqlite", async ({ db }) => {
        await parentAndChild(db);
        await db.execute("pragma foreign_keys = off");
        await db.execute("delete from parents");
        await db.execute("pragma foreign_keys = on");
        // An orphan an unrelated earlier change left: a migration that only creates a table does not fail on it.
        await strategy.runInTransaction(db, ledgerStep(db, () => db.schema.create("other", (t) => { t.increments("id"); })), false);
        assert.deepEqual(await entries(db), ["recorded"]);
      });
    });
  });
}
