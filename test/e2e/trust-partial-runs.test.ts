import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { connect } from "../../src/dialect/connect.js";
import type { Database } from "../../src/dialect/database.js";
import type { ConnectionConfig } from "../../src/dialect/dialect.js";
import { createTestDatabase, DIALECTS, dropTableIfExists, tablesOf, type TestDatabase, withConnection } from "../support/databases.js";
import { createProject, type TempProject } from "../support/project.js";

// Spec §6: a statement that failed where DDL is not transactional (MySQL, or
// `static transaction = false`) may have changed the database: the migration is recorded
// Failed with that statement marked "may have partly run", never forgotten. And a run
// never deletes or settles a tracking row it did not write.

const DIR = "databases/migrations";

interface TrackingRow {
  migration: string;
  batch: number;
  status: string;
  statements: string | null;
}

function trackingRows(config: ConnectionConfig): Promise<TrackingRow[]> {
  return withConnection(config, async (db) => {
    const q = (n: string) => db.grammar.quoteIdentifier(n);
    const rows = await db.read(`select ${q("migration")}, ${q("batch")}, ${q("status")}, ${q("statements")} from ${q("migrations")} order by ${q("id")}`);
    return rows.map((r) => ({
      migration: String(r.migration),
      batch: Number(r.batch),
      status: String(r.status),
      statements: r.statements == null ? null : String(r.statements),
    }));
  });
}

