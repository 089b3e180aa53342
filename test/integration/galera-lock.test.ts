import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { connect } from "../../src/dialect/connect.js";
import type { ConnectionConfig } from "../../src/dialect/dialect.js";
import { mysqlDialect } from "../../src/dialect/mysql/mysql-dialect.js";
import { withConnection } from "../support/databases.js";
import { startHarness } from "../support/harness.js";
import { leaseRows } from "../support/lease.js";
import { createProject, type TempProject } from "../support/project.js";
import { doneLines, duplicates, MIGRATIONS_DIR, migrationName, migrationSource, tableName, writeNumberedMigrations } from "../support/safe-runs.js";
import { startMortar, type RunningMortar } from "../support/spawn.js";

// Spec §11 / issue 16: on MariaDB Galera GET_LOCK holds on one node only, so runs on two
// nodes would both "hold" it. Mortar sees wsrep_on and takes the lease row instead, which
// Galera replicates on commit (a concurrent insert on another node fails certification:
// "not acquired, retry"). scripts/galera.sh starts the 3-node cluster (4306-4308).

const NODES = [4306, 4307, 4308] as const;
const ROUNDS = 3;
const MIGRATIONS = 10;

const harness = { stop: () => {}, skip: undefined as string | undefined };

const nodeConfig = (port: number, database: string): ConnectionConfig => ({ driver: "mysql", host: "127.0.0.1", port, username: "root", password: "", database });
const nodeEnv = (port: number, database: string): Record<string, string> => ({
  DB_CONNECTION: "mysql",
  DB_HOST: "127.0.0.1",
  DB_PORT: String(port),
  DB_USERNAME: "root",
  DB_PASSWORD: "",
  DB_DATABASE: name(database),
});
const name = (database: string) => database;

async function createClusterDatabase(database: string): Promise<void> {
  await withConnection(nodeConfig(NODES[0], "mysql"), (db) => db.execute(`create database ${db.grammar.quoteIdentifier(database)}`));
}

async function dropClusterDatabase(database: string): Promise<void> {
  await withConnection(nodeConfig(NODES[0], "mysql"), (db) => db.execute(`drop database if exists ${db.grammar.quoteIdentifier(database)}`));
}

/** What one node holds: tracking rows (name, status) in id order and the t_NNN tables. */
async function nodeState(port: number, database: string): Promise<{ tracking: { migration: string; status: string }[]; tables: string[] }> {
  return withConnection(nodeConfig(port, database), async (db) => {
    const tables = (await db.schema.getTables()).filter((t) => /^t_\d{3}$/.test(t)).sort();
    const tracking = (await db.read<{ migration: string; status: string | null }>("select `migration`, `status` from `migrations` order by `id`")).map((r) => ({
      migration: String(r.migration),
      status: String(r.status ?? "ran"),
    }));
    return { tracking, tables };
  });
}

