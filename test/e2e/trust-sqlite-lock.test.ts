import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import { DIALECTS } from "../support/databases.js";
import { createProject } from "../support/project.js";
import { doneLines, MIGRATIONS_DIR, migrationName, migrationSource, SLOW_MARKER, slowMigrationSource } from "../support/safe-runs.js";
import { startMortar } from "../support/spawn.js";

// Item 7: the SQLite migration lock is keyed on the database file's real identity, and a
// lock that cannot be taken stops the run instead of letting it run unlocked.

const sqliteEnv = (file: string) => ({ DB_CONNECTION: "sqlite", DB_DATABASE: file });

function tablesOf(file: string): string[] {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return (db.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

if (DIALECTS.includes("sqlite")) {
  describe("the SQLite migration lock", () => {
    test("a symlinked file and a path through a symlinked folder take the same lock as the real path", async () => {
      const root = mkdtempSync(join(tmpdir(), "mortar-lock-"));
      const realDir = join(root, "real");
      mkdirSync(realDir);
      const realFile = join(realDir, "app.sqlite");
      const fileLink = join(root, "link.sqlite");
      const folderLink = join(root, "linked-folder");
      symlinkSync(realFile, fileLink);
      symlinkSync(realDir, folderLink, "dir");
      const project = createProject("module");
      project.write(`${MIGRATIONS_DIR}/${migrationName(1)}.mjs`, migrationSource(1));
      project.write(`${MIGRATIONS_DIR}/${migrationName(2)}.mjs`, slowMigrationSource(2));
      const holder = startMortar(project.dir, ["migrate"], { ...sqliteEnv(realFile), MORTAR_TEST_SLOW_MS: "120000" });
      try {
        await holder.waitFor(new RegExp(SLOW_MARKER), { timeoutMs: 30_000 });
        for (const path of [fileLink, join(folderLink, "app.sqlite")]) {
          const second = await project.mortar(["migrate", "--lock-timeout", "1"], sqliteEnv(path));
          assert.equal(second.code, 1, `${path}: stdout:\n${second.stdout}\nstderr:\n${second.stderr}`);
          assert.match(second.stderr, /another mortar run holds the migration lock/, second.stderr);
          assert.deepEqual(doneLines(second.stdout), [], `${path}: the second run ran nothing`);
        }
        assert.equal(holder.done, false, "the lock holder is still running, undisturbed");
        holder.kill();
        await holder.exited;
        // The killed holder's transaction rolled back and its lock went with the process.
        const after = await project.mortar(["migrate"], { ...sqliteEnv(fileLink), MORTAR_TEST_SLOW_MS: "0" });
        assert.equal(after.code, 0, after.stderr);
        assert.equal(doneLines(after.stdout).length, 2, after.stdout);
      } finally {
        holder.kill();
        await holder.exited;
        project.cleanup();
        rmSync(root, { recursive: true, force: true });
      }
    });

    test("a lock file that cannot be opened for writing stops the run with exit 1 and a clear message; nothing runs", async () => {
      const root = mkdtempSync(join(tmpdir(), "mortar-lock-"));
      const file = join(root, "app.sqlite");
      // A folder where the lock file should be: not even root can open it as a database.
      mkdirSync(`${file}.mortar-lock`);
      const project = createProject("module");
      project.write(`${MIGRATIONS_DIR}/${migrationName(1)}.mjs`, migrationSource(1));
      try {
        const run = await project.mortar(["migrate"], sqliteEnv(file));
        assert.equal(run.code, 1, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
        assert.match(run.stderr, /cannot take the migration lock/, run.stderr);
        assert.ok(run.stderr.includes(`${file}.mortar-lock`), `the message names the lock file:\n${run.stderr}`);
        assert.match(run.stderr, /nothing was run/, run.stderr);
        assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace without --verbose");
        assert.deepEqual(doneLines(run.stdout), []);
        assert.ok(!tablesOf(file).includes("t_001"), `no migration ran: ${tablesOf(file).join(", ")}`);

        const json = await project.mortar(["migrate", "--json"], sqliteEnv(file));
        assert.equal(json.code, 1, json.stderr);
        const doc = JSON.parse(json.stdout) as { error?: { message?: string } };
        assert.match(doc.error?.message ?? "", /cannot take the migration lock/, json.stdout);
      } finally {
        project.cleanup();
        rmSync(root, { recursive: true, force: true });
      }
    });
  });
}
