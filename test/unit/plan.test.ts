import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MigrationFileError, MortarError, UsageError } from "../../src/errors.js";
import type { MigrationFile } from "../../src/migration/migration-file.js";
import { planMigrate, planRollback, planStatus, type RanMigration } from "../../src/migration/plan.js";

const A = "2026_01_01_000000_create_users_table";
const B = "2026_01_02_000000_create_posts_table";
const C = "2026_01_03_000000_create_tags_table";
const D = "2026_01_04_000000_create_post_tag_table";
const E = "2026_01_05_000000_add_votes_to_users_table";

function file(name: string): MigrationFile {
  return { name, path: `/project/databases/migrations/${name}.ts` };
}

function files(...names: string[]): MigrationFile[] {
  return names.map(file);
}

function ran(id: number, migration: string, batch: number, checksum: string | null = null): RanMigration {
  return { id, migration, batch, checksum };
}

/** Summaries that are easy to compare: name, direction, batch. */
function summary(steps: ReturnType<typeof planMigrate>): [string, string, number][] {
  return steps.map((s) => [s.name, s.direction, s.batch]);
}

describe("planMigrate", () => {
  test("nothing ran: every file is pending, in name order, all in the next batch", () => {
    const all = files(A, B, C);
    const steps = planMigrate(all, [], 1);
    assert.deepEqual(summary(steps), [
      [A, "up", 1],
      [B, "up", 1],
      [C, "up", 1],
    ]);
    assert.equal(steps[0]!.file, all[0]);
    assert.equal(steps[2]!.file, all[2]);
  });

  test("skips migrations that already ran and uses the given next batch", () => {
    const steps = planMigrate(files(A, B, C, D), [ran(1, A, 1), ran(2, C, 2)], 3);
    assert.deepEqual(summary(steps), [
      [B, "up", 3],
      [D, "up", 3],
    ]);
  });

  test("returns pending files in name order even when given out of order", () => {
    const steps = planMigrate(files(C, A, B), [], 1);
    assert.deepEqual(
      steps.map((s) => s.name),
      [A, B, C],
    );
  });

  test("everything ran: empty plan", () => {
    assert.deepEqual(planMigrate(files(A, B), [ran(1, A, 1), ran(2, B, 1)], 2), []);
  });

  test("no files at all: empty plan", () => {
    assert.deepEqual(planMigrate([], [], 1), []);
  });

  test("--step gives each migration its own consecutive batch", () => {
    const steps = planMigrate(files(A, B, C, D), [ran(1, A, 1)], 2, { step: true });
    assert.deepEqual(summary(steps), [
      [B, "up", 2],
      [C, "up", 3],
      [D, "up", 4],
    ]);
  });

  test("step: false behaves like no option", () => {
    const steps = planMigrate(files(A, B), [], 5, { step: false });
    assert.deepEqual(summary(steps), [
      [A, "up", 5],
      [B, "up", 5],
    ]);
  });

  test("--migration NAME runs only that pending migration", () => {
    const steps = planMigrate(files(A, B, C), [], 1, { migration: B });
    assert.deepEqual(summary(steps), [[B, "up", 1]]);
  });

  for (const given of [`${B}.ts`, `${B}.js`, `${B}.mts`, `${B}.cjs`, `databases/migrations/${B}.ts`]) {
    test(`--migration accepts "${given}" (extension and folder stripped)`, () => {
      const steps = planMigrate(files(A, B, C), [], 4, { migration: given });
      assert.deepEqual(summary(steps), [[B, "up", 4]]);
    });
  }

  test("--migration with --step still plans one migration in the next batch", () => {
    const steps = planMigrate(files(A, B, C), [ran(1, A, 1)], 2, { migration: C, step: true });
    assert.deepEqual(summary(steps), [[C, "up", 2]]);
  });

  test("--migration naming an already-ran migration: nothing to do", () => {
    assert.deepEqual(planMigrate(files(A, B), [ran(1, A, 1)], 2, { migration: A }), []);
    assert.deepEqual(planMigrate(files(A, B), [ran(1, A, 1)], 2, { migration: `${A}.ts` }), []);
  });

  test("--migration naming no file: UsageError naming it", () => {
    assert.throws(
      () => planMigrate(files(A, B), [], 1, { migration: "2026_09_09_000000_nope" }),
      (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.equal((error as MortarError).code, "USAGE");
        assert.match((error as Error).message, /2026_09_09_000000_nope/);
        return true;
      },
    );
  });
});