for (const dialect of DIALECTS) {
  // MySQL commits DDL as it goes; elsewhere the migration opts out of its transaction.
  const optOut = dialect === "mysql" ? "" : "\n  static transaction = false;";
  const rawMigration = (className: string, up: string) => `import { Migration } from "mortar";
export default class ${className} extends Migration {${optOut}
  async up() {
    ${up}
  }
  async down() {}
}
`;

  describe(`half-run statements on ${dialect}`, () => {
    let database: TestDatabase;
    let project: TempProject;
    const mortar = (...args: string[]) => project.mortar(args, database.env);

    before(async () => {
      database = await createTestDatabase(dialect);
      project = createProject("module");
      project.write(
        `${DIR}/2026_02_01_000001_create_keep_tables.ts`,
        `import { Migration } from "mortar";
export default class CreateKeepTables extends Migration {
  async up() {
    await this.schema.create("keep1", (t) => { t.increments("id"); });
  }
  async down() { await this.schema.drop("keep1"); }
}
`,
      );
      const first = await mortar("migrate");
      assert.equal(first.code, 0, first.stderr);
    });

    after(async () => {
      project?.cleanup();
      await database?.drop();
    });

    if (dialect !== "sqlite") {
      // SQLite's DROP TABLE takes one table: the statement cannot start there.
      test("a multi-table DROP that fails is recorded Failed with the statement; migrate refuses naming it; --applied settles it", async () => {
        const name = "2026_02_01_000002_drop_keep_and_missing";
        const statement = "drop table keep1, missing_table";
        project.write(`${DIR}/${name}.ts`, rawMigration("DropKeepAndMissing", `await this.db.execute(${JSON.stringify(statement)});`));

        const run = await mortar("migrate");
        assert.equal(run.code, 1, run.stdout + run.stderr);
        assert.match(run.stderr, new RegExp(`${name}\\.ts`));
        if (dialect === "mysql") assert.ok(!(await tablesOf(database.config)).includes("keep1"), "MySQL dropped keep1 before failing on the missing table");

        const row = (await trackingRows(database.config)).find((r) => r.migration === name);
        assert.equal(row?.status, "failed", "the half-run migration is never forgotten");
        assert.match(row?.statements ?? "", /drop table keep1, missing_table/);

        const status = await mortar("migrate:status");
        assert.equal(status.code, 0, status.stderr);
        assert.match(status.stdout, new RegExp(`${name} \\.+ \\[2\\] Failed[^\\n]*\\n\\s+may have partly run: ${statement}`));
        const json = JSON.parse((await mortar("migrate:status", "--json")).stdout) as { migrations: { name: string; status: string; mayHavePartlyRun?: string }[] };
        const { executedAt, durationMs, ...failedRow } = json.migrations.find((m) => m.name === name) as Record<string, unknown>;
        assert.deepEqual(failedRow, { name, status: "failed", batch: 2, mayHavePartlyRun: statement });
        assert.match(String(executedAt), /^\d{4}-\d\d-\d\dT/, "a failed migration still says when it ran");
        assert.equal(durationMs, null, "a failed migration has no duration");

        const refused = await mortar("migrate");
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, new RegExp(`${name} did not finish \\(failed: .*\\); statements that ran: none\\s+may have partly run: ${statement}`, "s"));
        assert.match(refused.stderr, new RegExp(`migrate:resolve ${name} --applied`));

        const resolved = await mortar("migrate:resolve", name, "--applied");
        assert.equal(resolved.code, 0, resolved.stderr);
        const after = JSON.parse((await mortar("migrate:status", "--json")).stdout) as { migrations: { name: string; status: string }[] };
        assert.equal(after.migrations.find((m) => m.name === name)?.status, "ran");
        const again = await mortar("migrate");
        assert.equal(again.code, 0, again.stderr);
        assert.match(again.stdout, /Nothing to migrate/);
        // Leave the database as the next test expects it.
        project.remove(`${DIR}/${name}.ts`);
        await withRaw(database.config, async (db, q) => {
          await db.executeInternal(`delete from ${q("migrations")} where ${q("migration")} = '${name}'`);
        });
        const recreate = await connect(database.config);
        try {
          if (!(await recreate.schema.hasTable("keep1"))) await recreate.schema.create("keep1", (t) => {
            t.increments("id");
          });
        } finally {
          await recreate.close();
        }
      });
    }

    test("a multi-statement execute whose second statement fails is recorded Failed; --rolled-back settles it and the fixed file runs", async () => {
      const name = "2026_02_01_000003_two_statements";
      const statement = "create table part_a (id int); create table part_b (id int, id int)";
      project.write(`${DIR}/${name}.ts`, rawMigration("TwoStatements", `await this.db.execute(${JSON.stringify(statement)});`));

      const run = await mortar("migrate");
      assert.equal(run.code, 1, run.stdout + run.stderr);
      const row = (await trackingRows(database.config)).find((r) => r.migration === name);
      assert.equal(row?.status, "failed", `a failed first statement is still recorded (got ${JSON.stringify(row)})`);

      const refused = await mortar("migrate");
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, new RegExp(`${name} did not finish .*may have partly run: create table part_a \\(id int\\); create table part_b`, "s"));

      // The user undoes what did run, then says so.
      await dropTableIfExists(database.config, "part_a");
      const resolved = await mortar("migrate:resolve", name, "--rolled-back");
      assert.equal(resolved.code, 0, resolved.stderr);
      assert.ok(!(await trackingRows(database.config)).some((r) => r.migration === name));

      project.write(`${DIR}/${name}.ts`, rawMigration("TwoStatements", `await this.db.execute("create table part_a (id int)");`));
      const fixed = await mortar("migrate");
      assert.equal(fixed.code, 0, fixed.stderr);
      assert.ok((await tablesOf(database.config)).includes("part_a"));
      assert.equal((await trackingRows(database.config)).find((r) => r.migration === name)?.status, "ran");
    });

    test("a migration's own rolled-back transaction is never listed as run, and never takes the tracking row with it", async () => {
      const base = "2026_02_01_000005_create_tx_base";
      const inner = "2026_02_01_000006_inner_rollback_then_insert";
      project.write(`${DIR}/${base}.ts`, rawMigration("CreateTxBase", `await this.db.execute("create table tx_base (id int)");`));
      // Its first statement (and so the tracking row's first write) is inside a transaction it rolls back.
      project.write(
        `${DIR}/${inner}.ts`,
        rawMigration(
          "InnerRollback",
          `try {
      await this.db.transaction(async () => {
        await this.db.execute("insert into tx_base (id) values (1)");
        throw new Error("inner rollback");
      });
    } catch {}
    await this.db.execute("insert into tx_base (id) values (2)");`,
        ),
      );
      const run = await mortar("migrate");
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const rows = await trackingRows(database.config);
      assert.equal(rows.find((r) => r.migration === inner)?.status, "ran", `still recorded after its own rollback: ${JSON.stringify(rows)}`);
      const ids = async () =>
        (await withRawRead(database.config, "select id from tx_base order by id")).map((r) => Number(r.id));
      assert.deepEqual(await ids(), [2]);

      const failing = "2026_02_01_000007_insert_rollback_then_fail";
      project.write(
        `${DIR}/${failing}.ts`,
        rawMigration(
          "InsertRollbackThenFail",
          `await this.db.execute("insert into tx_base (id) values (3)");
    try {
      await this.db.transaction(async () => {
        await this.db.execute("insert into tx_base (id) values (4)");
        throw new Error("inner rollback");
      });
    } catch {}
    await this.db.execute("insert into no_such_table (id) values (5)");`,
        ),
      );
      const failed = await mortar("migrate");
      assert.equal(failed.code, 1, failed.stdout + failed.stderr);
      assert.deepEqual(await ids(), [2, 3]);
      const refused = await mortar("migrate");
      assert.equal(refused.code, 1);
      // The failed insert is one statement the database rejected: it changed nothing, so it is not "may have partly run".
      assert.match(refused.stderr, /statements that ran:\s+insert into tx_base \(id\) values \(3\)\n/);
      assert.doesNotMatch(refused.stderr, /may have partly run/);
      assert.doesNotMatch(refused.stderr, /values \(4\)/, "a rolled-back statement is never listed");
      const resolved = await mortar("migrate:resolve", failing, "--applied");
      assert.equal(resolved.code, 0, resolved.stderr);
    });

    test("the losing side of a unique-key race never deletes nor settles the winner's tracking row", async () => {
      const name = "2026_02_01_000004_create_race_table";
      // Between planning and its first statement, another run (here: a connection of its
      // own) records the same migration: the loser's own first write fails on the key.
      const connection = JSON.stringify(database.config);
      project.write(
        `${DIR}/${name}.ts`,
        `import { Migration, connect } from "mortar";
export default class CreateRaceTable extends Migration {${optOut}
  async up() {
    const winner = await connect(${connection});
    const q = (n) => winner.grammar.quoteIdentifier(n);
    await winner.execute(\`insert into \${q("migrations")} (\${q("migration")}, \${q("batch")}, \${q("status")}) values ('${name}', 99, 'ran')\`);
    await winner.close();
    await this.db.execute("create table race_t (id int)");
  }
  async down() {}
}
`,
      );
      const run = await mortar("migrate");
      assert.equal(run.code, 1, run.stdout + run.stderr);
      const row = (await trackingRows(database.config)).find((r) => r.migration === name);
      assert.deepEqual(
        row && { batch: row.batch, status: row.status, statements: row.statements },
        { batch: 99, status: "ran", statements: null },
        "the winner's row is kept exactly as the winner wrote it",
      );
      assert.ok(!(await tablesOf(database.config)).includes("race_t"), "the loser's statement never ran");
    });
  });
}

function withRaw(config: ConnectionConfig, fn: (db: Database, q: (n: string) => string) => Promise<void>): Promise<void> {
  return withConnection(config, (db) => fn(db, (n) => db.grammar.quoteIdentifier(n)));
}

function withRawRead(config: ConnectionConfig, sql: string): Promise<Record<string, unknown>[]> {
  return withConnection(config, (db) => db.read(sql));
}
