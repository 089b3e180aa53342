import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { connect } from "../../src/dialect/connect.js";
import type { ConnectionConfig } from "../../src/dialect/dialect.js";
import { leaseFileOf } from "../../src/dialect/lease/lease-presence.js";
import { acquireMigrationLock } from "../../src/dialect/lease/lock-selection.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../support/databases.js";
import { leaseRows, WAITING_MARKER, writeWaitingMigration } from "../support/lease.js";
import { createProject } from "../support/project.js";
import { doneLines, duplicates, readState, tableName, writeNumberedMigrations } from "../support/safe-runs.js";
import { startMortar, type RunningMortar } from "../support/spawn.js";

// Spec §11: the lease lock (`lock: "table"`) on every plain dialect: runs exclude each
// other, a renewing holder is never taken over, a killed holder's lease expires.

const LOCK = "mortar:lease-test:migrations";

/** Where the lease rows of a test database live (SQLite: the lease file beside it). */
function leaseStore(database: TestDatabase): ConnectionConfig {
  return database.dialect === "sqlite" ? { driver: "sqlite", database: leaseFileOf(database.config) } : database.config;
}

async function withTwo<T>(database: TestDatabase, settings: Partial<ConnectionConfig>, fn: (a: Awaited<ReturnType<typeof connect>>, b: Awaited<ReturnType<typeof connect>>) => Promise<T>): Promise<T> {
  const a = await connect({ ...database.config, ...settings });
  const b = await connect({ ...database.config, ...settings });
  try {
    return await fn(a, b);
  } finally {
    await a.close();
    await b.close();
  }
}