describe("planRollback", () => {
  // batch 1: A(1), B(2); batch 2: C(3); batch 3: D(4), E(5)
  const all = files(A, B, C, D, E);
  const history = [ran(1, A, 1), ran(2, B, 1), ran(3, C, 2), ran(4, D, 3), ran(5, E, 3)];

  test("default: the last batch, newest first", () => {
    assert.deepEqual(summary(planRollback(all, history)), [
      [E, "down", 3],
      [D, "down", 3],
    ]);
  });

  test("steps carry the file of each migration", () => {
    const steps = planRollback(all, history);
    assert.equal(steps[0]!.file, all[4]);
    assert.equal(steps[1]!.file, all[3]);
  });

  test("nothing ran: empty plan", () => {
    assert.deepEqual(planRollback(all, []), []);
    assert.deepEqual(planRollback(all, [], { all: true }), []);
    assert.deepEqual(planRollback(all, [], { step: 3 }), []);
  });

  test("order is batch descending then id descending, whatever the input order", () => {
    const shuffled = [history[2]!, history[4]!, history[0]!, history[3]!, history[1]!];
    assert.deepEqual(
      planRollback(all, shuffled, { all: true }).map((s) => s.name),
      [E, D, C, B, A],
    );
  });

  test("id decides within a batch, not the name", () => {
    // B was applied before A inside batch 1 (e.g. --migration), so A goes down first.
    const steps = planRollback(files(A, B), [ran(7, B, 1), ran(9, A, 1)]);
    assert.deepEqual(
      steps.map((s) => s.name),
      [A, B],
    );
  });

  test("batch decides before id", () => {
    // A row re-inserted later with a lower batch number cannot happen normally, but
    // the order rule is batch first.
    const steps = planRollback(files(A, B), [ran(10, A, 1), ran(2, B, 2)], { all: true });
    assert.deepEqual(
      steps.map((s) => s.name),
      [B, A],
    );
  });

  test("--step 1: only the newest migration", () => {
    assert.deepEqual(summary(planRollback(all, history, { step: 1 })), [[E, "down", 3]]);
  });

  test("--step N crosses batch boundaries", () => {
    assert.deepEqual(summary(planRollback(all, history, { step: 4 })), [
      [E, "down", 3],
      [D, "down", 3],
      [C, "down", 2],
      [B, "down", 1],
    ]);
  });

  test("--step larger than the history rolls back everything", () => {
    assert.deepEqual(
      planRollback(all, history, { step: 99 }).map((s) => s.name),
      [E, D, C, B, A],
    );
  });

  test("--batch N: every migration of that batch, newest first", () => {
    assert.deepEqual(summary(planRollback(all, history, { batch: 1 })), [
      [B, "down", 1],
      [A, "down", 1],
    ]);
    assert.deepEqual(summary(planRollback(all, history, { batch: 2 })), [[C, "down", 2]]);
  });

  test("--batch naming no batch: UsageError listing the batches there are", () => {
    assert.throws(
      () => planRollback(all, history, { batch: 7 }),
      (error: unknown) => {
        assert.ok(error instanceof UsageError);
        const message = (error as Error).message;
        assert.match(message, /7/);
        assert.match(message, /1, 2, 3/);
        return true;
      },
    );
  });

  test("--batch with nothing ran: UsageError", () => {
    assert.throws(() => planRollback(all, [], { batch: 1 }), UsageError);
  });

  test("--migration NAME: only that migration, even from an older batch", () => {
    assert.deepEqual(summary(planRollback(all, history, { migration: B })), [[B, "down", 1]]);
  });

  test("--migration accepts the file name with its extension", () => {
    assert.deepEqual(summary(planRollback(all, history, { migration: `${C}.ts` })), [[C, "down", 2]]);
    assert.deepEqual(summary(planRollback(all, history, { migration: `${C}.js` })), [[C, "down", 2]]);
  });

  test("--migration naming a migration that has not run: UsageError", () => {
    assert.throws(
      () => planRollback(files(A, B), [ran(1, A, 1)], { migration: B }),
      (error: unknown) => error instanceof UsageError && (error as Error).message.includes(B),
    );
    assert.throws(() => planRollback(all, history, { migration: "2030_01_01_000000_unknown" }), UsageError);
  });

  test("all: every migration, batch descending then id descending", () => {
    assert.deepEqual(summary(planRollback(all, history, { all: true })), [
      [E, "down", 3],
      [D, "down", 3],
      [C, "down", 2],
      [B, "down", 1],
      [A, "down", 1],
    ]);
  });

  test("a missing file among the selected migrations: MigrationFileError before anything is planned", () => {
    const withoutD = files(A, B, C, E);
    assert.throws(
      () => planRollback(withoutD, history),
      (error: unknown) => {
        assert.ok(error instanceof MigrationFileError);
        assert.equal((error as MigrationFileError).code, "MIGRATION_FILE");
        assert.equal((error as MigrationFileError).file, D);
        assert.match((error as Error).message, new RegExp(D));
        return true;
      },
    );
    assert.throws(() => planRollback(withoutD, history, { all: true }), MigrationFileError);
    assert.throws(() => planRollback(withoutD, history, { step: 2 }), MigrationFileError);
    assert.throws(() => planRollback(withoutD, history, { batch: 3 }), MigrationFileError);
    assert.throws(() => planRollback(withoutD, history, { migration: D }), MigrationFileError);
  });

  test("several missing files are all named", () => {
    assert.throws(
      () => planRollback(files(A, B, C), history, { all: true }),
      (error: unknown) => {
        assert.ok(error instanceof MigrationFileError);
        assert.match((error as Error).message, new RegExp(E));
        assert.match((error as Error).message, new RegExp(D));
        return true;
      },
    );
  });

  test("a missing file outside the selection does not matter", () => {
    const withoutA = files(B, C, D, E);
    assert.deepEqual(
      planRollback(withoutA, history).map((s) => s.name),
      [E, D],
    );
    assert.deepEqual(
      planRollback(withoutA, history, { step: 3 }).map((s) => s.name),
      [E, D, C],
    );
  });
});

