import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { connect } from "../../src/dialect/connect.js";
import type { Database } from "../../src/dialect/database.js";
import {
  LockTimeoutError,
  MortarError,
  NothingSelectedError,
  ResolveRefusedError,
  UnsettledMigrationError,
  type MortarErrorCode,
} from "../../src/errors.js";
import { lockName } from "../../src/migration/lock-name.js";
import { Migrator, type RunError, type RunResult, type RunStage } from "../../src/migration/migrator.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../support/databases.js";
import { createProject, type TempProject } from "../support/project.js";

// The library's error contract (Migrator doc comment): the run methods never throw, every
// failure is `result.error` with a typed code and the stage it stopped at; the other
// methods throw typed MortarErrors. Neither names a command-line flag.

const DIR = "databases/migrations";
const USERS = "2026_02_01_000001_create_users_table";
const POSTS = "2026_02_01_000002_create_posts_table";
const FLAG = /--[a-z]|migrate:/;

const createTable = (table: string) => `import { Migration } from "mortar";
export default class extends Migration {
  async up() { await this.schema.create("${table}", (t) => { t.increments("id"); }); }
  async down() { await this.schema.drop("${table}"); }
}
`;

type RunMethod = readonly [string, (migrator: Migrator) => Promise<RunResult>];
const RUN_METHODS: readonly RunMethod[] = [
  ["migrate", (m) => m.migrate()],
  ["rollback", (m) => m.rollback()],
  ["reset", (m) => m.reset()],
  ["refresh", (m) => m.refresh()],
  ["fresh", (m) => m.fresh()],
];

/** The run resolved (it did not throw) with an error of this code and stage. */
async function refusedRun(run: Promise<RunResult>, code: MortarErrorCode, stage: RunStage): Promise<RunError> {
  let result: RunResult;
  try {
    result = await run;
  } catch (error) {
    assert.fail(`a run method threw instead of returning result.error: ${String((error as Error)?.stack ?? error)}`);
  }
  assert.ok(result.error, `expected result.error, got ${JSON.stringify(result)}`);
  assert.equal(result.error.code, code, result.error.message);
  assert.equal(result.error.stage, stage, result.error.message);
  assert.doesNotMatch(result.error.message, FLAG, "the library names no command-line flag or command");
  return result.error;
}

