import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { connect } from "../../src/dialect/connect.js";
import type { ConnectionConfig } from "../../src/dialect/dialect.js";
import { postgresDialect } from "../../src/dialect/postgres/postgres-dialect.js";
import { createTestDatabase, withConnection, type TestDatabase } from "../support/databases.js";
import { startHarness } from "../support/harness.js";
import { leaseRows } from "../support/lease.js";
import { createProject } from "../support/project.js";
import { doneLines, duplicates, MIGRATIONS_DIR, readState, tableName, writeNumberedMigrations } from "../support/safe-runs.js";
import { startMortar, type RunningMortar } from "../support/spawn.js";
import { loadConfig } from "../../src/config/load-config.js";
import { migrateTenants } from "../../src/tenants/migrate-tenants.js";

// Spec §11 / issue 16: behind PgBouncer in transaction pooling mode a session advisory
// lock is taken on one pooled backend and released on another; Mortar detects the
// pooler and uses the lease row. scripts/pgbouncer.sh is started here (port 6432, pool of 3).

const PGBOUNCER_PORT = 6432;
const PROCESSES = 6;
const MIGRATIONS = 20;

const harness = { stop: () => {}, skip: undefined as string | undefined };

function throughPooler(database: TestDatabase): { config: ConnectionConfig; env: Record<string, string> } {
  return { config: { ...database.config, port: PGBOUNCER_PORT }, env: { ...database.env, DB_PORT: String(PGBOUNCER_PORT) } };
}

async function advisoryLocksOn(database: TestDatabase): Promise<number> {
  return withConnection({ ...database.config, database: "test" }, async (db) => {
    const [row] = await db.read<{ n: string }>(
      "select count(*) as n from pg_locks l join pg_database d on d.oid = l.database where l.locktype = 'advisory' and d.datname = $1",
      [database.config.database],
    );
    return Number(row?.n);
  });
}