describe("planStatus", () => {
  test("ran, pending, modified and missing, in name order", () => {
    const rows = planStatus(
      files(A, C, D, E),
      [ran(1, A, 1, "sum-a"), ran(2, B, 1, "sum-b"), ran(3, C, 2, "old-c")],
      new Map([
        [A, "sum-a"],
        [C, "new-c"],
        [D, "sum-d"],
        [E, "sum-e"],
      ]),
    );
    assert.deepEqual(rows, [
      { name: A, status: "ran", batch: 1 },
      { name: B, status: "missing", batch: 1 },
      { name: C, status: "modified", batch: 2 },
      { name: D, status: "pending", batch: null },
      { name: E, status: "pending", batch: null },
    ]);
  });

  test("name order regardless of input order, files and rows merged without duplicates", () => {
    const rows = planStatus(files(E, A, C), [ran(2, C, 1), ran(1, B, 1)], new Map());
    assert.deepEqual(
      rows.map((r) => [r.name, r.status]),
      [
        [A, "pending"],
        [B, "missing"],
        [C, "ran"],
        [E, "pending"],
      ],
    );
  });

  test("a stored checksum of null is never modified", () => {
    const rows = planStatus(files(A), [ran(1, A, 4, null)], new Map([[A, "anything"]]));
    assert.deepEqual(rows, [{ name: A, status: "ran", batch: 4 }]);
  });

  test("no current checksum known: ran, not modified", () => {
    const rows = planStatus(files(A), [ran(1, A, 1, "stored")], new Map());
    assert.deepEqual(rows, [{ name: A, status: "ran", batch: 1 }]);
  });

  test("equal checksums: ran", () => {
    const rows = planStatus(files(A, B), [ran(1, A, 1, "x"), ran(2, B, 2, "y")], new Map([[A, "x"], [B, "y"]]));
    assert.deepEqual(rows, [
      { name: A, status: "ran", batch: 1 },
      { name: B, status: "ran", batch: 2 },
    ]);
  });

  test("a missing migration stays missing whatever its checksum", () => {
    const rows = planStatus([], [ran(1, A, 3, "x")], new Map([[A, "y"]]));
    assert.deepEqual(rows, [{ name: A, status: "missing", batch: 3 }]);
  });

  test("nothing at all: empty", () => {
    assert.deepEqual(planStatus([], [], new Map()), []);
  });
});
