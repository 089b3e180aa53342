/**
 * The bad-input catalogue: every mistake a careful user can make, one test each, run
 * against the real `mortar` binary on every dialect where the case applies.
 *
 * Each case checks what spec §4 promises: the exit code (0 success, 1 a migration or the
 * database failed, 2 bad usage or configuration); one to three error lines on stderr
 * (WARN lines aside) that name the file, table, column, flag or setting at fault and the
 * database's own message; no stack trace without --verbose; and the database read back
 * exactly as it was before the command (tables, columns, indexes, foreign keys, tracking
 * rows), except where MySQL's non-transactional DDL leaves a documented `failed` run.
 * Library-level cases assert the stable `code` of the typed error as well.
 *
 * Speed: one project and one database per dialect, with a baseline (two tables, one
 * tracking row) that every case must leave untouched; the dialects run concurrently.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../../src/config/load-config.js";
import { connect } from "../../src/dialect/connect.js";
import type { Database } from "../../src/dialect/database.js";
import type { ConnectionConfig, DialectName } from "../../src/dialect/dialect.js";
import { MortarError, type MortarErrorCode } from "../../src/errors.js";
import { createMigration } from "../../src/migration/creator.js";
import { lockName } from "../../src/migration/lock-name.js";
import { Migrator, type RunError, type RunResult } from "../../src/migration/migrator.js";
import { MigrationRepository } from "../../src/migration/repository.js";
import { createTestDatabase, DIALECTS, type TestDatabase, withConnection } from "../support/databases.js";
import { createProject, type RunOutput, type TempProject } from "../support/project.js";

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Expectations

type Pattern = string | RegExp;

interface Expected {
  readonly exit: 0 | 1 | 2;
  /** Each must appear on stderr (or, with `json`, in the JSON error object). */
  readonly names?: readonly Pattern[];
  /** Run with --json: stdout is one document whose `error.code` is this. */
  readonly json?: MortarErrorCode;
  /** Must appear on stdout. */
  readonly stdout?: Pattern;
}

const STACK_LINE = /^\s+at /m;
const show = (p: Pattern) => (typeof p === "string" ? JSON.stringify(p) : String(p));
const has = (text: string, p: Pattern) => (typeof p === "string" ? text.includes(p) : p.test(text));

/** The lines a user reads as the error: non-empty stderr lines that are not warnings. */
function errorLines(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line.trim() && !/^\s*WARN\b/.test(line));
}

function problemsOf(run: RunOutput, expected: Expected): string[] {
  const problems: string[] = [];
  if (run.code !== expected.exit) problems.push(`exit ${run.code}, expected ${expected.exit}`);
  if (STACK_LINE.test(run.stderr) || STACK_LINE.test(run.stdout)) problems.push("a stack trace without --verbose");
  if (expected.json) {
    let doc: { error?: Record<string, unknown> } | undefined;
    try {
      doc = JSON.parse(run.stdout) as { error?: Record<string, unknown> };
    } catch {
      problems.push("stdout is not one JSON document");
    }
    if (doc) {
      if (doc.error?.code !== expected.json) problems.push(`JSON error.code ${String(doc.error?.code)}, expected ${expected.json}`);
      const text = Object.values(doc.error ?? {}).filter((v) => typeof v === "string").join("\n");
      for (const p of expected.names ?? []) if (!has(text, p)) problems.push(`the JSON error does not name ${show(p)}`);
    }
  } else {
    const lines = errorLines(run.stderr);
    if (expected.exit === 0 && lines.length > 0) problems.push(`${lines.length} error lines on a success`);
    if (expected.exit !== 0 && (lines.length < 1 || lines.length > 3)) problems.push(`${lines.length} error lines, expected 1 to 3`);
    for (const p of expected.names ?? []) if (!has(run.stderr, p)) problems.push(`stderr does not name ${show(p)}`);
  }
  if (expected.stdout && !has(run.stdout, expected.stdout)) problems.push(`stdout does not say ${show(expected.stdout)}`);
  return problems;
}

/** Fail with everything the report needs: what is wrong, the exit code and the verbatim output. */
function failWith(problems: readonly string[], run?: RunOutput): never {
  const output = run
    ? `\n    exit code: ${run.code}\n    stderr: ${run.stderr.trim() || "(empty)"}${run.stdout.trim() ? `\n    stdout: ${run.stdout.trim()}` : ""}`
    : "";
  assert.fail(`${problems.join("; ")}${output}`);
}

/** The typed error a promise rejects with. */
async function rejection(promise: Promise<unknown>): Promise<MortarError> {
  let caught: unknown;
  let resolved = false;
  try {
    await promise;
    resolved = true;
  } catch (error) {
    caught = error;
  }
  if (resolved) assert.fail("expected an error, but it succeeded");
  if (!(caught instanceof MortarError)) assert.fail(`expected a MortarError with a code, got ${String((caught as Error)?.stack ?? caught)}`);
  return caught;
}

/** A run's error from the Migrator: `result.error`, or what it threw before it could run. */
async function runError(promise: Promise<RunResult>): Promise<{ code: string; message: string }> {
  let result: RunResult;
  try {
    result = await promise;
  } catch (error) {
    if (error instanceof MortarError) return error;
    assert.fail(`the Migrator threw something without a code: ${String((error as Error)?.stack ?? error)}`);
  }
  if (!result.error) assert.fail(`expected result.error, got ${JSON.stringify(result.migrations)}`);
  return result.error;
}

/** The run methods never throw: a run that is refused resolves with `error`. */
async function failedRun(promise: Promise<RunResult>): Promise<RunError> {
  const result = await promise;
  if (!result.error) assert.fail(`expected the run to fail, but it succeeded: ${JSON.stringify(result)}`);
  return result.error;
}

