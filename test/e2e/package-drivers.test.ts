import assert from "node:assert/strict";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { installPacked, packMortar } from "../support/packed-package.js";
import { REPO_ROOT, runNode, type RunOutput } from "../support/project.js";
import { tempDirMaker } from "../support/temp-dirs.js";

// The database drivers are optional peer dependencies: a project installs the one it
// uses. These tests install the packed tarball into projects that lack a driver and run
// the real binary: a missing driver is a usage error (exit 2) naming the package and the
// command that installs it, with no stack trace and nothing created.

const tempDir = tempDirMaker("mortar-package-");

const MIGRATION = `import { Migration } from "mortar";
export default class CreateFlights extends Migration {
  async up() { await this.schema.create("flights", (t) => { t.increments("id"); t.string("name"); }); }
  async down() { await this.schema.drop("flights"); }
}
`;

let tarball: string;

function project(drivers: readonly string[]): string {
  const dir = tempDir();
  installPacked(tarball, dir, drivers);
  mkdirSync(join(dir, "databases", "migrations"), { recursive: true });
  writeFileSync(join(dir, "databases", "migrations", "2026_01_01_000000_create_flights.ts"), MIGRATION);
  return dir;
}

function mortar(dir: string, args: readonly string[], env: Record<string, string> = {}): Promise<RunOutput> {
  return runNode([join(dir, "node_modules", "mortar", "bin", "mortar.js"), ...args], dir, env);
}

function assertDriverMissing(result: RunOutput, message: string): void {
  assert.equal(result.code, 2, `exit code; stderr:\n${result.stderr}`);
  assert.ok(result.stderr.includes(message), `expected ${JSON.stringify(message)} in:\n${result.stderr}`);
  assert.doesNotMatch(result.stderr, /^\s+at /m, "no stack trace without --verbose");
}

describe("database drivers are optional peer dependencies (packed package, real binary)", () => {
  before(() => {
    const destination = tempDir();
    tarball = join(destination, packMortar(destination).filename);
  });

  test("SQLite without better-sqlite3: exit 2 naming the package, and no database file made", async () => {
    const dir = project([]);
    const result = await mortar(dir, ["migrate"]);
    assertDriverMissing(result, 'SQLite needs the "better-sqlite3" package: npm install better-sqlite3');
    assert.equal(existsSync(join(dir, "databases", "database.sqlite")), false, "a failed command leaves no database behind");
  });

  test("PostgreSQL without pg: exit 2 naming pg, and --json reports DRIVER_MISSING", async () => {
    const dir = project(["better-sqlite3"]);
    const env = { DATABASE_URL: "postgres://root@127.0.0.1:5432/test" };
    assertDriverMissing(await mortar(dir, ["migrate"], env), 'PostgreSQL needs the "pg" package: npm install pg');
    const json = await mortar(dir, ["migrate", "--json"], env);
    assert.equal(json.code, 2, json.stderr);
    const document = JSON.parse(json.stdout) as { error?: { code?: string; message?: string } };
    assert.equal(document.error?.code, "DRIVER_MISSING");
    assert.match(document.error?.message ?? "", /npm install pg/);
  });

  test("MySQL without mysql2: exit 2 naming mysql2", async () => {
    const dir = project(["pg"]);
    const result = await mortar(dir, ["migrate:status"], { DATABASE_URL: "mysql://root@127.0.0.1:3306/test" });
    assertDriverMissing(result, 'MySQL needs the "mysql2" package: npm install mysql2');
  });

  test("with its driver installed, the packed package migrates (only that driver present)", async () => {
    const dir = project(["better-sqlite3"]);
    const result = await mortar(dir, ["migrate"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /2026_01_01_000000_create_flights/);
    assert.ok(existsSync(join(dir, "databases", "database.sqlite")));
  });

  test("a Mortar installed outside the project (global, linked) uses the project's driver", async () => {
    const elsewhere = tempDir();
    installPacked(tarball, elsewhere, []); // Mortar and its runtime dependencies, no driver
    const dir = tempDir(); // the project has the driver only
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(join(REPO_ROOT, "node_modules", "better-sqlite3"), join(dir, "node_modules", "better-sqlite3"), "dir");
    mkdirSync(join(dir, "databases", "migrations"), { recursive: true });
    const result = await runNode([join(elsewhere, "node_modules", "mortar", "bin", "mortar.js"), "migrate"], dir);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(existsSync(join(dir, "databases", "database.sqlite")), "the project's driver opened its database");
  });
});
