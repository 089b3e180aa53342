import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createTestDatabase, DIALECTS } from "../support/databases.js";
import { createProject } from "../support/project.js";
import {
  doneLines,
  duplicates,
  MIGRATIONS_DIR,
  migrationName,
  migrationSource,
  readState,
  SLOW_MARKER,
  slowMigrationSource,
  tableName,
  writeNumberedMigrations,
} from "../support/safe-runs.js";
import { startMortar, type RunningMortar } from "../support/spawn.js";

// Spec §6: runs against one database exclude each other through a database-level lock;
// a second `mortar migrate` waits (bounded by --lock-timeout) and then finds nothing to do.

const PROCESSES = 8;
const MIGRATIONS = 50;

interface StatusDocument {
  migrations: { name: string; status: string; batch: number | null }[];
}

for (const dialect of DIALECTS) {
  describe(`concurrent mortar runs on ${dialect}`, () => {
    test(`${PROCESSES} mortar migrate processes started together run each of ${MIGRATIONS} migrations exactly once`, async () => {
      const database = await createTestDatabase(dialect);
      const project = createProject("module");
      const runs: RunningMortar[] = [];
      try {
        const names = writeNumberedMigrations(project, MIGRATIONS);
        // Started together, before the tracking table exists: creating it is part of the race.
        for (let i = 0; i < PROCESSES; i++) runs.push(startMortar(project.dir, ["migrate", "--lock-timeout", "60"], database.env));
        const results = await Promise.all(runs.map((r) => r.exited));

        results.forEach((r, i) => assert.equal(r.code, 0, `process ${i} exited ${r.code} (${r.signal ?? "no signal"})\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`));
        const done = results.flatMap((r) => doneLines(r.stdout));
        assert.deepEqual(duplicates(done), [], "no migration printed DONE twice across the processes");
        assert.deepEqual([...done].sort(), names, "every migration printed DONE once");

        // The lock is held for the whole run: one process did all the work, in one batch,
        // and each of the others waited for it and then found nothing to do.
        const workers = results.filter((r) => doneLines(r.stdout).length > 0);
        assert.equal(workers.length, 1, `exactly one process ran migrations; DONE counts: ${results.map((r) => doneLines(r.stdout).length).join(", ")}`);
        for (const r of results.filter((x) => doneLines(x.stdout).length === 0)) {
          assert.match(r.stdout, /Nothing to migrate/, `a waiting process found nothing left to do\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
        }

        const state = await readState(database);
        assert.deepEqual(duplicates(state.tracking.map((t) => t.migration)), [], "no duplicate tracking rows");
        assert.deepEqual(state.tracking.map((t) => t.migration), names, "every migration recorded once, in order");
        assert.deepEqual(state.tracking.map((t) => t.batch), names.map(() => 1), "all in batch 1");
        assert.deepEqual(state.tables, names.map((_, i) => tableName(i + 1)));

        const status = await project.mortar(["migrate:status", "--json"], database.env);
        assert.equal(status.code, 0, status.stderr);
        const doc = JSON.parse(status.stdout) as StatusDocument;
        assert.deepEqual(doc.migrations.map((m) => [m.name, m.status, m.batch]), names.map((n) => [n, "ran", 1]));
      } finally {
        for (const run of runs) run.kill();
        await Promise.all(runs.map((r) => r.exited));
        project.cleanup();
        await database.drop();
      }
    });

    test("a run that cannot get the lock within --lock-timeout gives up with exit 1 and says why", async () => {
      const database = await createTestDatabase(dialect);
      const project = createProject("module");
      project.write(`${MIGRATIONS_DIR}/${migrationName(1)}.mjs`, migrationSource(1));
      project.write(`${MIGRATIONS_DIR}/${migrationName(2)}.mjs`, slowMigrationSource(2));
      // The holder sits inside migration 2's up() with the lock held, for far longer than the test.
      const holder = startMortar(project.dir, ["migrate"], { ...database.env, MORTAR_TEST_SLOW_MS: "120000" });
      try {
        await holder.waitFor(new RegExp(SLOW_MARKER), { timeoutMs: 30_000 });

        const started = performance.now();
        const second = await project.mortar(["migrate", "--lock-timeout", "1"], database.env);
        const elapsed = performance.now() - started;

        assert.equal(second.code, 1, `stdout:\n${second.stdout}\nstderr:\n${second.stderr}`);
        assert.match(second.stderr, /lock/i, second.stderr);
        assert.match(second.stderr, /--lock-timeout/, second.stderr);
        assert.doesNotMatch(second.stderr, /\n\s+at /, "no stack trace without --verbose");
        assert.deepEqual(doneLines(second.stdout), [], "the second run ran nothing");
        assert.ok(elapsed >= 1000, `the second run waited the 1 s it was given before giving up (took ${Math.round(elapsed)} ms)`);
        assert.ok(elapsed < 15_000, `the second run gave up after about 1 s, not the default 60 s (took ${Math.round(elapsed)} ms)`);
        assert.equal(holder.done, false, `the lock holder is still running, undisturbed\nstdout:\n${holder.stdout()}\nstderr:\n${holder.stderr()}`);

        const json = await project.mortar(["migrate", "--lock-timeout", "1", "--json"], database.env);
        assert.equal(json.code, 1, json.stderr);
        const doc = JSON.parse(json.stdout) as { error?: { message?: string } };
        assert.match(doc.error?.message ?? "", /lock.*--lock-timeout/s, json.stdout);
        assert.equal(json.stderr, "", "--json prints one document and nothing else");
      } finally {
        holder.kill();
        await holder.exited;
        project.cleanup();
        await database.drop();
      }
    });
  });
}
