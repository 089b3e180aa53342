import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import { createProject, type TempProject } from "../support/project.js";
import { startMortar } from "../support/spawn.js";
import {
  createSqliteTenants,
  cureSqliteTenant,
  FLEET_MIGRATION_NAMES,
  sqliteRan,
  sqliteTenantFile,
  writeFleetMigrations,
} from "../support/tenant-fleet.js";

interface FleetDocument {
  tenants: { id: string; status: string; batch: number | null; migrations: { name: string; status: string }[]; error?: { code: string; message: string } }[];
  warnings: string[];
}

function fleetProject(tenants = `{ glob: "databases/tenants/*.sqlite" }`): TempProject {
  const project = createProject("module");
  writeFleetMigrations(project);
  project.write("mortar.config.mjs", `export default { tenants: ${tenants} };\n`);
  return project;
}

function parse(stdout: string): FleetDocument {
  const lines = stdout.trim().split("\n");
  assert.equal(lines.length, 1, `one JSON document, got: ${stdout.slice(0, 500)}`);
  return JSON.parse(lines[0]!) as FleetDocument;
}

describe("mortar … --tenants", () => {
  describe("a fleet of 200 SQLite tenants", () => {
    let project: TempProject;
    const poisoned = ["t002", "t100", "t177"];
    before(() => {
      project = fleetProject();
      createSqliteTenants(project, 200, poisoned);
    });
    after(() => project.cleanup());

    test("--json reports exactly the three failed tenants and exits 1; --only-failed re-runs exactly them", async () => {
      const first = await project.mortar(["migrate", "--tenants", "--parallel", "4", "--json"]);
      assert.equal(first.code, 1, first.stderr);
      const report = parse(first.stdout);
      assert.deepEqual(Object.keys(report), ["tenants", "warnings"]);
      assert.equal(report.tenants.length, 200);
      assert.deepEqual(Object.keys(report.tenants[0]!), ["id", "status", "batch", "migrations"]);
      assert.deepEqual(report.tenants[0]!.migrations.map((m) => [m.name, m.status]), FLEET_MIGRATION_NAMES.map((n) => [n, "ran"]));
      const failed = report.tenants.filter((t) => t.status === "failed");
      assert.deepEqual(failed.map((t) => t.id), poisoned);
      assert.deepEqual(Object.keys(failed[0]!), ["id", "status", "batch", "migrations", "error"]);
      assert.equal(failed[0]!.error!.code, "MIGRATION_FAILED");
      assert.equal(report.tenants.filter((t) => t.status === "ok").length, 197);

      for (const id of poisoned) cureSqliteTenant(project, id);
      const again = await project.mortar(["migrate", "--tenants", "--only-failed", "--json"]);
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(parse(again.stdout).tenants.map((t) => [t.id, t.status, t.migrations.length]), poisoned.map((id) => [id, "ok", 2]));

      const status = await project.mortar(["migrate:status", "--tenants", "--parallel", "2", "--json"]);
      assert.equal(status.code, 0, status.stderr);
      const rows = parse(status.stdout).tenants;
      assert.equal(rows.length, 200);
      assert.ok(rows.every((t) => t.status === "ok" && t.migrations.length === 3 && t.migrations.every((m) => m.status === "ran")));
    });

    test("--tenant ID in text: one line for the tenant, then the summary", async () => {
      const run = await project.mortar(["migrate:rollback", "--tenant", "t050"]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^ {2}t050 \.+ 3 migrations {2}\d+(ms|\.\ds) DONE$/m);
      assert.match(run.stdout, /1 tenant: 1 ok, 0 failed, 0 skipped in /);
      assert.deepEqual(sqliteRan(project, "t050"), []);
      assert.deepEqual(sqliteRan(project, "t051"), FLEET_MIGRATION_NAMES);
      const unknown = await project.mortar(["migrate", "--tenant", "t999"]);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /tenant "t999" is not among the 200 configured tenants/);
    });
  });

  test("--fail-fast skips the tenants not started after a failure; exit 1; the text names the error", async () => {
    const project = fleetProject();
    try {
      createSqliteTenants(project, 5, ["t002"]);
      const run = await project.mortar(["migrate", "--tenants", "--fail-fast"]);
      assert.equal(run.code, 1);
      assert.match(run.stdout, /t002 \.+ 1 migration {2}\d+ms FAIL\n +ERROR {2}.*2026_01_01_000002_create_posts_table\.ts: up\(\) failed: this tenant is poisoned on purpose/);
      assert.match(run.stdout, /t003 \.+ SKIPPED/);
      assert.match(run.stdout, /FAIL {2}5 tenants: 1 ok, 1 failed, 3 skipped in /);
      assert.deepEqual(sqliteRan(project, "t005"), []);
    } finally {
      project.cleanup();
    }
  });

  test("two concurrent fleet runs apply every tenant's migrations once", async () => {
    const project = fleetProject();
    try {
      const ids = createSqliteTenants(project, 60);
      const runs = [0, 1].map(() => startMortar(project.dir, ["migrate", "--tenants", "--parallel", "2", "--json"]));
      const [a, b] = await Promise.all(runs.map((r) => r.exited));
      assert.equal(a!.code, 0, a!.stderr);
      assert.equal(b!.code, 0, b!.stderr);
      const [ra, rb] = [parse(a!.stdout), parse(b!.stdout)];
      for (const [i, id] of ids.entries()) {
        assert.equal(ra.tenants[i]!.migrations.length + rb.tenants[i]!.migrations.length, 3, id);
        assert.deepEqual(sqliteRan(project, id), FLEET_MIGRATION_NAMES, id);
      }
    } finally {
      project.cleanup();
    }
  });

  test("a fleet run killed part-way, run again, completes with nothing applied twice", async () => {
    const project = fleetProject();
    try {
      const ids = createSqliteTenants(project, 40);
      const slow = { MORTAR_TEST_SLOW_MS: "40" };
      const killed = startMortar(project.dir, ["migrate", "--tenants", "--parallel", "2"], slow);
      await killed.waitFor(/ DONE$/m, { count: 6, timeoutMs: 30_000 });
      killed.kill("SIGKILL");
      const gone = await killed.exited;
      assert.equal(gone.signal, "SIGKILL");
      const done = ids.filter((id) => sqliteRan(project, id).length === 3);
      assert.ok(done.length >= 6 && done.length < 40, `done before the kill: ${done.length}`);

      const again = await project.mortar(["migrate", "--tenants", "--parallel", "2", "--json"]);
      assert.equal(again.code, 0, again.stderr);
      const report = parse(again.stdout);
      for (const tenant of report.tenants) {
        assert.equal(tenant.migrations.length, done.includes(tenant.id) ? 0 : 3, tenant.id);
        assert.deepEqual(sqliteRan(project, tenant.id), FLEET_MIGRATION_NAMES, tenant.id);
      }
    } finally {
      project.cleanup();
    }
  });

  test("fresh and db:seed run on every tenant", async () => {
    const project = fleetProject();
    try {
      createSqliteTenants(project, 3);
      project.write(
        "databases/seeders/DatabaseSeeder.ts",
        `import { Seeder } from "mortar";\nexport default class DatabaseSeeder extends Seeder {\n  async run() { await this.db.execute("insert into users (email) values ('ada@example.com')"); }\n}\n`,
      );
      assert.equal((await project.mortar(["migrate", "--tenants"])).code, 0);
      const fresh = await project.mortar(["migrate:fresh", "--tenants", "--json"]);
      assert.equal(fresh.code, 0, fresh.stderr);
      assert.ok(parse(fresh.stdout).tenants.every((t) => t.migrations.length === 3));
      const seeded = await project.mortar(["db:seed", "--tenants", "--json"]);
      assert.equal(seeded.code, 0, seeded.stderr);
      assert.deepEqual(parse(seeded.stdout).tenants.map((t) => t.migrations), [1, 2, 3].map(() => [{ name: "DatabaseSeeder", status: "seeded" }]));
      const db = new BetterSqlite3(sqliteTenantFile(project, "t003"), { readonly: true });
      assert.deepEqual(db.prepare("select email from users").all(), [{ email: "ada@example.com" }]);
      db.close();
    } finally {
      project.cleanup();
    }
  });

  test("usage and configuration mistakes exit 2 and name the flag or key", async () => {
    const project = fleetProject(`{ glob: 5 }`);
    try {
      const badGlob = await project.mortar(["migrate", "--tenants"]);
      assert.equal(badGlob.code, 2);
      assert.match(badGlob.stderr, /tenants\.glob must be a file pattern/);
      const badJson = await project.mortar(["migrate:status", "--tenants", "--json"]);
      assert.equal(badJson.code, 2);
      assert.equal(JSON.parse(badJson.stdout).error.code, "CONFIG");
      project.write("mortar.config.mjs", `export default { tenants: [{ id: "a", database: "a.sqlite" }, { driver: "sqlite" }] };\n`);
      const noId = await project.mortar(["migrate", "--tenants"]);
      assert.equal(noId.code, 2);
      assert.match(noId.stderr, /tenants\[1\]\.id must be a non-empty string/);
      const stray = await project.mortar(["migrate", "--parallel", "2"]);
      assert.equal(stray.code, 2);
      assert.match(stray.stderr, /--parallel works on a fleet: add --tenants/);
      const zero = await project.mortar(["migrate", "--tenants", "--parallel", "0"]);
      assert.equal(zero.code, 2);
    } finally {
      project.cleanup();
    }
  });
});
