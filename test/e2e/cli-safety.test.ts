import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Database } from "../../src/dialect/database.js";
import type { DialectName } from "../../src/dialect/dialect.js";
import { createTestDatabase, DIALECTS, type TestDatabase, withConnection } from "../support/databases.js";
import { createProject, type RunOutput, type TempProject } from "../support/project.js";

/*
 * "Safe runs" through the real `mortar` binary: checksum states (Modified, Missing,
 * line endings and BOM ignored), migrate:validate, migrate:resolve, --pretend on every
 * command that changes the database, and the production guard on migrate:resolve.
 * One project and one database per dialect; the tests of a dialect build on each other.
 */

const DIR = "databases/migrations";

/** A migration that creates one table (`id`, `name`) and drops it on the way down. */
function createTableMigration(className: string, table: string): string {
  return `import { Migration } from "mortar";
export default class ${className} extends Migration {
  async up() {
    await this.schema.create("${table}", (t) => {
      t.increments("id");
      t.string("name");
    });
  }

  async down() {
    await this.schema.drop("${table}");
  }
}
`;
}

/**
 * A migration that stops part-way: MySQL commits its DDL as it goes anyway; on
 * PostgreSQL and SQLite `static transaction = false` gives the same half-made state.
 */
function halfMadeMigration(dialect: DialectName): string {
  return `import { Migration } from "mortar";
export default class CreateHalfTable extends Migration {
${dialect === "mysql" ? "" : "  static transaction = false;\n"}
  async up() {
    await this.schema.create("half", (t) => { t.increments("id"); });
    throw new Error("boom on purpose");
  }

  async down() {
    await this.schema.drop("half");
  }
}
`;
}

/** Creates `half_two`, then `collide`, which the test created by hand first: fails part-way. */
function collidingMigration(dialect: DialectName): string {
  return `import { Migration } from "mortar";
export default class CreateHalfTwoTable extends Migration {
${dialect === "mysql" ? "" : "  static transaction = false;\n"}
  async up() {
    await this.schema.create("half_two", (t) => { t.increments("id"); });
    await this.schema.create("collide", (t) => { t.increments("id"); });
  }

  async down() {
    await this.schema.drop("collide");
    await this.schema.drop("half_two");
  }
}
`;
}

const NAMES = {
  early: "2026_01_15_000000_create_early_table",
  alpha: "2026_02_01_000001_create_alpha_table",
  beta: "2026_02_01_000002_create_beta_table",
  gamma: "2026_02_01_000003_create_gamma_table",
  half: "2026_02_01_000005_create_half_table",
  pretended: "2026_03_01_000000_create_pretended_table",
  halfTwo: "2026_04_01_000000_create_half_two_table",
} as const;

const file = (name: string) => `${DIR}/${name}.ts`;

interface Snapshot {
  tables: string[];
  columns: Record<string, string[]>;
  /** Every tracking row, every column, as text. */
  tracking: string[];
}

interface TrackingRow {
  migration: string;
  batch: number;
  status: string;
}

interface StatusDoc {
  migrations: { name: string; status: string; batch: number | null }[];
}

interface PretendDoc {
  batch: number | null;
  migrations: { name: string; status: string; durationMs: number; statements?: string[] }[];
  error?: unknown;
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString("hex");
  return String(value);
}

/** Tables, their columns and every column of every tracking row, read back from the database. */
function snapshot(database: TestDatabase): Promise<Snapshot> {
  return withConnection(database.config, async (db) => {
    const tables = [...(await db.schema.getTables())].sort();
    const columns: Record<string, string[]> = {};
    for (const t of tables) columns[t] = (await db.schema.getColumns(t)).map((c) => c.name);
    const g = db.grammar;
    const tracking = tables.includes("migrations")
      ? (await db.query<Record<string, unknown>>(`select * from ${g.quoteIdentifier("migrations")} order by ${g.quoteIdentifier("id")}`)).map((row) =>
          JSON.stringify(Object.keys(row).sort().map((k) => [k, text(row[k])])),
        )
      : [];
    return { tables, columns, tracking };
  });
}

function trackingRows(database: TestDatabase): Promise<TrackingRow[]> {
  return withConnection(database.config, async (db) => {
    const g = db.grammar;
    const rows = await db.query<Record<string, unknown>>(
      `select ${g.columnList(["migration", "batch", "status"])} from ${g.quoteIdentifier("migrations")} order by ${g.quoteIdentifier("id")}`,
    );
    return rows.map((r) => ({ migration: String(r.migration), batch: Number(r.batch), status: String(r.status ?? "ran") }));
  });
}