function assertCoded(error: { code: string; message: string }, code: MortarErrorCode | readonly MortarErrorCode[], names: readonly Pattern[] = []): void {
  const codes: readonly string[] = typeof code === "string" ? [code] : code;
  const problems: string[] = [];
  if (!codes.includes(error.code)) problems.push(`code ${error.code}, expected ${codes.join(" or ")}`);
  for (const p of names) if (!has(error.message, p)) problems.push(`message does not name ${show(p)}`);
  if (problems.length) assert.fail(`${problems.join("; ")}\n    message: ${error.message}`);
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Migration sources

const MIGRATIONS = "databases/migrations";
const BASE_NAME = "2026_01_01_000000_create_base_tables";

/** The baseline every case starts from and must leave as it found it. */
const BASE_TS = `import { Migration } from "mortar";
export default class CreateBaseTables extends Migration {
  async up() {
    await this.schema.create("base", (t) => { t.increments("id"); t.string("name"); t.string("email").unique(); t.index("name"); });
    await this.schema.create("child", (t) => {
      t.increments("id");
      t.integer("base_id").unsigned();
      t.foreign("base_id").references("id").on("base");
    });
  }
  async down() { await this.schema.drop("child"); await this.schema.drop("base"); }
}
`;

/** A migration (valid TypeScript and JavaScript alike) with these bodies. */
function migration(up: string, down = "", extra = ""): string {
  return `import { Migration } from "mortar";
export default class Case extends Migration {${extra}
  async up() {
    ${up}
  }
  async down() {
    ${down}
  }
}
`;
}

const SYNTAX_ERROR = `import { Migration } from "mortar";
export default class Broken extends Migration {
  async up() {
    await this.schema.create("never", (t) => { t.increments("id") ); });
  }
  async down() {}
}
`;

/** 70 characters: over PostgreSQL's 63 and MySQL's 64, fine for SQLite. */
const LONG_NAME = "customer_subscription_billing_adjustment_history_entries_archive_table";
assert.equal(LONG_NAME.length, 70);

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Reading the database back

interface Snapshot {
  readonly tables: Record<string, { columns: string[]; indexes: string[]; foreignKeys: string[] }>;
  readonly tracking: string[];
}

function snapshot(config: ConnectionConfig, trackingTable = "migrations"): Promise<Snapshot> {
  return withConnection(config, async (db) => {
    const tables: Snapshot["tables"] = {};
    for (const table of (await db.schema.getTables()).sort()) {
      tables[table] = {
        columns: (await db.schema.getColumns(table)).map((c) => `${c.name} ${c.type}${c.nullable ? " null" : ""}`),
        indexes: (await db.schema.getIndexes(table)).map((i) => `${i.name}(${i.columns.join(",")})`).sort(),
        foreignKeys: (await db.schema.getForeignKeys(table)).map((f) => `${f.name}->${f.foreignTable}`).sort(),
      };
    }
    let tracking: string[] = [];
    if (trackingTable in tables) {
      const q = (s: string) => db.grammar.quoteIdentifier(s);
      const rows = await db.query<{ migration: string; batch: number; status?: string | null }>(`select * from ${q(trackingTable)} order by ${q("id")}`);
      tracking = rows.map((r) => `${r.migration} [${Number(r.batch)}] ${r.status ?? "ran"}`);
    }
    return { tables, tracking };
  });
}

/** What changed, in a line: `tables +half; tracking +2026_… [2] failed`. */
function difference(before: Snapshot, after: Snapshot): string | undefined {
  const parts: string[] = [];
  const added = Object.keys(after.tables).filter((t) => !(t in before.tables));
  const removed = Object.keys(before.tables).filter((t) => !(t in after.tables));
  if (added.length) parts.push(`tables +${added.join(" +")}`);
  if (removed.length) parts.push(`tables -${removed.join(" -")}`);
  for (const [table, shape] of Object.entries(before.tables)) {
    const now = after.tables[table];
    if (now && JSON.stringify(now) !== JSON.stringify(shape)) parts.push(`table ${table} changed: ${JSON.stringify(shape)} -> ${JSON.stringify(now)}`);
  }
  if (JSON.stringify(before.tracking) !== JSON.stringify(after.tracking)) {
    parts.push(`tracking ${JSON.stringify(before.tracking)} -> ${JSON.stringify(after.tracking)}`);
  }
  return parts.length ? parts.join("; ") : undefined;
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
// The catalogue, per dialect

const DB_MESSAGE: Record<DialectName, Record<string, RegExp>> = {
  sqlite: {
    duplicateTable: /already exists/,
    missingTable: /no such table/,
    missingColumn: /no column "nope"/,
    missingIndex: /no such index/,
    missingForeignKey: /no foreign key/,
    changeMissing: /no column "nope"/,
  },
  postgres: {
    duplicateTable: /already exists/,
    missingTable: /does not exist/,
    missingColumn: /does not exist/,
    missingIndex: /does not exist/,
    missingForeignKey: /does not exist/,
    changeMissing: /does not exist/,
    foreignTable: /relation "ghosts" does not exist/,
  },
  mysql: {
    duplicateTable: /already exists/,
    missingTable: /Unknown table/,
    missingColumn: /check that it exists/,
    missingIndex: /check that it exists/,
    missingForeignKey: /check that it exists/,
    changeMissing: /Unknown column/,
    foreignTable: /errno: 150|Foreign key constraint/,
  },
};

describe("bad input", { concurrency: true }, () => {
  for (const dialect of DIALECTS) {
    describe(`on ${dialect}`, { concurrency: 1 }, () => {
      let project: TempProject;
      let database: TestDatabase;
      let baseline: Snapshot;
      let sequence = 100;
      const msg = DB_MESSAGE[dialect];

      const mortar = (args: readonly string[], env: Record<string, string> = {}) => project.mortar(args, { ...database.env, ...env });
      /** A fresh migration path `databases/migrations/2026_03_01_000123_slug.ts`. */
      const file = (slug: string, extension = "ts") => `${MIGRATIONS}/2026_03_01_${String(sequence++).padStart(6, "0")}_${slug}.${extension}`;
      const nameOf = (path: string) => basename(path).replace(/\.[^.]+$/, "");

      /** Put the database back to the baseline (only needed when a case changed it). */
      async function restore(): Promise<void> {
        for (const entry of readdirSync(join(project.dir, MIGRATIONS))) {
          if (!entry.startsWith(BASE_NAME)) rmSync(join(project.dir, MIGRATIONS, entry), { recursive: true, force: true });
        }
        project.remove("mortar.config.ts");
        await withConnection(database.config, (db) => db.schema.dropAllTablesAndViews());
        const run = await mortar(["migrate"]);
        assert.equal(run.code, 0, `restoring the baseline failed: ${run.stderr}`);
      }

      /** The database is at the baseline; if not, say how it differs and restore it. */
      async function unchanged(): Promise<string | undefined> {
        const diff = difference(baseline, await snapshot(database.config));
        if (diff) await restore();
        return diff;
      }

      /** Write `files`, run the binary, remove them; check the outcome and that nothing changed. */
      async function attempt(options: {
        files?: Record<string, string>;
        args: readonly string[];
        env?: Record<string, string>;
        expect: Expected;
      }): Promise<RunOutput> {
        const written = Object.entries(options.files ?? {}).map(([path, content]) => (project.write(path, content), path));
        let run: RunOutput;
        try {
          run = await mortar(options.args, options.env);
        } finally {
          for (const path of written) project.remove(path);
        }
        const problems = problemsOf(run, options.expect);
        const diff = await unchanged();
        if (diff) problems.push(`the database changed: ${diff}`);
        if (problems.length) failWith(problems, run);
        return run;
      }

      /** Run, check, and fail at the end with every problem found. */
      function check(run: RunOutput, expected: Expected, extra: string[] = []): void {
        const problems = [...problemsOf(run, expected), ...extra];
        if (problems.length) failWith(problems, run);
      }

      before(async () => {
        database = await createTestDatabase(dialect);
        project = createProject("module");
        project.write(`${MIGRATIONS}/${BASE_NAME}.ts`, BASE_TS);
        const run = await mortar(["migrate"]);
        assert.equal(run.code, 0, run.stderr);
        baseline = await snapshot(database.config);
        assert.deepEqual(Object.keys(baseline.tables).sort(), ["base", "child", "migrations"]);
      });
      after(async () => {
        project?.cleanup();
        await database?.drop();
      });

      // ── migration files ──────────────────────────────────────────────────────────────────

      describe("migration files", () => {
        test("a syntax error: exit 1 naming the file and the compiler's message, nothing changed", async () => {
          const path = file("syntax_error");
          await attempt({ files: { [path]: SYNTAX_ERROR }, args: ["migrate"], expect: { exit: 1, names: [basename(path), /Expected ";" but found "\)"/] } });
          await attempt({ files: { [path]: SYNTAX_ERROR }, args: ["migrate", "--json"], expect: { exit: 1, json: "MIGRATION_FILE", names: [basename(path)] } });
        });

        test("a type error that still transpiles runs: types are not checked at load time", async () => {
          const path = file("type_error");
          project.write(
            path,
            migration(
              `const label: number = "not a number";\n    await this.schema.create("typed_things", (t) => { t.increments("id"); t.string("label").default(label); });`,
              `await this.schema.drop("typed_things");`,
            ),
          );
          try {
            const run = await mortar(["migrate"]);
            check(run, { exit: 0 });
            assert.ok("typed_things" in (await snapshot(database.config)).tables, "the migration ran");
            check(await mortar(["migrate:rollback"]), { exit: 0 });
          } finally {
            project.remove(path);
          }
          assert.equal(await unchanged(), undefined);
        });

        test("no default export: exit 1 naming the file and what to write", async () => {
          const path = file("no_default_export");
          const source = `import { Migration } from "mortar";\nexport class NoDefault extends Migration {\n  async up() {}\n  async down() {}\n}\n`;
          await attempt({ files: { [path]: source }, args: ["migrate"], expect: { exit: 1, names: [basename(path), "default export"] } });
        });

        test("a default export that is not a Migration: exit 1 naming the file", async () => {
          const path = file("not_a_migration");
          const source = `export default class NotAMigration {\n  async up() {}\n  async down() {}\n}\n`;
          await attempt({ files: { [path]: source }, args: ["migrate"], expect: { exit: 1, names: [basename(path), "Migration"] } });
        });

        test("an import that does not resolve: exit 1 naming the file and the module", async () => {
          const path = file("missing_import");
          const source = `import { Migration } from "mortar";\nimport { helper } from "./helpers/nope.js";\nexport default class MissingImport extends Migration {\n  async up() { helper(); }\n  async down() {}\n}\n`;
          await attempt({ files: { [path]: source }, args: ["migrate"], expect: { exit: 1, names: [basename(path), "helpers/nope.js"] } });
        });

        test("CommonJS `require` in a .js file of an ESM project: exit 1 naming the file and the fix", async () => {
          const path = file("commonjs_in_esm", "js");
          const source = `const { Migration } = require("mortar");\nmodule.exports = class CommonJs extends Migration { async up() {} async down() {} };\n`;
          await attempt({ files: { [path]: source }, args: ["migrate"], expect: { exit: 1, names: [basename(path), "require", ".cjs"] } });
        });

        test("a file that throws when imported: exit 1 naming the file and the message", async () => {
          const path = file("throws_on_import");
          const source = `import { Migration } from "mortar";\nthrow new Error("top-level boom");\nexport default class Throws extends Migration { async up() {} async down() {} }\n`;
          await attempt({ files: { [path]: source }, args: ["migrate"], expect: { exit: 1, names: [basename(path), "top-level boom"] } });
        });

        test("a broken file among pending ones stops the run before the good one runs", async () => {
          const good = file("good_first");
          const bad = file("broken_second");
          await attempt({
            files: { [good]: migration(`await this.schema.create("good_first", (t) => { t.increments("id"); });`, `await this.schema.drop("good_first");`), [bad]: SYNTAX_ERROR },
            args: ["migrate"],
            expect: { exit: 1, names: [basename(bad)] },
          });
        });

        test("up() that throws after creating one table: exit 1 naming the file and the message; rolled back (MySQL: reported failed)", async () => {
          const path = file("create_half_table");
          project.write(path, migration(`await this.schema.create("half", (t) => { t.increments("id"); });\n    throw new Error("boom on purpose");`, `await this.schema.dropIfExists("half");`));
          try {
            if (dialect !== "mysql") {
              await attempt({ args: ["migrate"], expect: { exit: 1, names: [basename(path), "boom on purpose"] } });
              await attempt({ args: ["migrate", "--json"], expect: { exit: 1, json: "MIGRATION_FAILED", names: [basename(path), "boom on purpose"] } });
            } else {
              await partialRun(path, "half", "boom on purpose");
            }
          } finally {
            project.remove(path);
          }
          assert.equal(await unchanged(), undefined);
        });

        /**
         * A run that cannot roll back (MySQL DDL, or `static transaction = false`) and failed
         * part-way: the table stays, the run is recorded as failed, the next run refuses with
         * the statements that ran and how to settle it, and settling it gets back to the baseline.
         */
        async function partialRun(path: string, table: string, message: string): Promise<void> {
          const run = await mortar(["migrate"]);
          const state = await snapshot(database.config);
          const row = state.tracking.find((r) => r.startsWith(nameOf(path)));
          check(run, { exit: 1, names: [basename(path), message] }, [
            ...(table in state.tables ? [] : [`table ${table} should stay (it committed) but is gone`]),
            ...(row?.endsWith("failed") ? [] : [`tracking row should say failed, got ${String(row)}`]),
          ]);
          const status = JSON.parse((await mortar(["migrate:status", "--json"])).stdout) as { migrations: { name: string; status: string }[] };
          assert.equal(status.migrations.find((m) => m.name === nameOf(path))?.status, "failed");
          check(await mortar(["migrate"]), { exit: 1, names: [nameOf(path), `create table`, `migrate:resolve ${nameOf(path)}`] });
          check(await mortar(["migrate", "--json"]), { exit: 1, json: "MIGRATION_STATE", names: [nameOf(path)] });
          const refused = await failedRun(withConnection(database.config, (db) => new Migrator(db, { path: join(project.dir, MIGRATIONS) }).migrate()));
          assertCoded(refused, "MIGRATION_STATE", [nameOf(path), `resolve("${nameOf(path)}", "applied")`]);
          assert.doesNotMatch(refused.message, /migrate:resolve|--applied|--rolled-back/, "the library names no command-line flag");
          await withConnection(database.config, (db) => db.schema.dropIfExists(table));
          check(await mortar(["migrate:resolve", nameOf(path), "--rolled-back"]), { exit: 0 });
        }

        test("static transaction = false and up() throws after one table: reported failed on every dialect, then settled", async () => {
          const path = file("untransacted_half");
          project.write(
            path,
            migration(`await this.schema.create("untransacted", (t) => { t.increments("id"); });\n    throw new Error("no transaction boom");`, `await this.schema.dropIfExists("untransacted");`, "\n  static transaction = false;"),
          );
          try {
            await partialRun(path, "untransacted", "no transaction boom");
          } finally {
            project.remove(path);
          }
          assert.equal(await unchanged(), undefined);
        });

        test("down() missing when rolling back: exit 1 naming the file and down(); adding one fixes it", async () => {
          const path = file("create_no_down_table");
          project.write(path, `import { Migration } from "mortar";\nexport default class NoDown extends Migration {\n  async up() { await this.schema.create("no_down", (t) => { t.increments("id"); }); }\n}\n`);
          try {
            check(await mortar(["migrate"]), { exit: 0 });
            const migrated = await snapshot(database.config);
            const run = await mortar(["migrate:rollback"]);
            const diff = difference(migrated, await snapshot(database.config));
            check(run, { exit: 1, names: [basename(path), "down()"] }, diff ? [`the database changed: ${diff}`] : []);
            project.write(path, migration(`await this.schema.create("no_down", (t) => { t.increments("id"); });`, `await this.schema.drop("no_down");`));
            check(await mortar(["migrate:rollback"]), { exit: 0 });
          } finally {
            project.remove(path);
          }
          assert.equal(await unchanged(), undefined);
        });

        test("down() that throws: exit 1 naming the file and the message, the migration still applied", async () => {
          const path = file("create_bad_down_table");
          const table = "bad_down";
          project.write(path, migration(`await this.schema.create("${table}", (t) => { t.increments("id"); });`, `throw new Error("down boom");`));
          try {
            check(await mortar(["migrate"]), { exit: 0 });
            const migrated = await snapshot(database.config);
            const run = await mortar(["migrate:rollback"]);
            const diff = difference(migrated, await snapshot(database.config));
            try {
              check(run, { exit: 1, names: [basename(path), "down boom"] }, diff ? [`the database changed: ${diff}`] : []);
            } finally {
              project.write(path, migration(`await this.schema.create("${table}", (t) => { t.increments("id"); });`, `await this.schema.drop("${table}");`));
              if ((await mortar(["migrate:rollback"])).code !== 0) await restore();
            }
          } finally {
            project.remove(path);
          }
          assert.equal(await unchanged(), undefined);
        });

        test("rolling back a migration whose file was deleted: exit 1 naming the migration, nothing undone", async () => {
          const path = file("create_vanishing_table");
          const source = migration(`await this.schema.create("vanishing", (t) => { t.increments("id"); });`, `await this.schema.drop("vanishing");`);
          project.write(path, source);
          check(await mortar(["migrate"]), { exit: 0 });
          const migrated = await snapshot(database.config);
          project.remove(path);
          const run = await mortar(["migrate:rollback"]);
          const diff = difference(migrated, await snapshot(database.config));
          project.write(path, source);
          try {
            check(run, { exit: 1, names: [nameOf(path), "missing"] }, diff ? [`the database changed: ${diff}`] : []);
          } finally {
            check(await mortar(["migrate:rollback"]), { exit: 0 });
            project.remove(path);
          }
          assert.equal(await unchanged(), undefined);
        });

        test("two files with the same migration name in different folders: exit 1 naming both", async () => {
          const name = `2026_03_01_${String(sequence++).padStart(6, "0")}_same_name`;
          const source = migration(`await this.schema.create("same_name", (t) => { t.increments("id"); });`);
          await attempt({
            files: { [`${MIGRATIONS}/first/${name}.ts`]: source, [`${MIGRATIONS}/second/${name}.ts`]: source },
            args: ["migrate"],
            expect: { exit: 1, names: [`first/${name}.ts`, `second/${name}.ts`] },
          });
          project.remove(`${MIGRATIONS}/first`);
          project.remove(`${MIGRATIONS}/second`);
        });

        test("a file name that does not match the pattern: a warning naming it, ignored, exit 0", async () => {
          const path = `${MIGRATIONS}/2026_03_01_create_widgets.ts`;
          const run = await attempt({
            files: { [path]: migration(`await this.schema.create("widgets", (t) => { t.increments("id"); });`) },
            args: ["migrate"],
            expect: { exit: 0, stdout: "Nothing to migrate" },
          });
          assert.match(run.stderr, /WARN.*2026_03_01_create_widgets\.ts/);
        });

        test("an empty migrations folder: exit 0, Nothing to migrate", async () => {
          mkdirSync(join(project.dir, "databases/empty"), { recursive: true });
          await attempt({ args: ["migrate", "--path", "databases/empty"], expect: { exit: 0, stdout: "Nothing to migrate" } });
        });

        test("a migrations folder that does not exist: exit 2 naming it (a setting to fix), nothing created", async () => {
          await attempt({ args: ["migrate", "--path", "databases/nowhere"], expect: { exit: 2, names: ["databases/nowhere"] } });
          await attempt({ args: ["migrate", "--path", "databases/nowhere", "--json"], expect: { exit: 2, json: "CONFIG", names: ["databases/nowhere"] } });
          await attempt({ args: ["migrate", "--path", `${MIGRATIONS}/${BASE_NAME}.ts`], expect: { exit: 2, names: [`${BASE_NAME}.ts`, "not a folder"] } });
        });

        test("migrate:fresh with a file that does not load: exit 1 naming it, and no table dropped", async () => {
          const path = file("fresh_syntax_error");
          await attempt({ files: { [path]: SYNTAX_ERROR }, args: ["migrate:fresh"], expect: { exit: 1, names: [basename(path)] } });
        });

        test("static connection naming a connection that is not configured: exit 2 naming the file and the connection", async () => {
          const path = file("other_connection");
          await attempt({
            files: { [path]: migration(`await this.schema.create("elsewhere", (t) => { t.increments("id"); });`, "", `\n  static connection = "reporting";`) },
            args: ["migrate"],
            expect: { exit: 2, names: [basename(path), "reporting"] },
          });
        });
      });

      // ── schema calls ─────────────────────────────────────────────────────────────────────

      describe("schema calls", () => {
        /** A migration whose up() makes the mistake; exit 1 naming the file and `names`. */
        const failingUp = async (slug: string, up: string, names: readonly Pattern[], extension = "ts"): Promise<void> => {
          const path = file(slug, extension);
          await attempt({ files: { [path]: migration(up) }, args: ["migrate"], expect: { exit: 1, names: [basename(path), ...names] } });
        };

        test("an unknown column type in a .js migration (t.strng): exit 1 naming it", () =>
          failingUp("unknown_column_type", `await this.schema.create("typo", (t) => { t.increments("id"); t.strng("name"); });`, ["strng"], "js"));

        test("an unknown column modifier in a .js migration (.nullabel()): exit 1 naming it", () =>
          failingUp("unknown_modifier", `await this.schema.create("typo", (t) => { t.increments("id"); t.string("name").nullabel(); });`, ["nullabel"], "js"));

        test("change() of a column that does not exist: exit 1 naming the column, the table and the database's message", () =>
          failingUp("change_missing_column", `await this.schema.table("base", (t) => { t.string("nope", 50).nullable().change(); });`, ["nope", "base", msg.changeMissing!]));

        test("dropping a table that does not exist: exit 1 naming it", () =>
          failingUp("drop_missing_table", `await this.schema.drop("ghost_table");`, ["ghost_table", msg.missingTable!]));

        test("a failing statement with --json: code MIGRATION_FAILED, the statement in `sql`", async () => {
          const path = file("json_drop_missing_table");
          const run = await attempt({ files: { [path]: migration(`await this.schema.drop("ghost_table");`) }, args: ["migrate", "--json"], expect: { exit: 1, json: "MIGRATION_FAILED", names: [basename(path), "ghost_table"] } });
          const doc = JSON.parse(run.stdout) as { error: { sql?: string; migration?: string } };
          assert.match(doc.error.sql ?? "", /ghost_table/);
          assert.equal(doc.error.migration, nameOf(path));
        });

        test("dropping a column that does not exist: exit 1 naming the column and the table", () =>
          failingUp("drop_missing_column", `await this.schema.table("base", (t) => { t.dropColumn("nope"); });`, ["nope", "base", msg.missingColumn!]));

        test("dropping an index that does not exist: exit 1 naming it", () =>
          failingUp("drop_missing_index", `await this.schema.table("base", (t) => { t.dropIndex("base_nope_index"); });`, ["base_nope_index", msg.missingIndex!]));

        test("dropping a foreign key that does not exist: exit 1 naming it", () =>
          failingUp("drop_missing_foreign", `await this.schema.table("child", (t) => { t.dropForeign("child_nope_foreign"); });`, ["child_nope_foreign", msg.missingForeignKey!]));

        test("a foreign key to a table that does not exist: exit 1 naming the missing table", () =>
          failingUp(
            "foreign_key_to_missing_table",
            `await this.schema.create("orphans", (t) => { t.increments("id"); t.integer("ghost_id").unsigned(); t.foreign("ghost_id").references("id").on("ghosts"); });`,
            ["ghosts", ...(msg.foreignTable ? [msg.foreignTable] : [])],
          ));

        test("creating a table that exists already: exit 1 naming it and the database's message", () =>
          failingUp("duplicate_table", `await this.schema.create("base", (t) => { t.increments("id"); });`, ["base", msg.duplicateTable!]));

        test(`a 70-character table name: ${dialect === "sqlite" ? "SQLite accepts it" : "an error naming it, never a silent truncation"}`, async () => {
          const path = file("long_table_name");
          const source = migration(`await this.schema.create("${LONG_NAME}", (t) => { t.increments("id"); });`, `await this.schema.drop("${LONG_NAME}");`);
          if (dialect !== "sqlite") {
            await attempt({ files: { [path]: source }, args: ["migrate"], expect: { exit: 1, names: [basename(path), LONG_NAME] } });
            return;
          }
          project.write(path, source);
          try {
            check(await mortar(["migrate"]), { exit: 0 });
            assert.ok(LONG_NAME in (await snapshot(database.config)).tables);
            check(await mortar(["migrate:rollback"]), { exit: 0 });
          } finally {
            project.remove(path);
          }
          assert.equal(await unchanged(), undefined);
        });

        test("an empty table name: exit 1 saying the table name is empty", () =>
          failingUp("empty_table_name", `await this.schema.create("", (t) => { t.increments("id"); });`, ["table name", '""']));

        test("an empty column name: exit 1 saying the column name is empty", () =>
          failingUp("empty_column_name", `await this.schema.create("empty_column", (t) => { t.increments("id"); t.string(""); });`, ["column name", '""']));

        test(`a modifier the dialect cannot do (useCurrentOnUpdate): ${dialect === "mysql" ? "MySQL runs it" : "exit 1 naming the dialect and the column"}`, async () => {
          const up = `await this.schema.table("base", (t) => { t.timestamp("touched_at").nullable().useCurrentOnUpdate(); });`;
          if (dialect !== "mysql") {
            await failingUp("on_update_timestamp", up, [dialect, "touched_at"]);
            return;
          }
          const path = file("on_update_timestamp");
          project.write(path, migration(up, `await this.schema.table("base", (t) => { t.dropColumn("touched_at"); });`));
          try {
            check(await mortar(["migrate"]), { exit: 0 });
            check(await mortar(["migrate:rollback"]), { exit: 0 });
          } finally {
            project.remove(path);
          }
          assert.equal(await unchanged(), undefined);
        });
      });

      // ── configuration ────────────────────────────────────────────────────────────────────

      describe("configuration", () => {
        if (dialect !== "sqlite") {
          const port = dialect === "postgres" ? 5432 : 3306;

          test("a host that refuses connections: exit 1 naming host:port and the driver's message", async () => {
            await attempt({ args: ["migrate"], env: { DB_PORT: "1" }, expect: { exit: 1, names: ["127.0.0.1:1", "ECONNREFUSED"] } });
            await attempt({ args: ["migrate", "--json"], env: { DB_PORT: "1" }, expect: { exit: 1, json: "CONNECTION_FAILED", names: ["127.0.0.1:1"] } });
            assertCoded(await rejection(connect({ ...database.config, port: 1 })), "CONNECTION_FAILED", ["127.0.0.1:1", "ECONNREFUSED"]);
          });

          if (dialect === "mysql") {
            test("a wrong password: exit 1 with the server's Access denied, password not shown", async () => {
              const run = await attempt({ args: ["migrate"], env: { DB_PASSWORD: "wrong-Pa55word" }, expect: { exit: 1, names: [`127.0.0.1:${port}`, /Access denied for user 'root'/] } });
              assert.doesNotMatch(run.stderr, /wrong-Pa55word/);
              assertCoded(await rejection(connect({ ...database.config, password: "wrong-Pa55word" })), "CONNECTION_FAILED", ["Access denied"]);
            });
          } else {
            // This server trusts 127.0.0.1, so a wrong password is accepted; an unknown role is the credential mistake it rejects.
            test("a user the server does not know: exit 1 with the server's message naming the role", async () => {
              await attempt({ args: ["migrate"], env: { DB_USERNAME: "nobody_here" }, expect: { exit: 1, names: [`127.0.0.1:${port}`, 'role "nobody_here" does not exist'] } });
              assertCoded(await rejection(connect({ ...database.config, username: "nobody_here" })), "CONNECTION_FAILED", ["nobody_here"]);
            });
          }

          test("no DB_DATABASE for a server: exit 2 naming the setting, not a run in the server's default database", async () => {
            // PostgreSQL would fall back to the database named after the user ("postgres"): probe with --pretend so nothing lands there.
            const args = dialect === "postgres" ? ["migrate", "--pretend"] : ["migrate"];
            await attempt({ args, env: { DB_DATABASE: "" }, expect: { exit: 2, names: ["DB_DATABASE"] } });
          });

          test("a database that does not exist: exit 1 naming it", async () => {
            const missing = "mortar_no_such_database";
            await attempt({ args: ["migrate"], env: { DB_DATABASE: missing }, expect: { exit: 1, names: [missing, dialect === "postgres" ? /does not exist/ : /Unknown database/] } });
            assertCoded(await rejection(connect({ ...database.config, database: missing })), "CONNECTION_FAILED", [missing]);
          });
        } else {
          test("a database file that cannot be opened (a folder): exit 1 naming the path", async () => {
            mkdirSync(join(project.dir, "databases/folder.sqlite"), { recursive: true });
            await attempt({ args: ["migrate"], env: { DB_DATABASE: "databases/folder.sqlite" }, expect: { exit: 1, names: ["folder.sqlite", "unable to open"] } });
            assertCoded(await rejection(connect({ driver: "sqlite", database: join(project.dir, "databases/folder.sqlite") })), "CONNECTION_FAILED", ["folder.sqlite"]);
          });
        }

        test("a config file that throws: exit 2 naming the file and its message", async () => {
          await attempt({
            files: { "mortar.config.ts": `throw new Error("config exploded on purpose");\nexport default {};\n` },
            args: ["migrate"],
            expect: { exit: 2, names: ["mortar.config.ts", "config exploded on purpose"] },
          });
        });

        test("--connection with a name that is not configured: exit 2 naming it", async () => {
          await attempt({ args: ["migrate", "--connection", "reporting"], expect: { exit: 2, names: ["--connection", "reporting"] } });
          await attempt({ args: ["migrate", "--connection", "reporting", "--json"], expect: { exit: 2, json: "CONFIG", names: ["reporting"] } });
        });
      });

      // ── command line ─────────────────────────────────────────────────────────────────────

      describe("command line", () => {
        test("rollback --step abc and --step 0: exit 2 naming the flag and the value", async () => {
          await attempt({ args: ["migrate:rollback", "--step", "abc"], expect: { exit: 2, names: ["--step", "abc"] } });
          await attempt({ args: ["migrate:rollback", "--step", "0"], expect: { exit: 2, names: ["--step", '"0"'] } });
        });

        test("--batch for a batch that does not exist: exit 2 naming it and the batches there are", async () => {
          await attempt({ args: ["migrate:rollback", "--batch", "99"], expect: { exit: 2, names: ["--batch 99", "batches: 1"] } });
          await attempt({ args: ["migrate:rollback", "--batch", "99", "--json"], expect: { exit: 2, json: "USAGE", names: ["--batch 99"] } });
        });

        test("--migration naming no file (migrate) or no run (rollback): exit 2 naming it", async () => {
          await attempt({ args: ["migrate", "--migration", "2026_09_09_000000_nope"], expect: { exit: 2, names: ["--migration", "2026_09_09_000000_nope"] } });
          await attempt({ args: ["migrate:rollback", "--migration", "2026_09_09_000000_nope"], expect: { exit: 2, names: ["--migration", "2026_09_09_000000_nope"] } });
        });

        test("migrate:resolve of a migration that is not in the tracking table: exit 2 naming it", async () => {
          await attempt({ args: ["migrate:resolve", "2026_09_09_000000_nope", "--applied"], expect: { exit: 2, names: ["2026_09_09_000000_nope"] } });
        });

        test("rollback with nothing to roll back: exit 0, Nothing to roll back, no tracking table created", async () => {
          const env = { MIGRATIONS_TABLE: "never_migrated" };
          await attempt({ args: ["migrate:rollback"], env, expect: { exit: 0, stdout: "Nothing to roll back" } });
          await attempt({ args: ["migrate:reset"], env, expect: { exit: 0, stdout: "Nothing to roll back" } });
        });

        test("another run holds the migration lock: exit 1 naming the lock and --lock-timeout", async () => {
          const holder = await connect(database.config);
          const release = await holder.dialectFactory.acquireLock(holder, lockName(database.config.database ?? "", "migrations"), 5_000);
          assert.ok(release, "the test could not take the lock");
          try {
            const path = file("waits_for_lock");
            await attempt({ files: { [path]: migration("") }, args: ["migrate", "--lock-timeout", "0.3"], expect: { exit: 1, names: ["lock", "--lock-timeout"] } });
            await attempt({ files: { [path]: migration("") }, args: ["migrate", "--lock-timeout", "0.3", "--json"], expect: { exit: 1, json: "MIGRATION_LOCK", names: ["lock"] } });
            const error = await failedRun(withConnection(database.config, (db) => new Migrator(db, { path: join(project.dir, MIGRATIONS), lockTimeoutMs: 300 }).migrate()));
            assertCoded(error, "MIGRATION_LOCK", ["lock"]);
            assert.doesNotMatch(error.message, /--lock-timeout/, "the library names no command-line flag");
          } finally {
            await release();
            await holder.close();
          }
        });
      });

      // ── the library API: the same mistakes, asserted by `code` ───────────────────────────

      describe("library API codes", () => {
        const rebuildsOr = (code: MortarErrorCode): MortarErrorCode => (dialect === "sqlite" ? "INVALID_SCHEMA" : code);
        const orphans = (db: Database) =>
          db.schema.create("orphans", (t) => {
            t.increments("id");
            t.integer("ghost_id").unsigned();
            t.foreign("ghost_id").references("id").on("ghosts");
          });
        /** [what, the call, the code, what the message names], through connect() + db.schema. */
        const schemaCases: [string, (db: Database) => Promise<unknown>, MortarErrorCode | readonly MortarErrorCode[], readonly Pattern[]][] = [
          ["drop a missing table", (db) => db.schema.drop("ghost_table"), "QUERY_FAILED", ["ghost_table", msg.missingTable!]],
          ["create a table that exists", (db) => db.schema.create("base", (t) => void t.increments("id")), "QUERY_FAILED", ["base", msg.duplicateTable!]],
          ["drop a missing column", (db) => db.schema.table("base", (t) => void t.dropColumn("nope")), rebuildsOr("QUERY_FAILED"), ["nope"]],
          ["change() a missing column", (db) => db.schema.table("base", (t) => void t.string("nope").change()), rebuildsOr("QUERY_FAILED"), ["nope"]],
          ["drop a missing index", (db) => db.schema.table("base", (t) => void t.dropIndex("base_nope_index")), "QUERY_FAILED", ["base_nope_index"]],
          ["drop a missing foreign key", (db) => db.schema.table("child", (t) => void t.dropForeign("child_nope_foreign")), rebuildsOr("QUERY_FAILED"), ["child_nope_foreign"]],
          ["an empty table name", (db) => db.schema.create("", (t) => void t.increments("id")), "INVALID_SCHEMA", ["table name"]],
          ["an empty column name", (db) => db.schema.table("base", (t) => void t.string("")), "INVALID_SCHEMA", ["column name"]],
        ];
        if (dialect !== "sqlite") schemaCases.push(["a foreign key to a missing table", orphans, "QUERY_FAILED", [msg.foreignTable!]]);
        if (dialect === "postgres") {
          // PostgreSQL would truncate these to 63 bytes without a word: Mortar must refuse them itself.
          schemaCases.push(["a 70-character table name", (db) => db.schema.create(LONG_NAME, (t) => void t.increments("id")), "INVALID_SCHEMA", [LONG_NAME]]);
          schemaCases.push(["a 70-character column name", (db) => db.schema.table("base", (t) => void t.string(LONG_NAME).nullable()), "INVALID_SCHEMA", [LONG_NAME]]);
        }
        if (dialect === "mysql") {
          // MySQL refuses it itself; Mortar may refuse it first.
          schemaCases.push(["a 70-character table name", (db) => db.schema.create(LONG_NAME, (t) => void t.increments("id")), ["INVALID_SCHEMA", "QUERY_FAILED"], [LONG_NAME]]);
        }
        if (dialect !== "mysql") {
          const onUpdate = (db: Database) => db.schema.table("base", (t) => void t.timestamp("touched_at").nullable().useCurrentOnUpdate());
          schemaCases.push(["useCurrentOnUpdate()", onUpdate, "UNSUPPORTED_OPERATION", [dialect, "touched_at"]]);
        }

        for (const [what, call, code, names] of schemaCases) {
          test(`db.schema: ${what} -> ${typeof code === "string" ? code : code.join(" or ")}`, async () => {
            let error: MortarError;
            try {
              error = await rejection(withConnection(database.config, call));
            } finally {
              await unchanged();
            }
            assertCoded(error, code, names);
            if (error.code === "QUERY_FAILED") assert.ok((error as MortarError & { sql?: string }).sql, "a QueryError carries the statement");
          });
        }

        const folder = () => join(project.dir, MIGRATIONS);
        const migrator = (db: Database, path = folder()) => new Migrator(db, { path });

        /** [slug, extension, source, code, what the message names]: one pending file, `migrate()`. */
        const fileCases: [string, string, string, MortarErrorCode, readonly Pattern[]][] = [
          ["lib_syntax_error", "ts", SYNTAX_ERROR, "MIGRATION_FILE", ["lib_syntax_error", "Expected"]],
          ["lib_no_default", "ts", `import { Migration } from "mortar";\nexport class X extends Migration { async up() {} }\n`, "MIGRATION_FILE", ["lib_no_default", "default export"]],
          ["lib_not_migration", "ts", `export default class X { async up() {} }\n`, "MIGRATION_FILE", ["lib_not_migration", "Migration"]],
          ["lib_up_throws", "ts", migration(`throw new Error("library boom");`), "MIGRATION_FAILED", ["lib_up_throws", "library boom"]],
          ["lib_unknown_type", "js", migration(`await this.schema.create("typo", (t) => { t.strng("name"); });`), "MIGRATION_FAILED", ["lib_unknown_type", "strng"]],
          ["lib_drop_missing", "ts", migration(`await this.schema.drop("ghost_table");`), "MIGRATION_FAILED", ["lib_drop_missing", "ghost_table"]],
        ];
        for (const [slug, extension, source, code, names] of fileCases) {
          test(`Migrator.migrate(): ${slug.slice(4).replace(/_/g, " ")} -> result.error.code ${code}`, async () => {
            const path = file(slug, extension);
            project.write(path, source);
            let error: { code: string; message: string };
            try {
              error = await runError(withConnection(database.config, (db) => migrator(db).migrate()));
            } finally {
              project.remove(path);
              await unchanged();
            }
            assertCoded(error, code, names);
          });
        }

        test("Migrator.migrate(): two files with one name -> MIGRATION_FILE naming both", async () => {
          const name = `2026_03_01_${String(sequence++).padStart(6, "0")}_lib_same_name`;
          project.write(`${MIGRATIONS}/one/${name}.ts`, migration(""));
          project.write(`${MIGRATIONS}/two/${name}.ts`, migration(""));
          try {
            assertCoded(await runError(withConnection(database.config, (db) => migrator(db).migrate())), "MIGRATION_FILE", [`one/${name}.ts`, `two/${name}.ts`]);
          } finally {
            project.remove(`${MIGRATIONS}/one`);
            project.remove(`${MIGRATIONS}/two`);
            await unchanged();
          }
        });

        test("Migrator.rollback(): no down() -> MIGRATION_FILE", async () => {
          const noDown = file("lib_no_down");
          project.write(noDown, `import { Migration } from "mortar";\nexport default class NoDown extends Migration {\n  async up() { await this.schema.create("lib_no_down", (t) => { t.increments("id"); }); }\n}\n`);
          try {
            await withConnection(database.config, async (db) => {
              assert.equal((await migrator(db).migrate()).error, undefined);
              assertCoded(await runError(migrator(db).rollback()), "MIGRATION_FILE", ["lib_no_down", "down()"]);
              await db.schema.drop("lib_no_down");
              // resolve --rolled-back refuses a migration that ran normally: forget the row directly.
              await new MigrationRepository(db).delete(nameOf(noDown));
            });
          } finally {
            project.remove(noDown);
            await unchanged();
          }
        });

        test("Migrator.migrate(): a folder that does not exist -> CONFIG", async () => {
          const error = await runError(withConnection(database.config, (db) => migrator(db, join(project.dir, "databases/nowhere")).migrate()));
          assertCoded(error, "CONFIG", ["nowhere"]);
        });

        test("Migrator.rollback({ batch: 99 }) and migrate({ migration: unknown }) -> USAGE", async () => {
          assertCoded(await runError(withConnection(database.config, (db) => migrator(db).rollback({ batch: 99 }))), "USAGE", ["99"]);
          assertCoded(await runError(withConnection(database.config, (db) => migrator(db).migrate({ migration: "2026_09_09_000000_nope" }))), "USAGE", ["2026_09_09_000000_nope"]);
          assert.equal(await unchanged(), undefined);
        });
      });
    });
  }

  // ───────────────────────────────────────────────────────────────────────────────────────────
  // What needs no database: usage, configuration, make:migration

  describe("without a database", { concurrency: 1 }, () => {
    let project: TempProject;
    const SQLITE_FILE = "databases/app.sqlite";
    const env = () => ({ DB_CONNECTION: "sqlite", DB_DATABASE: SQLITE_FILE });
    const mortar = (args: readonly string[], extra: Record<string, string> = {}) => project.mortar(args, { ...env(), ...extra });

    before(() => {
      project = createProject("module");
      project.write(`${MIGRATIONS}/2026_01_01_000000_create_things_table.ts`, migration(`await this.schema.create("things", (t) => { t.increments("id"); });`));
    });
    after(() => project?.cleanup());

    /** Run, check, and make sure nothing was created: no database file. */
    async function attempt(args: readonly string[], expected: Expected, extra: Record<string, string> = {}): Promise<RunOutput> {
      const run = await mortar(args, extra);
      const problems = problemsOf(run, expected);
      if (existsSync(join(project.dir, SQLITE_FILE))) {
        problems.push("a database file was created");
        project.remove(SQLITE_FILE);
      }
      if (problems.length) failWith(problems, run);
      return run;
    }

    const expectRun = async (args: readonly string[], expected: Expected, extra: Record<string, string> = {}): Promise<void> => {
      await attempt(args, expected, extra);
    };

    describe("command line", () => {
      test("an unknown command: exit 2 naming it", () => expectRun(["migrate:sideways"], { exit: 2, names: ["migrate:sideways"] }));

      test("an unknown flag: exit 2 naming it", () => expectRun(["migrate", "--sideways"], { exit: 2, names: ["--sideways"] }));

      test("migrate --step abc (--step takes no value on migrate): exit 2 naming the stray value", () =>
        expectRun(["migrate", "--step", "abc"], { exit: 2, names: ["abc"] }));

      test("a flag that needs a value given none: exit 2 naming the flag", () => expectRun(["migrate:rollback", "--step"], { exit: 2, names: ["--step"] }));

      test("--lock-timeout abc: exit 2 naming the flag and the value", () => expectRun(["migrate", "--lock-timeout", "abc"], { exit: 2, names: ["--lock-timeout", "abc"] }));

      test("migrate:resolve without --applied or --rolled-back: exit 2 naming both", () =>
        expectRun(["migrate:resolve", "2026_01_01_000000_create_things_table"], { exit: 2, names: ["--applied", "--rolled-back"] }));

      test("a malformed flag value with --json: still one JSON document, code USAGE", () =>
        expectRun(["migrate:rollback", "--batch", "abc", "--json"], { exit: 2, json: "USAGE", names: ["--batch", "abc"] }));

      test("make:migration without a name: exit 2, no file", async () => {
        const before = readdirSync(join(project.dir, MIGRATIONS));
        await attempt(["make:migration"], { exit: 2, names: ["name"] });
        assert.deepEqual(readdirSync(join(project.dir, MIGRATIONS)), before);
        assertCoded(await rejection(createMigration("", { path: join(project.dir, MIGRATIONS) })), "USAGE", ["name"]);
      });

      test("make:migration with characters a migration name cannot hold: exit 2 naming it", () =>
        expectRun(["make:migration", "Create Users!"], { exit: 2, names: ["Create Users!"] }));

      test("make:migration with a name that already exists: exit 2 naming the existing file, no second file", async () => {
        const before = readdirSync(join(project.dir, MIGRATIONS));
        try {
          await attempt(["make:migration", "create_things_table"], { exit: 2, names: ["2026_01_01_000000_create_things_table.ts", "create_things_table"] });
          assert.deepEqual(readdirSync(join(project.dir, MIGRATIONS)), before, "no second file");
          const error = await rejection(createMigration("create_things_table", { path: join(project.dir, MIGRATIONS) }));
          assertCoded(error, "USAGE", ["create_things_table"]);
        } finally {
          for (const entry of readdirSync(join(project.dir, MIGRATIONS))) if (!before.includes(entry)) project.remove(`${MIGRATIONS}/${entry}`);
        }
      });
    });

    describe("configuration", () => {
      test("an unknown DB_CONNECTION: exit 2 naming the setting and the value", async () => {
        await attempt(["migrate"], { exit: 2, names: ["DB_CONNECTION", "oracle"] }, { DB_CONNECTION: "oracle" });
        await attempt(["migrate", "--json"], { exit: 2, json: "CONFIG", names: ["DB_CONNECTION", "oracle"] }, { DB_CONNECTION: "oracle" });
        assertCoded(await rejection(loadConfig({ cwd: project.dir, env: { DB_CONNECTION: "oracle" } })), "CONFIG", ["DB_CONNECTION", "oracle"]);
      });

      test("a malformed DATABASE_URL: exit 2 naming the setting, never echoing the password", async () => {
        for (const url of ["postgres://admin:s3cr3t@/app", "mysql://admin:s3cr3t@db.example.com:99999/app", "not a url"]) {
          const run = await attempt(["migrate"], { exit: 2, names: ["DATABASE_URL"] }, { DATABASE_URL: url });
          assert.doesNotMatch(run.stderr, /s3cr3t/);
          const error = await rejection(loadConfig({ cwd: project.dir, env: { DATABASE_URL: url } }));
          assertCoded(error, "CONFIG", ["DATABASE_URL"]);
          assert.doesNotMatch(error.message, /s3cr3t/);
        }
      });

      test("DB_PORT that is not a port: exit 2 naming it", async () => {
        await attempt(["migrate"], { exit: 2, names: ["DB_PORT", "abc"] }, { DB_CONNECTION: "postgres", DB_PORT: "abc" });
        assertCoded(await rejection(loadConfig({ cwd: project.dir, env: { DB_CONNECTION: "postgres", DB_PORT: "abc" } })), "CONFIG", ["DB_PORT"]);
      });

      test("a config file that throws or does not parse: exit 2 naming the file and the reason", async () => {
        project.write("throws.config.ts", `throw new Error("config exploded on purpose");\nexport default {};\n`);
        project.write("broken.config.ts", `import { defineConfig } from "mortar";\nexport default defineConfig({ connections: {\n`);
        try {
          await attempt(["migrate", "--config", "throws.config.ts"], { exit: 2, names: ["throws.config.ts", "config exploded on purpose"] });
          await attempt(["migrate", "--config", "broken.config.ts"], { exit: 2, names: ["broken.config.ts"] });
          assertCoded(await rejection(loadConfig({ cwd: project.dir, env: {}, flags: { config: "throws.config.ts" } })), "CONFIG", ["throws.config.ts", "config exploded"]);
        } finally {
          project.remove("throws.config.ts");
          project.remove("broken.config.ts");
        }
      });

      test("a config file whose default connection is not among its connections: exit 2 naming both", async () => {
        project.write("mixed.config.ts", `import { defineConfig } from "mortar";\nexport default defineConfig({ default: "primary", connections: { main: { driver: "sqlite", database: "x.sqlite" } } });\n`);
        try {
          await attempt(["migrate", "--config", "mixed.config.ts"], { exit: 2, names: ["primary", "main"] });
        } finally {
          project.remove("mixed.config.ts");
        }
      });

      test("an empty MIGRATIONS_TABLE: exit 2 naming it", () => expectRun(["migrate"], { exit: 2, names: ["MIGRATIONS_TABLE"] }, { MIGRATIONS_TABLE: "" }));

      test("--config naming a file that does not exist: exit 2 naming it", () => expectRun(["migrate", "--config", "nope.config.ts"], { exit: 2, names: ["nope.config.ts"] }));

      test("--connection with a name that is not configured: exit 2, code CONFIG", async () => {
        await attempt(["migrate", "--connection", "reporting"], { exit: 2, names: ["reporting"] });
        assertCoded(await rejection(loadConfig({ cwd: project.dir, env: {}, flags: { connection: "reporting" } })), "CONFIG", ["reporting"]);
      });
    });
  });
});