for (const dialect of DIALECTS) {
  describe(`lease lock on ${dialect}`, () => {
    test("a renewing holder is never taken over, and the next run gets the lease once it is released", async () => {
      const database = await createTestDatabase(dialect);
      try {
        await withTwo(database, { lock: "table", lockLease: 0.6 }, async (a, b) => {
          const first = await acquireMigrationLock(a, LOCK, "migrations", 1000);
          assert.equal(first?.kind, "table", "lock: table takes the lease");
          // 1.5 s is two and a half lease lengths: only the heartbeat keeps the lease alive.
          const started = Date.now();
          const second = await acquireMigrationLock(b, LOCK, "migrations", 1500);
          assert.equal(second, undefined, "the second run did not get the lease while the holder renewed it");
          assert.ok(Date.now() - started >= 1400, "the second run waited its whole timeout");
          assert.equal((await leaseRows(leaseStore(database)))?.length, 1, "one lease row while held");
          await first!.release();
          assert.deepEqual(await leaseRows(leaseStore(database)), [], "the release deleted the row");
          const third = await acquireMigrationLock(b, LOCK, "migrations", 1000);
          assert.equal(third?.kind, "table", "free again after the release");
          await third!.release();
        });
      } finally {
        await database.drop();
      }
    });

    test("a run on the session lock and a run on the lease exclude each other", async () => {
      const database = await createTestDatabase(dialect);
      try {
        const session = await connect({ ...database.config, lock: "session" });
        const table = await connect({ ...database.config, lock: "table", lockLease: 5 });
        try {
          const lease = await acquireMigrationLock(table, LOCK, "migrations", 1000);
          assert.equal(lease?.kind, "table");
          assert.equal(await acquireMigrationLock(session, LOCK, "migrations", 400), undefined, "a session-lock run waits for a live lease");
          await lease!.release();

          const held = await acquireMigrationLock(session, LOCK, "migrations", 1000);
          assert.equal(held?.kind, "session");
          assert.equal(await acquireMigrationLock(table, LOCK, "migrations", 400), undefined, "no lease is taken while the session lock is held");
          await held!.release();
          const after = await acquireMigrationLock(table, LOCK, "migrations", 1000);
          assert.equal(after?.kind, "table", "the lease is free once the session lock is released");
          await after!.release();
        } finally {
          await session.close();
          await table.close();
        }
      } finally {
        await database.drop();
      }
    });

    test("three mortar migrate processes on lock: table apply each of 10 migrations once and leave no lease behind", async () => {
      const database = await createTestDatabase(dialect);
      const project = createProject("module");
      const runs: RunningMortar[] = [];
      try {
        const names = writeNumberedMigrations(project, 10);
        const env = { ...database.env, DB_LOCK: "table" };
        for (let i = 0; i < 3; i++) runs.push(startMortar(project.dir, ["migrate", "--lock-timeout", "60"], env));
        const results = await Promise.all(runs.map((r) => r.exited));
        results.forEach((r, i) => assert.equal(r.code, 0, `process ${i} exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`));
        const done = results.flatMap((r) => doneLines(r.stdout));
        assert.deepEqual(duplicates(done), []);
        assert.deepEqual([...done].sort(), names);
        for (const r of results.filter((x) => doneLines(x.stdout).length === 0)) assert.match(r.stdout, /Nothing to migrate/);
        const state = await readState(database);
        assert.deepEqual(state.tracking.map((t) => t.migration), names);
        assert.deepEqual(state.tables, names.map((_, i) => tableName(i + 1)));
        assert.deepEqual(await leaseRows(leaseStore(database)), [], "no lease row left");
      } finally {
        for (const run of runs) run.kill();
        await Promise.all(runs.map((r) => r.exited));
        project.cleanup();
        await database.drop();
      }
    });

    test("a holder killed with SIGKILL loses its lease when it expires, and the next run proceeds", async () => {
      const database = await createTestDatabase(dialect);
      const project = createProject("module");
      const env = { ...database.env, DB_LOCK: "table", DB_LOCK_LEASE: "2" };
      const name = writeWaitingMigration(project, 1);
      const holder = startMortar(project.dir, ["migrate"], { ...env, MORTAR_TEST_WAIT_MS: "120000" });
      try {
        await holder.waitFor(new RegExp(WAITING_MARKER), { timeoutMs: 30_000 });
        assert.equal((await leaseRows(leaseStore(database)))?.length, 1, "the holder's lease row is there");
        holder.kill("SIGKILL");
        await holder.exited;
        const started = performance.now();
        const next = await project.mortar(["migrate", "--lock-timeout", "30"], { ...env, MORTAR_TEST_WAIT_MS: "0" });
        const elapsed = performance.now() - started;
        assert.equal(next.code, 0, `stdout:\n${next.stdout}\nstderr:\n${next.stderr}`);
        assert.deepEqual(doneLines(next.stdout), [name], "the next run applied the migration");
        assert.ok(elapsed < 15_000, `the next run went ahead once the 2 s lease expired (took ${Math.round(elapsed)} ms)`);
        assert.deepEqual((await readState(database)).tracking.map((t) => t.migration), [name]);
        assert.deepEqual(await leaseRows(leaseStore(database)), [], "no lease row left");
      } finally {
        holder.kill();
        await holder.exited;
        project.cleanup();
        await database.drop();
      }
    });

    test("a holder interrupted with SIGINT hands its lease back at once", async () => {
      const database = await createTestDatabase(dialect);
      const project = createProject("module");
      // A long lease: only the release on SIGINT can free it within the test.
      const env = { ...database.env, DB_LOCK: "table", DB_LOCK_LEASE: "300" };
      writeWaitingMigration(project, 1);
      const holder = startMortar(project.dir, ["migrate"], { ...env, MORTAR_TEST_WAIT_MS: "120000" });
      try {
        await holder.waitFor(new RegExp(WAITING_MARKER), { timeoutMs: 30_000 });
        holder.kill("SIGINT");
        const finished = await holder.exited;
        assert.equal(finished.code, 130, finished.stderr);
        assert.deepEqual(await leaseRows(leaseStore(database)), [], "the lease row was deleted on SIGINT");
        const next = await project.mortar(["migrate", "--lock-timeout", "5"], { ...env, MORTAR_TEST_WAIT_MS: "0" });
        assert.equal(next.code, 0, next.stderr);
      } finally {
        holder.kill();
        await holder.exited;
        project.cleanup();
        await database.drop();
      }
    });
  });
}
