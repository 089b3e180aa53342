import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import type { ConnectionConfig } from "../../src/dialect/dialect.js";
import { createTestDatabase, DIALECTS, type TestDatabase, withConnection } from "../support/databases.js";
import { createProject, type TempProject } from "../support/project.js";
import { startMortar } from "../support/spawn.js";

// Spec §4/§6 and the trust issue: SIGINT/SIGTERM during a run print ONE line saying which
// migrations committed and which rolled back, and exit 130/143. The line must match the
// database, not the DONE lines: on SQLite a batch is one transaction, so a migration
// printed DONE in it rolls back with it.

const DIR = "databases/migrations";
const FIRST = "2026_04_01_000001_create_sig_one_table";
const SLOW = "2026_04_01_000002_create_sig_two_table";
const MARKER = "sig_two created, now sleeping";

const FIRST_TS = `import { Migration } from "mortar";
export default class CreateSigOne extends Migration {
  async up() { await this.schema.create("sig_one", (t) => { t.increments("id"); }); }
  async down() { await this.schema.drop("sig_one"); }
}
`;

const SLOW_TS = `import { Migration } from "mortar";
export default class CreateSigTwo extends Migration {
  async up() {
    await this.schema.create("sig_two", (t) => { t.increments("id"); });
    console.log(${JSON.stringify(MARKER)});
    await new Promise((resolve) => setTimeout(resolve, 20000));
    await this.schema.create("sig_three", (t) => { t.increments("id"); });
  }
  async down() { await this.schema.dropIfExists("sig_three"); await this.schema.drop("sig_two"); }
}
`;

function state(config: ConnectionConfig): Promise<{ tables: string[]; rows: [string, string][] }> {
  return withConnection(config, async (db) => {
    const all = await db.schema.getTables();
    const q = (n: string) => db.grammar.quoteIdentifier(n);
    const rows = all.includes("migrations")
      ? (await db.read(`select ${q("migration")}, ${q("status")} from ${q("migrations")} order by ${q("id")}`)).map((r) => [String(r.migration), String(r.status)] as [string, string])
      : [];
    return { tables: all.filter((t) => t.startsWith("sig_")).sort(), rows };
  });
}

for (const dialect of DIALECTS) {
  describe(`signals during a run on ${dialect}`, () => {
    let database: TestDatabase;
    let project: TempProject;

    beforeEach(async () => {
      database = await createTestDatabase(dialect);
      project = createProject("module");
      project.write(`${DIR}/${FIRST}.ts`, FIRST_TS);
      project.write(`${DIR}/${SLOW}.ts`, SLOW_TS);
    });

    afterEach(async () => {
      project?.cleanup();
      await database?.drop();
    });

    for (const [signal, exitCode] of [
      ["SIGINT", 130],
      ["SIGTERM", 143],
    ] as const) {
      test(`${signal} in the second migration: exit ${exitCode} and one line that matches what the database kept`, async () => {
        const run = startMortar(project.dir, ["migrate"], database.env);
        await run.waitFor(new RegExp(MARKER));
        assert.match(run.stdout(), new RegExp(`${FIRST} \\.+ \\d+ms DONE`), "the first migration printed DONE before the signal");
        run.kill(signal);
        const finished = await run.exited;
        const output = `stdout:\n${finished.stdout}\nstderr:\n${finished.stderr}`;
        assert.equal(finished.code, exitCode, output);

        const lines = finished.stderr.split("\n").filter((l) => l.trim() !== "");
        assert.equal(lines.length, 1, `exactly one line on stderr\n${output}`);
        assert.doesNotMatch(finished.stdout, /FAIL|ERROR/, output);

        const after = await state(database.config);
        if (dialect === "sqlite") {
          // One transaction for the batch: the DONE of the first migration did not survive.
          assert.equal(lines[0]!.trim(), `Interrupted by ${signal}: committed none; rolled back ${FIRST}, ${SLOW}`, output);
          assert.deepEqual(after, { tables: [], rows: [] });
        } else if (dialect === "postgres") {
          assert.equal(lines[0]!.trim(), `Interrupted by ${signal}: committed ${FIRST}; rolled back ${SLOW}`, output);
          assert.deepEqual(after, { tables: ["sig_one"], rows: [[FIRST, "ran"]] });
        } else {
          // MySQL committed sig_two's CREATE TABLE: never called rolled back.
          assert.match(lines[0]!.trim(), new RegExp(`^Interrupted by ${signal}: committed ${FIRST}; left unfinished ${SLOW} \\(it may have partly run; settle it with mortar migrate:resolve ${SLOW} --applied or --rolled-back\\)$`), output);
          assert.deepEqual(after, { tables: ["sig_one", "sig_two"], rows: [[FIRST, "ran"], [SLOW, "running"]] });
        }

        // The lock died with the process: the next run goes at once.
        project.write(`${DIR}/${SLOW}.ts`, SLOW_TS.replace("20000", "0"));
        const next = await project.mortar(["migrate", "--lock-timeout", "10"], database.env);
        if (dialect === "mysql") {
          assert.equal(next.code, 1, next.stdout + next.stderr);
          assert.match(next.stderr, new RegExp(`${SLOW} did not finish`));
        } else {
          assert.equal(next.code, 0, next.stdout + next.stderr);
          assert.deepEqual((await state(database.config)).tables, ["sig_one", "sig_three", "sig_two"]);
        }
      });
    }

    test("SIGINT with --json prints one JSON document naming what committed, exit 130", async () => {
      const run = startMortar(project.dir, ["migrate", "--json"], database.env);
      await run.waitFor(new RegExp(MARKER));
      run.kill("SIGINT");
      const finished = await run.exited;
      assert.equal(finished.code, 130, finished.stdout + finished.stderr);
      // The migration's own console.log is the user's output; the document is the last line.
      const document = JSON.parse(finished.stdout.trim().split("\n").at(-1)!) as { error: { code: string; message: string }; warnings: unknown[] };
      assert.equal(document.error.code, "INTERRUPTED");
      assert.match(document.error.message, new RegExp(`^Interrupted by SIGINT: committed ${dialect === "sqlite" ? "none" : FIRST}`));
      assert.deepEqual(document.warnings, []);
    });
  });
}
