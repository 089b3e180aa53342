import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { connect } from "../../src/dialect/connect.js";
import { MORTAR_BIN, REPO_ROOT, runNode } from "../support/project.js";

/**
 * The README's quick start runs the bundled example from the repository itself, where
 * the migrations import "mortar" by the package's own name (a self-reference, which only
 * resolves from inside the package's folder).
 */
test("the bundled example migrates and shows its status from the repository root", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mortar-example-"));
  const env = { DB_CONNECTION: "sqlite", DB_DATABASE: join(dir, "example.sqlite") };
  try {
    const migrate = await runNode([MORTAR_BIN, "migrate"], REPO_ROOT, env);
    assert.equal(migrate.code, 0, migrate.stderr);
    assert.match(migrate.stdout, /2026_01_01_000000_create_blog_tables \.+ \d+ms DONE/);
    const status = await runNode([MORTAR_BIN, "migrate:status", "--json"], REPO_ROOT, env);
    assert.equal(status.code, 0, status.stderr);
    const rows = (JSON.parse(status.stdout) as { migrations: { status: string }[] }).migrations;
    assert.deepEqual(rows.map((r) => r.status), ["ran", "ran"]);
    const db = await connect({ driver: "sqlite", database: env.DB_DATABASE });
    try {
      assert.deepEqual(await db.schema.getTables(), ["media", "migrations", "post_tag", "posts", "tags", "users"]);
      assert.ok(await db.schema.hasColumn("users", "bio"), "the await-using alter ran");
    } finally {
      await db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