function statusOf(run: RunOutput): [string, string, number | null][] {
  assert.equal(run.code, 0, run.stderr);
  return (JSON.parse(run.stdout) as StatusDoc).migrations.map((m) => [m.name, m.status, m.batch]);
}

/** Assert that `--json` printed exactly one JSON document and return it. */
function jsonDocument<T>(run: RunOutput): T {
  const lines = run.stdout.trim().split("\n");
  assert.equal(lines.length, 1, `one JSON document, got:\n${run.stdout}`);
  return JSON.parse(lines[0]!) as T;
}

for (const dialect of DIALECTS) {
  describe(`safe runs through the mortar binary on ${dialect}`, () => {
    let project: TempProject;
    let database: TestDatabase;
    const mortar = (...args: string[]) => project.mortar(args, database.env);
    const production = (...args: string[]) => project.mortar(args, { ...database.env, NODE_ENV: "production" });
    const q = (name: string) => (dialect === "mysql" ? `\`${name}\`` : `"${name}"`);
    const createOf = (table: string) => `create table ${q(table)}`;
    const dropOf = (table: string) => `drop table ${q(table)}`;
    const byHand = (fn: (db: Database) => Promise<void>) => withConnection(database.config, fn);

    before(async () => {
      database = await createTestDatabase(dialect);
      project = createProject("module");
      project.write(file(NAMES.alpha), createTableMigration("CreateAlphaTable", "alpha"));
      project.write(file(NAMES.beta), createTableMigration("CreateBetaTable", "beta"));
      project.write(file(NAMES.gamma), createTableMigration("CreateGammaTable", "gamma"));
    });
    after(async () => {
      project?.cleanup();
      await database?.drop();
    });

    test("migrate:validate exits 0 with an OK line when the history and the files agree", async () => {
      const run = await mortar("migrate", "--step");
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(
        (await trackingRows(database)).map((r) => [r.migration, r.batch, r.status]),
        [
          [NAMES.alpha, 1, "ran"],
          [NAMES.beta, 2, "ran"],
          [NAMES.gamma, 3, "ran"],
        ],
      );
      const ok = await mortar("migrate:validate");
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /^\s*OK\b.*$/m);
      assert.doesNotMatch(ok.stderr, /INVALID/);
      const json = await mortar("migrate:validate", "--json");
      assert.equal(json.code, 0, json.stderr);
      assert.deepEqual(jsonDocument(json), { valid: true, problems: [], warnings: [] });
    });

    describe("--pretend changes nothing", () => {
      let baseline: Snapshot;

      test("set-up: a pending migration and a table made by hand", async () => {
        project.write(file(NAMES.pretended), createTableMigration("CreatePretendedTable", "pretended"));
        await byHand((db) => db.schema.create("stray", (t) => void t.increments("id")));
        baseline = await snapshot(database);
        assert.deepEqual(baseline.tables, ["alpha", "beta", "gamma", "migrations", "stray"]);
        assert.equal(baseline.tracking.length, 3);
      });

      test("migrate --pretend prints the pending migration's SQL", async () => {
        const run = await mortar("migrate", "--pretend");
        assert.equal(run.code, 0, run.stderr);
        assert.ok(run.stdout.includes(NAMES.pretended), run.stdout);
        assert.ok(run.stdout.includes(createOf("pretended")), run.stdout);
        assert.ok(!run.stdout.includes(createOf("alpha")), "a migration that ran is not shown again");
        assert.ok(!run.stdout.includes(dialect === "mysql" ? '"pretended"' : "`pretended`"), "the other dialect's quoting");
        assert.deepEqual(await snapshot(database), baseline);
      });

      test("migrate --pretend --json prints one document with statements per migration", async () => {
        const run = await mortar("migrate", "--pretend", "--json");
        assert.equal(run.code, 0, run.stderr);
        const doc = jsonDocument<PretendDoc>(run);
        assert.equal(doc.error, undefined);
        assert.deepEqual(doc.migrations.map((m) => [m.name, m.status]), [[NAMES.pretended, "pretend"]]);
        const statements = doc.migrations[0]!.statements;
        assert.ok(Array.isArray(statements), JSON.stringify(doc));
        assert.ok(statements.some((s) => s.startsWith(createOf("pretended"))), JSON.stringify(statements));
        assert.deepEqual(await snapshot(database), baseline);
      });

      test("migrate:rollback --pretend prints the drop of the last batch only", async () => {
        const run = await mortar("migrate:rollback", "--pretend");
        assert.equal(run.code, 0, run.stderr);
        assert.ok(run.stdout.includes(NAMES.gamma), run.stdout);
        assert.ok(run.stdout.includes(dropOf("gamma")), run.stdout);
        assert.ok(!run.stdout.includes(dropOf("beta")), run.stdout);
        assert.ok(!run.stdout.includes(dropOf("alpha")), run.stdout);
        assert.deepEqual(await snapshot(database), baseline);
      });

      test("migrate:rollback --pretend --json gives the statements per migration", async () => {
        const run = await mortar("migrate:rollback", "--pretend", "--json", "--step", "2");
        assert.equal(run.code, 0, run.stderr);
        const doc = jsonDocument<PretendDoc>(run);
        assert.deepEqual(
          doc.migrations.map((m) => [m.name, m.status, m.statements]),
          [
            [NAMES.gamma, "pretend", [dropOf("gamma")]],
            [NAMES.beta, "pretend", [dropOf("beta")]],
          ],
        );
        assert.deepEqual(await snapshot(database), baseline);
      });

      test("migrate:reset --pretend prints the drop of every applied migration, newest first", async () => {
        const run = await mortar("migrate:reset", "--pretend");
        assert.equal(run.code, 0, run.stderr);
        const at = ["gamma", "beta", "alpha"].map((t) => run.stdout.indexOf(dropOf(t)));
        assert.ok(at.every((i) => i >= 0), run.stdout);
        assert.deepEqual([...at].sort((a, b) => a - b), at, "rollback order: batch descending");
        assert.ok(!run.stdout.includes(createOf("pretended")), run.stdout);
        assert.deepEqual(await snapshot(database), baseline);
      });

      test("migrate:refresh --pretend prints the drops, then every migration's create", async () => {
        const run = await mortar("migrate:refresh", "--pretend");
        assert.equal(run.code, 0, run.stderr);
        for (const t of ["gamma", "beta", "alpha"]) assert.ok(run.stdout.includes(dropOf(t)), `${dropOf(t)} in:\n${run.stdout}`);
        for (const t of ["alpha", "beta", "gamma", "pretended"]) {
          assert.ok(run.stdout.includes(createOf(t)), `${createOf(t)} in:\n${run.stdout}`);
        }
        assert.ok(run.stdout.indexOf(dropOf("alpha")) < run.stdout.indexOf(createOf("alpha")), "drops come first");
        assert.deepEqual(await snapshot(database), baseline);
      });

      test("migrate:fresh --pretend prints the drop of every existing table, then every migration's create", async () => {
        const run = await mortar("migrate:fresh", "--pretend");
        assert.equal(run.code, 0, run.stderr);
        const drops = run.stdout.split("\n").filter((line) => /drop table/i.test(line));
        assert.ok(drops.length > 0, run.stdout);
        for (const t of baseline.tables) assert.ok(drops.some((line) => line.includes(q(t))), `${q(t)} dropped in:\n${run.stdout}`);
        for (const t of ["alpha", "beta", "gamma", "pretended"]) {
          assert.ok(run.stdout.includes(createOf(t)), `${createOf(t)} in:\n${run.stdout}`);
        }
        assert.deepEqual(await snapshot(database), baseline);
      });

      test("clean-up: the table made by hand goes", async () => {
        await byHand((db) => db.schema.drop("stray"));
      });
    });

    test("line endings (LF to CRLF) and a UTF-8 BOM do not count as a modification", async () => {
      const alpha = join(project.dir, file(NAMES.alpha));
      const beta = join(project.dir, file(NAMES.beta));
      writeFileSync(alpha, readFileSync(alpha, "utf8").replace(/\n/g, "\r\n"));
      writeFileSync(beta, `\uFEFF${readFileSync(beta, "utf8")}`);
      assert.ok(readFileSync(alpha, "utf8").includes("\r\n"));
      assert.deepEqual(statusOf(await mortar("migrate:status", "--json")), [
        [NAMES.alpha, "ran", 1],
        [NAMES.beta, "ran", 2],
        [NAMES.gamma, "ran", 3],
        [NAMES.pretended, "pending", null],
      ]);
      const validate = await mortar("migrate:validate");
      assert.equal(validate.code, 0, validate.stderr);
    });

    test("an edited migration shows as Modified and a deleted one as Missing, with their batches", async () => {
      // A real edit (a column renamed): comments and formatting alone no longer count (canonical checksums).
      project.write(file(NAMES.alpha), createTableMigration("CreateAlphaTable", "alpha").replace('t.string("name")', 't.string("title")'));
      project.remove(file(NAMES.beta));
      const run = await mortar("migrate:status");
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`${NAMES.alpha} \\.+ \\[1\\] Modified`));
      assert.match(run.stdout, new RegExp(`${NAMES.beta} \\.+ \\[2\\] Missing`));
      assert.match(run.stdout, new RegExp(`${NAMES.gamma} \\.+ \\[3\\] Ran`));
      assert.match(run.stdout, new RegExp(`${NAMES.pretended} \\.+ Pending`));
      assert.deepEqual(statusOf(await mortar("migrate:status", "--json")), [
        [NAMES.alpha, "modified", 1],
        [NAMES.beta, "missing", 2],
        [NAMES.gamma, "ran", 3],
        [NAMES.pretended, "pending", null],
      ]);
    });

    test("migrate warns about modified and missing migrations, exits 0 and runs the pending one", async () => {
      const run = await mortar("migrate");
      assert.equal(run.code, 0, run.stderr);
      const warnings = run.stderr.split("\n").filter((line) => /\bWARN\b/.test(line));
      assert.ok(warnings.some((line) => line.includes(NAMES.alpha) && /changed|modified/i.test(line)), run.stderr);
      assert.ok(warnings.some((line) => line.includes(NAMES.beta) && /missing/i.test(line)), run.stderr);
      assert.ok(!warnings.some((line) => line.includes(NAMES.gamma)), run.stderr);
      assert.match(run.stdout, new RegExp(`${NAMES.pretended} \\.+ \\d+ms DONE`));
      assert.deepEqual((await trackingRows(database)).at(-1), { migration: NAMES.pretended, batch: 4, status: "ran" });
      assert.ok((await snapshot(database)).tables.includes("pretended"));
    });

    test("a rollback that reaches a migration whose file is missing is refused before anything runs", async () => {
      const baseline = await snapshot(database);
      // The last two batches: pretended (batch 4, its file is there) and gamma (batch 3)
      // would roll back fine; beta (batch 2) has no file.
      const step = await mortar("migrate:rollback", "--step", "3");
      assert.equal(step.code, 1, step.stderr);
      assert.ok(step.stderr.includes(NAMES.beta), step.stderr);
      assert.match(step.stderr, /missing/i);
      assert.doesNotMatch(step.stdout, /DONE/);
      assert.deepEqual(await snapshot(database), baseline);
      const named = await mortar("migrate:rollback", "--migration", NAMES.beta);
      assert.equal(named.code, 1, named.stderr);
      assert.ok(named.stderr.includes(NAMES.beta), named.stderr);
      assert.match(named.stderr, /missing/i);
      assert.deepEqual(await snapshot(database), baseline);
      const reset = await mortar("migrate:reset");
      assert.equal(reset.code, 1, reset.stderr);
      assert.ok(reset.stderr.includes(NAMES.beta), reset.stderr);
      assert.deepEqual(await snapshot(database), baseline);
    });

    test("migrate:validate exits 1 with a line per modified, missing, failed and out-of-order migration", async () => {
      project.write(file(NAMES.half), halfMadeMigration(dialect));
      const failed = await mortar("migrate");
      assert.equal(failed.code, 1, failed.stderr);
      assert.match(failed.stderr, /boom on purpose/);
      assert.ok((await snapshot(database)).tables.includes("half"), "the run stopped part-way, its first table stays");
      assert.deepEqual((await trackingRows(database)).at(-1), { migration: NAMES.half, batch: 5, status: "failed" });
      project.write(file(NAMES.early), createTableMigration("CreateEarlyTable", "early"));

      const run = await mortar("migrate:validate");
      assert.equal(run.code, 1, run.stderr);
      const lines = `${run.stdout}\n${run.stderr}`.split("\n").filter((line) => /INVALID/.test(line));
      assert.equal(lines.length, 4, `${run.stdout}\n${run.stderr}`);
      const lineFor = (name: string) => lines.find((line) => line.includes(name)) ?? assert.fail(`no line for ${name}:\n${run.stderr}`);
      assert.match(lineFor(NAMES.alpha), /changed/);
      assert.match(lineFor(NAMES.beta), /missing/);
      assert.match(lineFor(NAMES.half), /did not finish|failed/);
      assert.match(lineFor(NAMES.early), /sorts before/);

      const json = await mortar("migrate:validate", "--json");
      assert.equal(json.code, 1, json.stderr);
      assert.deepEqual(jsonDocument(json), {
        valid: false,
        problems: [
          { name: NAMES.early, problem: "out of order" },
          { name: NAMES.alpha, problem: "modified" },
          { name: NAMES.beta, problem: "missing" },
          { name: NAMES.half, problem: "failed" },
        ],
        warnings: [],
      });

      assert.deepEqual(statusOf(await mortar("migrate:status", "--json")), [
        [NAMES.early, "pending", null],
        [NAMES.alpha, "modified", 1],
        [NAMES.beta, "missing", 2],
        [NAMES.gamma, "ran", 3],
        [NAMES.half, "failed", 5],
        [NAMES.pretended, "ran", 4],
      ]);
    });

    test("migrate:resolve without a flag, with both flags or with an unknown name exits 2 naming the problem", async () => {
      const baseline = await snapshot(database);
      const none = await mortar("migrate:resolve", NAMES.half);
      assert.equal(none.code, 2, none.stderr);
      assert.match(none.stderr, /--applied/);
      assert.match(none.stderr, /--rolled-back/);
      const both = await mortar("migrate:resolve", NAMES.half, "--applied", "--rolled-back");
      assert.equal(both.code, 2, both.stderr);
      assert.match(both.stderr, /exactly one|both|not both|either/i);
      const unknown = await mortar("migrate:resolve", "2026_09_09_000000_no_such_thing", "--applied");
      assert.equal(unknown.code, 2, unknown.stderr);
      assert.ok(unknown.stderr.includes("2026_09_09_000000_no_such_thing"), unknown.stderr);
      assert.match(unknown.stderr, /no such migration|unknown|not found/i);
      assert.deepEqual(await snapshot(database), baseline);
    });

    test("in production migrate:resolve needs --force without a TTY; validate and status never ask", async () => {
      const refused = await production("migrate:resolve", NAMES.half, "--applied");
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /production/);
      assert.match(refused.stderr, /--force/);
      assert.equal((await trackingRows(database)).find((r) => r.migration === NAMES.half)?.status, "failed");

      const validate = await production("migrate:validate");
      assert.equal(validate.code, 1, "validate reports the problems, it does not refuse");
      assert.doesNotMatch(validate.stderr, /--force/);
      assert.match(validate.stderr, /INVALID/);
      const status = await production("migrate:status", "--json");
      assert.equal(status.code, 0, status.stderr);
      assert.ok(statusOf(status).some(([name, state]) => name === NAMES.half && state === "failed"));

      const forced = await production("migrate:resolve", `${NAMES.half}.ts`, "--applied", "--force");
      assert.equal(forced.code, 0, forced.stderr);
      assert.ok(forced.stdout.includes(NAMES.half), forced.stdout);
      assert.deepEqual((await trackingRows(database)).find((r) => r.migration === NAMES.half), { migration: NAMES.half, batch: 5, status: "ran" });
    });

    test("migrate:resolve --applied: the migration shows as Ran and migrate goes on", async () => {
      const status = await mortar("migrate:status");
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, new RegExp(`${NAMES.half} \\.+ \\[5\\] Ran`));
      const run = await mortar("migrate");
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`${NAMES.early} \\.+ \\d+ms DONE`));
      assert.deepEqual((await trackingRows(database)).at(-1), { migration: NAMES.early, batch: 6, status: "ran" });
      assert.ok((await snapshot(database)).tables.includes("early"));
    });

    test("migrate:resolve --rolled-back forgets the row; once its half-made table is dropped by hand it runs again", async () => {
      await byHand((db) => db.schema.create("collide", (t) => void t.increments("id")));
      project.write(file(NAMES.halfTwo), collidingMigration(dialect));
      const failed = await mortar("migrate");
      assert.equal(failed.code, 1, failed.stderr);
      assert.ok(failed.stderr.includes(NAMES.halfTwo), failed.stderr);
      assert.ok((await snapshot(database)).tables.includes("half_two"));
      assert.deepEqual((await trackingRows(database)).at(-1), { migration: NAMES.halfTwo, batch: 7, status: "failed" });

      await byHand(async (db) => {
        await db.schema.drop("half_two");
        await db.schema.drop("collide");
      });
      const resolved = await mortar("migrate:resolve", NAMES.halfTwo, "--rolled-back");
      assert.equal(resolved.code, 0, resolved.stderr);
      assert.ok(!(await trackingRows(database)).some((r) => r.migration === NAMES.halfTwo), "the row is gone");
      assert.deepEqual(
        statusOf(await mortar("migrate:status", "--json")).find(([name]) => name === NAMES.halfTwo),
        [NAMES.halfTwo, "pending", null],
      );

      const again = await mortar("migrate");
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, new RegExp(`${NAMES.halfTwo} \\.+ \\d+ms DONE`));
      assert.deepEqual((await trackingRows(database)).at(-1), { migration: NAMES.halfTwo, batch: 7, status: "ran" });
      const tables = (await snapshot(database)).tables;
      assert.ok(tables.includes("half_two") && tables.includes("collide"), tables.join(", "));
    });
  });
}
