import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { cliMessage } from "../../src/cli/cli-wording.js";
import { LockTimeoutError, NothingSelectedError, ResolveRefusedError, UnsettledMigrationError, UsageError } from "../../src/errors.js";
import type { RunError } from "../../src/migration/migrator.js";

// The library words its errors without command-line flags; the command line puts its own
// flags back, so what a user reads is what it always was.

const NAME = "2026_01_01_000000_create_users_table";

describe("library wording vs command-line wording", () => {
  const cases: [string, Error, string, string][] = [
    [
      "a pending migration that is not there",
      new NothingSelectedError("migration", "nope.ts", "no migration file of that name"),
      "migration nope.ts: no migration file of that name",
      "--migration nope.ts: no migration file of that name",
    ],
    [
      "a batch that never ran",
      new NothingSelectedError("batch", 7, "no migration ran in that batch (batches: 1, 2)"),
      "batch 7: no migration ran in that batch (batches: 1, 2)",
      "--batch 7: no migration ran in that batch (batches: 1, 2)",
    ],
    [
      "a lock held too long",
      new LockTimeoutError("postgres 127.0.0.1:5432/app", 2500),
      "another mortar run holds the migration lock on postgres 127.0.0.1:5432/app; gave up after 2.5 s",
      "another mortar run holds the migration lock on postgres 127.0.0.1:5432/app; gave up after 2.5 s (raise it with --lock-timeout SECONDS)",
    ],
    [
      "an unfinished run",
      new UnsettledMigrationError(NAME, `${NAME} did not finish (failed: boom); statements that ran: none`, ["2026_01_02_000000_b"]),
      `${NAME} did not finish (failed: boom); statements that ran: none\n` +
        `  Fix the database by hand, then settle it: resolve("${NAME}", "applied") (its changes are in place) or resolve("${NAME}", "rolled-back") (they are undone)\n` +
        "  Also unfinished: 2026_01_02_000000_b",
      `${NAME} did not finish (failed: boom); statements that ran: none\n` +
        `  Fix the database by hand, then settle it: mortar migrate:resolve ${NAME} --applied (its changes are in place) or --rolled-back (they are undone)\n` +
        "  Also unfinished: 2026_01_02_000000_b",
    ],
    [
      "resolve of an untracked migration",
      new ResolveRefusedError("nope", "applied", "untracked"),
      "nope: no such migration in the tracking table",
      "migrate:resolve nope: no such migration in the tracking table",
    ],
    [
      "resolve --rolled-back of a migration that ran normally",
      new ResolveRefusedError(NAME, "rolled-back", "ran-normally", 3),
      `${NAME} cannot be resolved as rolled-back: it ran normally (batch 3); only a failed or interrupted run can be resolved as rolled back.\n` +
        `  To undo it, run its down(): rollback({ migration: "${NAME}" })`,
      `migrate:resolve ${NAME} --rolled-back: it ran normally (batch 3); --rolled-back only settles a failed or interrupted run.\n` +
        `  To undo it, run its down(): mortar migrate:rollback --migration ${NAME}`,
    ],
    [
      "resolve --applied of a finished migration whose file is gone",
      new ResolveRefusedError(NAME, "applied", "file-missing"),
      `${NAME} cannot be resolved as applied: its file is missing, so there is no file to accept`,
      `migrate:resolve ${NAME} --applied: its file is missing, so there is no file to accept`,
    ],
  ];

  for (const [what, error, library, cli] of cases) {
    test(`${what}: the library names no flag, the command line says what it always said`, () => {
      assert.equal(error.message, library);
      assert.doesNotMatch(error.message, /--[a-z]|migrate:/);
      assert.equal(cliMessage(error), cli);
      const runError: RunError = { code: "USAGE", stage: "start", message: error.message, cause: error };
      assert.equal(cliMessage(runError), cli, "the same wording when the error comes back as result.error");
    });
  }

  test("a run error that names its file keeps the library's message (a migration's own failure)", () => {
    const cause = new NothingSelectedError("migration", "x", "no migration file of that name");
    const runError: RunError = { code: "USAGE", stage: "migration", message: `databases/migrations/a.ts: ${cause.message}`, cause };
    assert.equal(cliMessage(runError), runError.message);
  });

  test("any other error reads as its message", () => {
    assert.equal(cliMessage(new UsageError("migrate takes no arguments")), "migrate takes no arguments");
    assert.equal(cliMessage("plain"), "plain");
  });
});
