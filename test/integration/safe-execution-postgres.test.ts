import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { connect } from "../../src/dialect/connect.js";
import type { Database } from "../../src/dialect/database.js";
import { Migrator } from "../../src/migration/migrator.js";
import { DIALECTS, withDatabase } from "../support/databases.js";
import { withMigrationFiles } from "../support/migration-files.js";

/**
 * Safe execution on PostgreSQL (spec §9), against a real server with real blocking
 * sessions: lock_timeout with retries of the whole migration, the blocker named on
 * give-up, CONCURRENTLY indexes after the commit, NOT VALID + VALIDATE, NOT NULL through
 * a validated check, and a run stopped between steps resumed by the next safe run.
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

function readTrue(value: unknown): boolean {
  return value === true || value === "t";
}

const pg = DIALECTS.includes("postgres") ? describe : describe.skip;

pg("safe execution (postgres)", () => {
  test("a migration blocked by another session waits at most ddlLockTimeout per attempt, lets other queries through, and succeeds once the blocker ends", async () => {
    await withDatabase("postgres", async (db, database) => {
      await usersWithRows(db);
      const blocker = await connect(database.config);
      const reader = await connect(database.config);
      try {
        await blocker.execute("begin");
        await blocker.execute("lock table users in access share mode");
        await withMigrationFiles({ "2026_01_01_000000_add_name.mjs": migration(`await this.schema.table("users", (t) => { t.string("name").nullable(); });`) }, async (dir) => {
          const migrator = new Migrator(db, { path: dir, safe: { ddlLockTimeout: 1, retries: 8 } });
          const retries: number[] = [];
          let readWhileRetrying: Promise<number> | undefined;
          migrator.on("migration:retry", (event) => {
            retries.push(event.attempt);
            if (event.attempt === 1) {
              // A third session's read queues behind the waiting ALTER for at most ddlLockTimeout.
              const started = performance.now();
              readWhileRetrying = reader.read("select count(*) as n from users").then(() => performance.now() - started);
            }
            if (event.attempt === 2) void blocker.execute("commit");
          });
          const started = performance.now();
          const result = await migrator.migrate();
          assert.equal(result.error, undefined, result.error?.message);
          assert.ok(retries.length >= 2, `attempts were repeated (${retries.length})`);
          assert.ok(performance.now() - started >= 2000, "each attempt waited for the lock (about a second)");
          assert.ok(readWhileRetrying, "a read ran while the migration retried");
          assert.ok((await readWhileRetrying) < 5000, "the read was not queued behind the migration for long");
          assert.ok((await db.schema.getColumns("users")).some((c) => c.name === "name"));
        });
      } finally {
        await blocker.close();
        await reader.close();
      }
    });
  });

  test("a blocker that outlives the retries: the run fails naming its pid and query, and nothing changed", async () => {
    await withDatabase("postgres", async (db, database) => {
      await usersWithRows(db);
      const blocker = await connect(database.config);
      try {
        const [{ pid }] = (await blocker.read<{ pid: number }>("select pg_backend_pid() as pid")) as [{ pid: number }];
        await blocker.execute("begin");
        await blocker.execute("select count(*) /* the blocker */ from users");
        await withMigrationFiles({ "2026_01_01_000000_add_name.mjs": migration(`await this.schema.table("users", (t) => { t.string("name").nullable(); });`) }, async (dir) => {
          const result = await new Migrator(db, { path: dir, safe: { ddlLockTimeout: 0.3, retries: 1 } }).migrate();
          assert.equal(result.error?.code, "MIGRATION_FAILED");
          assert.match(result.error!.message, /lock timeout/i);
          assert.match(result.error!.message, new RegExp(`pid ${pid}\\b`));
          assert.match(result.error!.message, /the blocker/);
          assert.match(result.error!.message, /gave up after 2 attempts/);
          assert.equal((await db.schema.getColumns("users")).some((c) => c.name === "name"), false);
          assert.deepEqual((await new Migrator(db, { path: dir }).status()).migrations.map((m) => m.status), ["pending"]);
        });
      } finally {
        await blocker.close();
      }
    });
  });

  test("a unique index on an existing table is built CONCURRENTLY; over duplicates it fails cleanly, leaves no INVALID index, and resumes once fixed", async () => {
    await withDatabase("postgres", async (db) => {
      await usersWithRows(db);
      await db.execute("insert into users (email) values ('a@x')");
      const files = { "2026_01_01_000000_unique_email.mjs": migration(`await this.schema.table("users", (t) => { t.unique("email"); });`) };
      await withMigrationFiles(files, async (dir) => {
        const safe = { ddlLockTimeout: 1, retries: 0 };
        const pretend = await new Migrator(db, { path: dir, safe }).migrate({ pretend: true });
        const sql = pretend.migrations[0]!.statements!;
        assert.deepEqual(sql, [
          "set local lock_timeout = '1000ms'",
          "set lock_timeout = '1000ms'",
          'create unique index concurrently "users_email_unique" on "users" ("email")',
          "reset lock_timeout",
          "set local lock_timeout = '1000ms'",
          'alter table "users" add constraint "users_email_unique" unique using index "users_email_unique"',
        ]);

        const failed = await new Migrator(db, { path: dir, safe }).migrate();
        assert.equal(failed.error?.code, "MIGRATION_FAILED");
        assert.match(failed.error!.message, /could not create unique index|duplicate/i);
        const invalid = await db.read("select c.relname from pg_index i join pg_class c on c.oid = i.indexrelid where not i.indisvalid");
        assert.deepEqual(invalid, [], "no INVALID index is left behind");
        assert.equal(await db.schema.hasIndex("users", "users_email_unique"), false);
        const status = (await new Migrator(db, { path: dir }).status()).migrations[0]!;
        assert.equal(status.status, "failed");
        assert.deepEqual(status.step, { done: 0, total: 2 });
        const refused = await new Migrator(db, { path: dir }).migrate();
        assert.match(refused.error!.message, /a safe run \(--safe\) continues from there/);

        await db.execute("delete from users where id = 4");
        const resumed = await new Migrator(db, { path: dir, safe }).migrate();
        assert.equal(resumed.error, undefined, resumed.error?.message);
        assert.equal(await db.schema.hasIndex("users", ["email"], "unique"), true);
        const [constraint] = await db.read<{ contype: string }>("select contype from pg_constraint where conname = 'users_email_unique'");
        assert.equal(constraint?.contype, "u", "the index became the unique constraint");
        assert.deepEqual((await new Migrator(db, { path: dir }).status()).migrations.map((m) => m.status), ["ran"]);
      });
    });
  });

  test("a foreign key on an existing table is added NOT VALID and validated in its own step", async () => {
    await withDatabase("postgres", async (db) => {
      await usersWithRows(db);
      await db.schema.create("posts", (t) => {
        t.increments("id");
        t.integer("user_id");
      });
      await db.execute("insert into posts (user_id) values (1), (2)");
      const files = {
        "2026_01_01_000000_posts_user.mjs": migration(`await this.schema.table("posts", (t) => { t.foreign("user_id").references("id").on("users"); t.index("user_id"); });`),
      };
      await withMigrationFiles(files, async (dir) => {
        const safe = { ddlLockTimeout: 2, retries: 1 };
        const pretend = await new Migrator(db, { path: dir, safe }).migrate({ pretend: true });
        const sql = pretend.migrations[0]!.statements!.join("\n");
        assert.match(sql, /add constraint "posts_user_id_foreign" foreign key \("user_id"\) references "users" \("id"\) not valid/);
        assert.match(sql, /alter table "posts" validate constraint "posts_user_id_foreign"/);
        assert.match(sql, /create index concurrently "posts_user_id_index" on "posts"/);
        const result = await new Migrator(db, { path: dir, safe }).migrate();
        assert.equal(result.error, undefined, result.error?.message);
        const [fk] = await db.read<{ convalidated: unknown }>("select convalidated from pg_constraint where conname = 'posts_user_id_foreign'");
        assert.ok(readTrue(fk?.convalidated), "the foreign key ends validated");
        assert.equal(await db.schema.hasIndex("posts", "posts_user_id_index"), true);
      });
    });
  });

  test("NOT NULL on an existing column goes through a validated check; a VALIDATE that fails stops between steps and the next safe run resumes", async () => {
    await withDatabase("postgres", async (db) => {
      await usersWithRows(db);
      await db.execute("insert into users (email) values (null)");
      const files = { "2026_01_01_000000_email_required.mjs": migration(`await this.schema.table("users", (t) => { t.string("email").change(); });`) };
      await withMigrationFiles(files, async (dir) => {
        const safe = { ddlLockTimeout: 1, retries: 0 };
        const pretend = await new Migrator(db, { path: dir, safe }).migrate({ pretend: true });
        const sql = pretend.migrations[0]!.statements!.join("\n");
        assert.match(sql, /add constraint "email_not_null" check \("email" is not null\) not valid/);
        assert.match(sql, /validate constraint "email_not_null"/);
        assert.match(sql, /alter column "email" set not null/);

        const failed = await new Migrator(db, { path: dir, safe }).migrate();
        assert.match(failed.error?.message ?? "", /email_not_null/);
        assert.equal((await db.schema.getColumns("users")).find((c) => c.name === "email")?.nullable, true);
        const status = (await new Migrator(db, { path: dir }).status()).migrations[0]!;
        assert.deepEqual(status.step, { done: 0, total: 2 });

        await db.execute("update users set email = 'd@x' where email is null");
        const resumed = await new Migrator(db, { path: dir, safe }).migrate();
        assert.equal(resumed.error, undefined, resumed.error?.message);
        assert.equal((await db.schema.getColumns("users")).find((c) => c.name === "email")?.nullable, false);
        assert.deepEqual(await db.read("select conname from pg_constraint where conname = 'email_not_null'"), [], "the helper check is gone");
        assert.deepEqual((await new Migrator(db, { path: dir }).status()).migrations.map((m) => m.status), ["ran"]);
      });
    });
  });

  test("dropIndex on an existing table is DROP INDEX CONCURRENTLY; a new table's index stays in the transaction", async () => {
    await withDatabase("postgres", async (db) => {
      await usersWithRows(db);
      await db.schema.table("users", (t) => t.index("email"));
      const files = {
        "2026_01_01_000000_indexes.mjs": migration(
          `await this.schema.table("users", (t) => { t.dropIndex(["email"]); });
           await this.schema.create("teams", (t) => { t.increments("id"); t.string("name").index(); });`,
        ),
      };
      await withMigrationFiles(files, async (dir) => {
        const safe = { ddlLockTimeout: 1, retries: 1 };
        const pretend = await new Migrator(db, { path: dir, safe }).migrate({ pretend: true });
        const sql = pretend.migrations[0]!.statements!;
        assert.ok(sql.includes('drop index concurrently if exists "users_email_index"'), sql.join("\n"));
        assert.ok(sql.includes('create index "teams_name_index" on "teams" ("name")'), sql.join("\n"));
        const result = await new Migrator(db, { path: dir, safe }).migrate();
        assert.equal(result.error, undefined, result.error?.message);
        assert.equal(await db.schema.hasIndex("users", "users_email_index"), false);
        assert.equal(await db.schema.hasIndex("teams", "teams_name_index"), true);
      });
    });
  });
  test("a later command that needs a deferred index takes it back: a foreign key onto a new unique column builds the index in the transaction", async () => {
    await withDatabase("postgres", async (db) => {
      await usersWithRows(db);
      const files = {
        "2026_01_01_000000_invites.mjs": migration(
          `await this.schema.table("users", (t) => { t.unique("email"); });
           await this.schema.create("invites", (t) => { t.increments("id"); t.string("email"); t.foreign("email").references("email").on("users"); });`,
        ),
      };
      await withMigrationFiles(files, async (dir) => {
        const safe = { ddlLockTimeout: 1, retries: 1 };
        const sql = (await new Migrator(db, { path: dir, safe }).migrate({ pretend: true })).migrations[0]!.statements!;
        assert.ok(sql.includes('alter table "users" add constraint "users_email_unique" unique ("email")'), sql.join("\n"));
        assert.ok(!sql.some((s) => s.includes("concurrently")), sql.join("\n"));
        const result = await new Migrator(db, { path: dir, safe }).migrate();
        assert.equal(result.error, undefined, result.error?.message);
        assert.equal((await db.schema.getForeignKeys("invites")).length, 1);
      });
    });
  });

  test("a migration with static transaction = false builds its index CONCURRENTLY in place", async () => {
    await withDatabase("postgres", async (db) => {
      await usersWithRows(db);
      const files = {
        "2026_01_01_000000_email_index.mjs": `import { Migration } from "mortar";
export default class extends Migration {
  static transaction = false;
  async up() { await this.schema.table("users", (t) => { t.index("email"); }); await this.schema.table("users", (t) => { t.string("name").nullable(); }); }
  async down() {}
}
`,
      };
      await withMigrationFiles(files, async (dir) => {
        const safe = { ddlLockTimeout: 1, retries: 1 };
        const sql = (await new Migrator(db, { path: dir, safe }).migrate({ pretend: true })).migrations[0]!.statements!;
        assert.deepEqual(sql, [
          "set lock_timeout = '1000ms'",
          'create index concurrently "users_email_index" on "users" ("email")',
          'alter table "users" add column "name" varchar(255) null',
          "reset lock_timeout",
        ]);
        const result = await new Migrator(db, { path: dir, safe }).migrate();
        assert.equal(result.error, undefined, result.error?.message);
        assert.equal(await db.schema.hasIndex("users", "users_email_index"), true);
        const [setting] = await db.read<{ lock_timeout: string }>("show lock_timeout");
        assert.equal(setting?.lock_timeout, "0", "the session's lock_timeout is reset after the migration");
      });
    });
  });
  test("a rollback drops the index CONCURRENTLY after its commit and then forgets the migration", async () => {
    await withDatabase("postgres", async (db) => {
      await usersWithRows(db);
      const files = {
        "2026_01_01_000000_email_index.mjs": migration(
          `await this.schema.table("users", (t) => { t.index("email"); });`,
          `await this.schema.table("users", (t) => { t.dropIndex(["email"]); });`,
        ),
      };
      await withMigrationFiles(files, async (dir) => {
        const safe = { ddlLockTimeout: 1, retries: 1 };
        assert.equal((await new Migrator(db, { path: dir, safe }).migrate()).error, undefined);
        const pretend = await new Migrator(db, { path: dir, safe }).rollback({ pretend: true });
        assert.ok(pretend.migrations[0]!.statements!.includes('drop index concurrently if exists "users_email_index"'));
        const down = await new Migrator(db, { path: dir, safe }).rollback();
        assert.equal(down.error, undefined, down.error?.message);
        assert.equal(await db.schema.hasIndex("users", "users_email_index"), false);
        assert.deepEqual((await new Migrator(db, { path: dir }).status()).migrations.map((m) => m.status), ["pending"]);
      });
    });
  });
});