for (const dialect of DIALECTS) {
  describe(`the Migrator's error contract on ${dialect}`, () => {
    let database: TestDatabase;
    let project: TempProject;
    let db: Database;
    let migrator: Migrator;
    const tables = async () => (await db.schema.getTables()).sort();

    before(async () => {
      database = await createTestDatabase(dialect);
      project = createProject("module");
      project.write(`${DIR}/${USERS}.ts`, createTable("users"));
      db = await connect(database.config);
      migrator = new Migrator(db, { path: join(project.dir, DIR), lockTimeoutMs: 300 });
      const first = await migrator.migrate();
      assert.equal(first.error, undefined, first.error?.message);
      project.write(`${DIR}/${POSTS}.ts`, createTable("posts"));
    });

    after(async () => {
      await db?.close();
      project?.cleanup();
      await database?.drop();
    });

    test("an option that selects nothing: result.error USAGE at start, its option and value in fields, nothing run", async () => {
      const before = await tables();
      const cases: [() => Promise<RunResult>, "migration" | "batch", string | number, RegExp][] = [
        [() => migrator.migrate({ migration: "2026_09_09_000000_nope" }), "migration", "2026_09_09_000000_nope", /no migration file of that name/],
        [() => migrator.rollback({ migration: POSTS }), "migration", POSTS, /has not run/],
        [() => migrator.rollback({ batch: 7 }), "batch", 7, /batch 7: no migration ran in that batch \(batches: 1\)/],
      ];
      for (const [run, option, value, says] of cases) {
        const error = await refusedRun(run(), "USAGE", "start");
        assert.match(error.message, says);
        assert.ok(error.cause instanceof NothingSelectedError, String(error.cause));
        assert.equal(error.cause.option, option);
        assert.equal(error.cause.value, value);
      }
      assert.deepEqual(await tables(), before, "nothing ran");
    });

    test("another run holds the lock: every run method resolves with MIGRATION_LOCK at start and changes nothing", async () => {
      const holder = await connect(database.config);
      const release = await holder.dialectFactory.acquireLock(holder, lockName(database.config.database ?? "", "migrations"), 5_000);
      assert.ok(release, "the test could not take the lock");
      try {
        const before = await tables();
        for (const [name, run] of RUN_METHODS) {
          const error = await refusedRun(run(migrator), "MIGRATION_LOCK", "start");
          assert.ok(error.cause instanceof LockTimeoutError, `${name}: ${String(error.cause)}`);
          assert.equal(error.cause.timeoutMs, 300, name);
          assert.match(error.message, /lock/, name);
        }
        assert.deepEqual(await tables(), before, "fresh dropped nothing while another run held the lock");
      } finally {
        await release();
        await holder.close();
      }
    });

    test("an unfinished run: migrate resolves with MIGRATION_STATE naming how to settle it through the library", async () => {
      const q = (name: string) => db.grammar.quoteIdentifier(name);
      const setStatus = (status: string) =>
        db.execute(`update ${q("migrations")} set ${q("status")} = ${db.grammar.parameter(1)} where ${q("migration")} = ${db.grammar.parameter(2)}`, [status, USERS]);
      await setStatus("failed");
      try {
        const error = await refusedRun(migrator.migrate(), "MIGRATION_STATE", "start");
        assert.ok(error.cause instanceof UnsettledMigrationError, String(error.cause));
        assert.equal(error.cause.migration, USERS);
        assert.match(error.message, new RegExp(`resolve\\("${USERS}", "applied"\\)`));
        assert.deepEqual(await tables(), ["migrations", "users"], "posts did not run");
      } finally {
        await setStatus("ran");
      }
    });

    test("the other methods throw typed errors: resolve() refusals carry the migration and the reason", async () => {
      const untracked = await migrator.resolve("2026_09_09_000000_nope", "applied").then(
        () => assert.fail("resolve() of an unknown migration succeeded"),
        (error: unknown) => error,
      );
      assert.ok(untracked instanceof ResolveRefusedError, String(untracked));
      assert.equal(untracked.code, "USAGE");
      assert.equal(untracked.reason, "untracked");
      assert.match(untracked.message, /2026_09_09_000000_nope: no such migration in the tracking table/);
      const ranNormally = await migrator.resolve(USERS, "rolled-back").then(
        () => assert.fail("resolve(rolled-back) of a migration that ran normally succeeded"),
        (error: unknown) => error,
      );
      assert.ok(ranNormally instanceof ResolveRefusedError, String(ranNormally));
      assert.equal(ranNormally.reason, "ran-normally");
      assert.equal(ranNormally.batch, 1);
      assert.match(ranNormally.message, new RegExp(`rollback\\(\\{ migration: "${USERS}" \\}\\)`));
      for (const error of [untracked, ranNormally]) assert.doesNotMatch(error.message, FLAG);
      assert.deepEqual(await tables(), ["migrations", "users"], "the row and its table are still there");
    });

    test("a file that does not load stops at load; a failing up() at migration, naming it", async () => {
      const broken = "2026_02_01_000003_broken";
      project.write(`${DIR}/${broken}.ts`, `export default class NotAMigration {}\n`);
      try {
        const load = await refusedRun(migrator.migrate(), "MIGRATION_FILE", "load");
        assert.ok(load.cause instanceof MortarError);
        assert.deepEqual(await tables(), ["migrations", "users"], "posts did not run either");
      } finally {
        project.remove(`${DIR}/${broken}.ts`);
      }
      const failing = "2026_02_01_000003_failing";
      project.write(
        `${DIR}/${failing}.ts`,
        `import { Migration } from "mortar";\nexport default class extends Migration {\n  async up() { throw new Error("up went wrong"); }\n}\n`,
      );
      try {
        const step = await refusedRun(migrator.migrate(), "MIGRATION_FAILED", "migration");
        assert.equal(step.migration, failing);
        assert.match(step.message, /up went wrong/);
      } finally {
        project.remove(`${DIR}/${failing}.ts`);
        await migrator.rollback();
      }
    });
  });
}
