import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { connect } from "../../src/dialect/connect.js";
import type { Database } from "../../src/dialect/database.js";
import { Migrator } from "../../src/migration/migrator.js";
import { DIALECTS, withDatabase } from "../support/databases.js";
import { withMigrationFiles } from "../support/migration-files.js";

/**
 * Safe execution on MariaDB/MySQL (spec §9), against a real server: lock_wait_timeout
 * with retries of the failed statement (earlier statements have committed), the open
 * transaction named on give-up, ALGORITHM=INPLACE, LOCK=NONE on ALTERs and a clear
 * refusal where the server would copy the table.
 */

const migration = (up: string, down = "") => `import { Migration } from "mortar";
export default class extends Migration {
  async up() { ${up} }
  async down() { ${down} }
}
`;

async function usersWithRows(db: Database): Promise<void> {
  await db.schema.create("users", (t) => {
    t.increments("id");
    t.string("email").nullable();
  });
  await db.execute("insert into users (email) values ('a@x'), ('b@x'), ('c@x')");
}

const mysql = DIALECTS.includes("mysql") ? describe : describe.skip;

mysql("safe execution (mysql)", () => {
  test("pretend shows the session timeouts and ALGORITHM=INPLACE, LOCK=NONE on the existing table only", async () => {
    await withDatabase("mysql", async (db) => {
      await usersWithRows(db);
      const files = {
        "2026_01_01_000000_alter.mjs": migration(
          `await this.schema.table("users", (t) => { t.string("name").nullable(); t.index("email"); });
           await this.schema.create("teams", (t) => { t.increments("id"); });`,
        ),
      };
      await withMigrationFiles(files, async (dir) => {
        const pretend = await new Migrator(db, { path: dir, safe: { ddlLockTimeout: 3 } }).migrate({ pretend: true });
        const sql = pretend.migrations[0]!.statements!;
        assert.equal(sql[0], "set session lock_wait_timeout = 3, innodb_lock_wait_timeout = 3");
        assert.equal(sql.at(-1), "set session lock_wait_timeout = default, innodb_lock_wait_timeout = default");
        assert.ok(sql.includes("alter table `users` add `name` varchar(255) null, algorithm=inplace, lock=none"), sql.join("\n"));
        assert.ok(sql.includes("alter table `users` add index `users_email_index` (`email`), algorithm=inplace, lock=none"), sql.join("\n"));
        assert.ok(sql.some((s) => s.startsWith("create table `teams`") && !s.includes("algorithm")), sql.join("\n"));
        const result = await new Migrator(db, { path: dir, safe: { ddlLockTimeout: 3 } }).migrate();
        assert.equal(result.error, undefined, result.error?.message);
        assert.equal(await db.schema.hasIndex("users", "users_email_index"), true);
      });
    });
  });

  test("a statement blocked by an open transaction is retried alone, other queries get through, and it succeeds once the blocker ends", async () => {
    await withDatabase("mysql", async (db, database) => {
      await usersWithRows(db);
      await db.schema.create("teams", (t) => t.increments("id"));
      const blocker = await connect(database.config);
      const reader = await connect(database.config);
      try {
        await blocker.execute("start transaction");
        await blocker.read("select count(*) from users");
        const files = {
          "2026_01_01_000000_two_statements.mjs": migration(
            `await this.schema.table("teams", (t) => { t.string("name").nullable(); });
             await this.schema.table("users", (t) => { t.string("name").nullable(); });`,
          ),
        };
        await withMigrationFiles(files, async (dir) => {
          const migrator = new Migrator(db, { path: dir, safe: { ddlLockTimeout: 1, retries: 8 } });
          const retries: number[] = [];
          let readWhileRetrying: Promise<number> | undefined;
          migrator.on("migration:retry", (event) => {
            retries.push(event.attempt);
            if (event.attempt === 1) {
              const started = performance.now();
              readWhileRetrying = reader.read("select count(*) as n from users").then(() => performance.now() - started);
            }
            if (event.attempt === 2) void blocker.execute("commit");
          });
          const result = await migrator.migrate();
          assert.equal(result.error, undefined, result.error?.message);
          assert.ok(retries.length >= 2, `the statement was retried (${retries.length})`);
          assert.ok(readWhileRetrying);
          assert.ok((await readWhileRetrying) < 5000, "the read was not queued behind the ALTER for long");
          assert.ok((await db.schema.getColumns("users")).some((c) => c.name === "name"));
          assert.ok((await db.schema.getColumns("teams")).some((c) => c.name === "name"), "the first statement ran once");
          assert.deepEqual((await migrator.status()).migrations.map((m) => m.status), ["ran"]);
        });
      } finally {
        await blocker.close();
        await reader.close();
      }
    });
  });

  test("a blocker that outlives the retries: the run fails naming its thread id", async () => {
    await withDatabase("mysql", async (db, database) => {
      await usersWithRows(db);
      const blocker = await connect(database.config);
      try {
        const [{ id }] = (await blocker.read<{ id: number }>("select connection_id() as id")) as [{ id: number }];
        await blocker.execute("start transaction");
        await blocker.read("select count(*) from users");
        await withMigrationFiles({ "2026_01_01_000000_add_name.mjs": migration(`await this.schema.table("users", (t) => { t.string("name").nullable(); });`) }, async (dir) => {
          const result = await new Migrator(db, { path: dir, safe: { ddlLockTimeout: 1, retries: 1 } }).migrate();
          assert.equal(result.error?.code, "MIGRATION_FAILED");
          assert.match(result.error!.message, /Lock wait timeout/);
          assert.match(result.error!.message, new RegExp(`thread ${id}\\b`));
          assert.match(result.error!.message, /idle in transaction/);
          assert.equal((await db.schema.getColumns("users")).some((c) => c.name === "name"), false);
          assert.deepEqual((await new Migrator(db, { path: dir }).status()).migrations.map((m) => m.status), ["pending"], "nothing ran: no row is left");
        });
      } finally {
        await blocker.close();
      }
    });
  });

  test("a blocker holding LOCK TABLES (no open InnoDB transaction) is still named", async () => {
    await withDatabase("mysql", async (db, database) => {
      await usersWithRows(db);
      const blocker = await connect(database.config);
      try {
        const [{ id }] = (await blocker.read<{ id: number }>("select connection_id() as id")) as [{ id: number }];
        await blocker.execute("lock tables users read");
        await withMigrationFiles({ "2026_01_01_000000_add_name.mjs": migration(`await this.schema.table("users", (t) => { t.string("name").nullable(); });`) }, async (dir) => {
          const result = await new Migrator(db, { path: dir, safe: { ddlLockTimeout: 1, retries: 0 } }).migrate();
          assert.match(result.error?.message ?? "", /gave up after 1 attempt;/);
          assert.match(result.error!.message, new RegExp(`thread ${id}\\b`));
        });
      } finally {
        await blocker.close();
      }
    });
  });

  test("an ALTER the server would do by copying the table is refused before it starts, naming the migration and why", async () => {
    await withDatabase("mysql", async (db) => {
      await usersWithRows(db);
      const files = { "2026_01_01_000000_widen_email.mjs": migration(`await this.schema.table("users", (t) => { t.text("email").nullable().change(); });`) };
      await withMigrationFiles(files, async (dir) => {
        const before = await db.schema.getColumns("users");
        const result = await new Migrator(db, { path: dir, safe: true }).migrate();
        assert.equal(result.error?.code, "MIGRATION_FAILED");
        assert.match(result.error!.message, /2026_01_01_000000_widen_email/);
        assert.match(result.error!.message, /safe execution refuses this ALTER/);
        assert.match(result.error!.message, /Cannot change column type/);
        assert.match(result.error!.sql ?? "", /algorithm=inplace, lock=none/);
        assert.deepEqual(await db.schema.getColumns("users"), before, "the table was not touched");
        assert.deepEqual((await new Migrator(db, { path: dir }).status()).migrations.map((m) => m.status), ["pending"]);
      });
    });
  });
});
