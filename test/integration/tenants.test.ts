import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { utimesSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../../src/config/load-config.js";
import { connect } from "../../src/dialect/connect.js";
import type { ConnectionConfig } from "../../src/dialect/dialect.js";
import { UsageError } from "../../src/errors.js";
import { discoverMigrations } from "../../src/migration/file-source.js";
import { LoadedMigrationCache } from "../../src/migration/loaded-migration-cache.js";
import { migrateTenants } from "../../src/tenants/migrate-tenants.js";
import type { TenantResult } from "../../src/tenants/tenant.js";
import { createTestDatabase, DIALECTS, withConnection, type TestDatabase } from "../support/databases.js";
import { createProject, type TempProject } from "../support/project.js";
import { createSqliteTenants, cureSqliteTenant, FLEET_MIGRATION_NAMES, sqliteRan, writeFleetMigrations } from "../support/tenant-fleet.js";

/** A project whose config holds `tenants` (source text) and `connections` pointing at `connection`. */
function fleetProject(tenants: string, connection?: ConnectionConfig): TempProject {
  const project = createProject("module");
  writeFleetMigrations(project);
  const connections = connection ? `default: "main", connections: { main: ${JSON.stringify(connection)} },` : "";
  project.write("mortar.config.mjs", `export default { ${connections} tenants: ${tenants} };\n`);
  return project;
}

describe("tenant fleets (library)", () => {
  describe("200 SQLite tenants from a glob", () => {
    let project: TempProject;
    const poisoned = ["t017", "t099", "t150"];
    before(() => {
      project = fleetProject(`{ glob: "databases/tenants/*.sqlite" }`);
      createSqliteTenants(project, 200, poisoned);
    });
    after(() => project.cleanup());

    test("every tenant migrates except exactly the three made to fail; --only-failed re-runs exactly them", async () => {
      const config = await loadConfig({ cwd: project.dir, env: {} });
      const started: string[] = [];
      const ended: TenantResult[] = [];
      const report = await migrateTenants(config, {
        parallel: 4,
        on: { "tenant:start": (e) => started.push(e.id), "tenant:end": (r) => ended.push(r) },
      });
      assert.equal(report.tenants.length, 200);
      assert.equal(started.length, 200);
      assert.equal(ended.length, 200);
      const failed = report.tenants.filter((t) => t.status === "failed");
      assert.deepEqual(failed.map((t) => t.id), poisoned);
      assert.match(failed[0]!.error!.message, /poisoned on purpose/);
      assert.equal(failed[0]!.error!.migration, FLEET_MIGRATION_NAMES[1]);
      for (const tenant of report.tenants.filter((t) => t.status === "ok")) {
        assert.equal(tenant.migrations.length, 3, tenant.id);
        assert.equal(tenant.batch, 1);
      }
      // Read back: every healthy tenant holds all three, a poisoned one the migration before the failure.
      for (const id of ["t001", "t016", "t018", "t200"]) assert.deepEqual(sqliteRan(project, id), FLEET_MIGRATION_NAMES, id);
      for (const id of poisoned) assert.deepEqual(sqliteRan(project, id), FLEET_MIGRATION_NAMES.slice(0, 1), id);

      for (const id of poisoned) cureSqliteTenant(project, id);
      const again = await migrateTenants(config, { onlyFailed: true, parallel: 2 });
      assert.deepEqual(
        again.tenants.map((t) => [t.id, t.status, t.migrations.length]),
        poisoned.map((id) => [id, "ok", 2]),
      );
      for (const id of poisoned) assert.deepEqual(sqliteRan(project, id), FLEET_MIGRATION_NAMES, id);
      // Nothing failed last time: nothing to re-run.
      assert.equal((await migrateTenants(config, { onlyFailed: true })).tenants.length, 0);
    });

    test("--tenant runs one; an unknown id is a usage error before anything runs", async () => {
      const config = await loadConfig({ cwd: project.dir, env: {} });
      const report = await migrateTenants(config, { tenant: "t005" });
      assert.deepEqual(report.tenants.map((t) => [t.id, t.status, t.migrations.length]), [["t005", "ok", 0]]);
      await assert.rejects(migrateTenants(config, { tenant: "nope" }), (e: unknown) => e instanceof UsageError && /"nope"/.test(e.message));
    });
  });

  test("fail-fast: after the first failure no other tenant starts; they are reported skipped", async () => {
    const project = fleetProject(`async () => ({ glob: "databases/tenants/*.sqlite" })`);
    try {
      createSqliteTenants(project, 6, ["t003"]);
      const config = await loadConfig({ cwd: project.dir, env: {} });
      const report = await migrateTenants(config, { failFast: true, parallel: 1 });
      assert.deepEqual(
        report.tenants.map((t) => t.status),
        ["ok", "ok", "failed", "skipped", "skipped", "skipped"],
      );
      assert.deepEqual(sqliteRan(project, "t004"), []);
      // A run of one tenant leaves the others' failures for --only-failed.
      await migrateTenants(config, { tenant: "t001" });
      assert.deepEqual((await migrateTenants(config, { onlyFailed: true })).tenants.map((t) => [t.id, t.status]), [["t003", "failed"]]);
    } finally {
      project.cleanup();
    }
  });

  test("migrations are loaded once for a fleet; an edited file is loaded again", async () => {
    const project = createProject("module");
    try {
      writeFleetMigrations(project);
      const { files } = await discoverMigrations(`${project.dir}/databases/migrations`);
      const cache = new LoadedMigrationCache();
      const [first, second] = await Promise.all([cache.load(files), cache.load(files)]);
      assert.equal(cache.size, 3);
      first!.forEach((loaded, i) => assert.equal(loaded.migrationClass, second![i]!.migrationClass));
      const later = new Date(Date.now() + 5000);
      utimesSync(files[0]!.path, later, later);
      const third = await cache.load(files);
      assert.equal(third[1]!.migrationClass, first![1]!.migrationClass);
      assert.ok(third[0]!.checksum.length > 0);
    } finally {
      project.cleanup();
    }
  });

  if (DIALECTS.includes("postgres")) {
    describe("30 PostgreSQL schemas", () => {
      let database: TestDatabase;
      let project: TempProject;
      const schemas = Array.from({ length: 30 }, (_, i) => `tenant_${String(i + 1).padStart(2, "0")}`);
      before(async () => {
        database = await createTestDatabase("postgres");
        await withConnection(database.config, async (db) => {
          for (const schema of schemas) await db.execute(`create schema ${db.grammar.quoteIdentifier(schema)}`);
          await db.execute(`create table "tenant_07".poison (id int)`);
          await db.execute(`create schema "other"`);
        });
        project = fleetProject(`{ schemas: "tenant%" }`, database.config);
      });
      after(async () => {
        project.cleanup();
        await database.drop();
      });

      test("each schema gets its own tables and tracking table; the poisoned one fails alone", async () => {
        const config = await loadConfig({ cwd: project.dir, env: {} });
        const report = await migrateTenants(config, { parallel: 4 });
        assert.deepEqual(report.tenants.map((t) => t.id), schemas);
        assert.deepEqual(report.tenants.filter((t) => t.status === "failed").map((t) => t.id), ["tenant_07"]);
        await withConnection(database.config, async (db) => {
          const rows = await db.read<{ schema: string; n: string }>(
            `select table_schema as schema, count(*) as n from information_schema.tables where table_name in ('users', 'posts', 'migrations') group by table_schema order by 1`,
          );
          const counts = Object.fromEntries(rows.map((r) => [r.schema, Number(r.n)]));
          for (const schema of schemas) assert.equal(counts[schema], schema === "tenant_07" ? 2 : 3, schema);
          assert.equal(counts.other, undefined);
          assert.equal(counts.public, undefined);
          const ran = await db.read<{ n: string }>(`select count(*) as n from "tenant_12".migrations where status = 'ran'`);
          assert.equal(Number(ran[0]!.n), 3);
        });
        // The schema list form, and a schema that does not exist failing on its own.
        project.write("listed.config.mjs", `export default { default: "main", connections: { main: ${JSON.stringify(database.config)} }, tenants: { schemas: ["tenant_01", "missing"] } };\n`);
        const listed = await migrateTenants(await loadConfig({ cwd: project.dir, env: {}, flags: { config: "listed.config.mjs" } }));
        assert.deepEqual(listed.tenants.map((t) => [t.id, t.status, t.migrations.length]), [["tenant_01", "ok", 0], ["missing", "failed", 0]]);
        assert.match(listed.tenants[1]!.error!.message, /schema "missing" does not exist/);
      });
    });
  }

  if (DIALECTS.includes("mysql")) {
    describe("10 MariaDB databases", () => {
      const prefix = `mortar_tn_${randomBytes(3).toString("hex")}`;
      const server: ConnectionConfig = { driver: "mysql", host: "127.0.0.1", port: 3306, username: "root", password: "", database: "test" };
      const names = Array.from({ length: 10 }, (_, i) => `${prefix}_${i}`);
      const dropAll = () => withConnection(server, async (db) => {
        for (const name of names) await db.execute(`drop database if exists ${db.grammar.quoteIdentifier(name)}`);
      });
      before(() => withConnection(server, async (db) => {
        for (const name of names) await db.execute(`create database ${db.grammar.quoteIdentifier(name)}`);
      }));
      after(dropAll);

      test("every database matching the pattern is migrated with its own tracking table", async () => {
        const project = fleetProject(`{ databases: "${prefix}\\\\_%" }`, server);
        try {
          const config = await loadConfig({ cwd: project.dir, env: {} });
          const report = await migrateTenants(config, { parallel: 3 });
          assert.deepEqual(report.tenants.map((t) => [t.id, t.status, t.migrations.length]), names.map((n) => [n, "ok", 3]));
          for (const name of [names[0]!, names[9]!]) {
            const db = await connect({ ...server, database: name });
            try {
              assert.deepEqual([...(await db.schema.getTables())].sort(), ["migrations", "posts", "users"]);
            } finally {
              await db.close();
            }
          }
        } finally {
          project.cleanup();
        }
      });
    });
  }
});