describe("the migration lock behind PgBouncer (transaction pooling)", () => {
  before(() => Object.assign(harness, startHarness("pgbouncer.sh")));
  after(() => harness.stop());

  test("the pooler is detected; a direct connection is not taken for one", async (t) => {
    if (harness.skip) return t.skip(harness.skip);
    const database = await createTestDatabase("postgres");
    try {
      await withConnection(throughPooler(database).config, async (db) => {
        assert.match((await postgresDialect.sessionLockUnsafe!(db, db.announcedSessionId)) ?? "", /pooler/);
      });
      await withConnection(database.config, async (db) => {
        assert.equal(await postgresDialect.sessionLockUnsafe!(db, db.announcedSessionId), undefined);
      });
    } finally {
      await database.drop();
    }
  });

  test(`${PROCESSES} concurrent runs through the pooler apply each of ${MIGRATIONS} migrations once and leave no lock behind`, async (t) => {
    if (harness.skip) return t.skip(harness.skip);
    const database = await createTestDatabase("postgres");
    const project = createProject("module");
    const runs: RunningMortar[] = [];
    try {
      const names = writeNumberedMigrations(project, MIGRATIONS);
      const { env } = throughPooler(database);
      for (let i = 0; i < PROCESSES; i++) runs.push(startMortar(project.dir, ["migrate", "--lock-timeout", "60"], env));
      const results = await Promise.all(runs.map((r) => r.exited));
      results.forEach((r, i) => assert.equal(r.code, 0, `process ${i} exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`));
      const done = results.flatMap((r) => doneLines(r.stdout));
      assert.deepEqual(duplicates(done), [], "no migration ran twice");
      assert.deepEqual([...done].sort(), names, "every migration ran once");
      for (const r of results.filter((x) => doneLines(x.stdout).length === 0)) assert.match(r.stdout, /Nothing to migrate/, r.stdout);

      const state = await readState(database);
      assert.deepEqual(state.tracking.map((t) => t.migration), names, "every migration recorded once, in order");
      assert.deepEqual(state.tables, names.map((_, i) => tableName(i + 1)));
      assert.deepEqual(await leaseRows(database.config), [], "the lease table exists (the pooler was detected) and is empty");
      assert.equal(await advisoryLocksOn(database), 0, "no advisory lock left on any backend");
    } finally {
      for (const run of runs) run.kill();
      await Promise.all(runs.map((r) => r.exited));
      project.cleanup();
      await database.drop();
    }
  });

  test("withoutForeignKeyConstraints in a migration's transaction does not leak session_replication_role to pooled backends", async (t) => {
    if (harness.skip) return t.skip(harness.skip);
    const database = await createTestDatabase("postgres");
    const project = createProject("module");
    try {
      project.write(
        `${MIGRATIONS_DIR}/2026_01_01_000001_create_parents_and_children.mjs`,
        `import { Migration } from "mortar";
export default class extends Migration {
  async up() {
    await this.schema.create("parents", (t) => { t.increments("id"); });
    await this.schema.create("children", (t) => { t.increments("id"); t.foreignId("parent_id").constrained("parents"); });
    await this.schema.withoutForeignKeyConstraints(async () => {
      await this.db.execute("insert into children (parent_id) values (42)");
    });
  }
  async down() { await this.schema.drop("children"); await this.schema.drop("parents"); }
}
`,
      );
      const { env, config } = throughPooler(database);
      const run = await project.mortar(["migrate"], env);
      assert.equal(run.code, 0, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
      // Every backend of the pool (3) answers through its own client in a held transaction.
      const clients = await Promise.all([1, 2, 3].map(() => connect(config)));
      try {
        const roles = [];
        for (const db of clients) {
          await db.execute("begin");
          roles.push(String((await db.read<{ session_replication_role: string }>("show session_replication_role"))[0]?.session_replication_role));
        }
        assert.deepEqual(roles, ["origin", "origin", "origin"], "no pooled backend was left in the replica role");
      } finally {
        for (const db of clients) await db.close();
      }
    } finally {
      project.cleanup();
      await database.drop();
    }
  });

  test("a schema tenant fleet through the pooler is refused per tenant, naming the pooler; directly it migrates", async (t) => {
    if (harness.skip) return t.skip(harness.skip);
    const database = await createTestDatabase("postgres");
    const project = createProject("module");
    try {
      await withConnection(database.config, (db) => db.execute('create schema "acme"'));
      project.write(
        "databases/migrations/2026_01_01_000000_create_notes.mjs",
        `import { Migration } from "mortar";
export default class CreateNotes extends Migration {
  async up() { await this.schema.create("notes", (t) => { t.increments("id"); }); }
  async down() { await this.schema.drop("notes"); }
}
`,
      );
      const configFor = (port: number) =>
        `export default { default: "main", connections: { main: { driver: "postgres", host: "127.0.0.1", port: ${port}, username: "postgres", database: ${JSON.stringify(database.config.database)} } }, tenants: { schemas: ["acme"] } };\n`;
      project.write("mortar.config.mjs", configFor(PGBOUNCER_PORT));
      const pooled = await migrateTenants(await loadConfig({ cwd: project.dir, env: {} }));
      assert.deepEqual(pooled.tenants.map((x) => x.status), ["failed"]);
      assert.match(JSON.stringify(pooled.tenants[0]!.error), /tenant \\"acme\\": a schema tenant needs its search_path[^"]*pooler/);
      const tables = await withConnection(database.config, (db) => db.read("select table_name from information_schema.tables where table_schema = 'acme'"));
      assert.deepEqual(tables, [], "nothing was created in the schema");

      // A second file name: a config module once imported stays cached for the process.
      project.remove("mortar.config.mjs");
      project.write("mortar.config.js", configFor(Number(database.config.port)));
      const direct = await migrateTenants(await loadConfig({ cwd: project.dir, env: {} }));
      assert.deepEqual(direct.tenants.map((x) => x.status), ["ok"], JSON.stringify(direct.tenants[0]?.error));
    } finally {
      project.cleanup();
      await database.drop();
    }
  });
});