async function statusOn(project: TempProject, port: number, database: string): Promise<{ name: string; status: string }[]> {
  const run = await project.mortar(["migrate:status", "--json"], nodeEnv(port, database));
  assert.equal(run.code, 0, `migrate:status on node ${port}: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { migrations: { name: string; status: string }[] }).migrations.map((m) => ({ name: m.name, status: m.status }));
}

describe("the migration lock on a 3-node MariaDB Galera cluster", () => {
  before(() => Object.assign(harness, startHarness("galera.sh")), { timeout: 90_000 });
  after(() => harness.stop());

  test("every node is detected as a Galera node", async (t) => {
    if (harness.skip) return t.skip(harness.skip);
    for (const port of NODES) {
      await withConnection(nodeConfig(port, "mysql"), async (db) => {
        assert.match((await mysqlDialect.sessionLockUnsafe!(db, undefined)) ?? "", /Galera/, `node ${port}`);
      });
    }
  });

  test(`four concurrent runs, two on each of two nodes, apply each of ${MIGRATIONS} migrations exactly once (${ROUNDS} rounds)`, async (t) => {
    if (harness.skip) return t.skip(harness.skip);
    for (let round = 1; round <= ROUNDS; round++) {
      const database = `mortar_galera_${process.pid}_${round}`;
      const project = createProject("module");
      const runs: RunningMortar[] = [];
      await createClusterDatabase(database);
      try {
        const names = writeNumberedMigrations(project, MIGRATIONS);
        for (const port of [NODES[0], NODES[1], NODES[0], NODES[1]]) runs.push(startMortar(project.dir, ["migrate", "--lock-timeout", "60"], nodeEnv(port, database)));
        const results = await Promise.all(runs.map((r) => r.exited));
        results.forEach((r, i) => assert.equal(r.code, 0, `round ${round}, process ${i} exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`));
        const done = results.flatMap((r) => doneLines(r.stdout));
        assert.deepEqual(duplicates(done), [], `round ${round}: no migration ran twice`);
        assert.deepEqual([...done].sort(), names, `round ${round}: every migration ran once`);
        for (const r of results.filter((x) => doneLines(x.stdout).length === 0)) assert.match(r.stdout, /Nothing to migrate/, r.stdout);
        for (const port of NODES) {
          const state = await nodeState(port, database);
          assert.deepEqual(state.tracking.map((row) => row.migration), names, `round ${round}, node ${port}: every migration recorded once`);
          assert.deepEqual(state.tables, names.map((_, i) => tableName(i + 1)), `round ${round}, node ${port}: every table`);
          assert.deepEqual(await leaseRows(nodeConfig(port, database)), [], `round ${round}, node ${port}: the lease table exists and is empty`);
        }
      } finally {
        for (const run of runs) run.kill();
        await Promise.all(runs.map((r) => r.exited));
        project.cleanup();
        await dropClusterDatabase(database);
      }
    }
  });

  test("a migration that fails half-way is recorded Failed on every node and resolvable from another", async (t) => {
    if (harness.skip) return t.skip(harness.skip);
    const database = `mortar_galera_${process.pid}_failed`;
    const project = createProject("module");
    await createClusterDatabase(database);
    try {
      for (const i of [1, 2, 4]) project.write(`${MIGRATIONS_DIR}/${migrationName(i)}.mjs`, migrationSource(i));
      const failing = migrationName(3);
      project.write(
        `${MIGRATIONS_DIR}/${failing}.mjs`,
        `import { Migration } from "mortar";
export default class extends Migration {
  async up() {
    await this.schema.create("${tableName(3)}", (t) => { t.increments("id"); });
    await this.db.execute("insert into no_such_table values (1)");
  }
  async down() { await this.schema.drop("${tableName(3)}"); }
}
`,
      );
      const first = await project.mortar(["migrate"], nodeEnv(NODES[0], database));
      assert.equal(first.code, 1, `stdout:\n${first.stdout}\nstderr:\n${first.stderr}`);
      for (const port of NODES) {
        const rows = await statusOn(project, port, database);
        assert.deepEqual(
          rows.map((r) => [r.name, r.status]),
          [[migrationName(1), "ran"], [migrationName(2), "ran"], [failing, "failed"], [migrationName(4), "pending"]],
          `node ${port} sees the failed migration`,
        );
        assert.ok((await nodeState(port, database)).tables.includes(tableName(3)), `node ${port} has the table the failed migration created`);
      }
      const refused = await project.mortar(["migrate"], nodeEnv(NODES[1], database));
      assert.equal(refused.code, 1, "another node refuses to go on past the failed migration");
      assert.match(refused.stderr, new RegExp(failing));

      const resolved = await project.mortar(["migrate:resolve", failing, "--applied"], nodeEnv(NODES[2], database));
      assert.equal(resolved.code, 0, resolved.stderr);
      const rest = await project.mortar(["migrate"], nodeEnv(NODES[1], database));
      assert.equal(rest.code, 0, rest.stderr);
      assert.deepEqual(doneLines(rest.stdout), [migrationName(4)]);
      for (const port of NODES) {
        assert.deepEqual((await statusOn(project, port, database)).map((r) => r.status), ["ran", "ran", "ran", "ran"], `node ${port} after resolving`);
      }
    } finally {
      project.cleanup();
      await dropClusterDatabase(database);
    }
  });

  test("a lease row written on one node is seen at once on the others", async (t) => {
    if (harness.skip) return t.skip(harness.skip);
    const database = `mortar_galera_${process.pid}_lease`;
    await createClusterDatabase(database);
    const a = await connect(nodeConfig(NODES[0], database));
    const b = await connect(nodeConfig(NODES[2], database));
    try {
      const { acquireMigrationLock } = await import("../../src/dialect/lease/lock-selection.js");
      const held = await acquireMigrationLock(a, "mortar:galera", "migrations", 1000);
      assert.equal(held?.kind, "table", "a Galera node takes the lease without being told");
      assert.equal(await acquireMigrationLock(b, "mortar:galera", "migrations", 500), undefined, "another node cannot take it");
      await held!.release();
      const next = await acquireMigrationLock(b, "mortar:galera", "migrations", 1000);
      assert.equal(next?.kind, "table", "free on every node once released");
      await next!.release();
    } finally {
      await a.close();
      await b.close();
      await dropClusterDatabase(database);
    }
  });
});
