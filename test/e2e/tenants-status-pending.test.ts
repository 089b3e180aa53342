import assert from "node:assert/strict";
import { test } from "node:test";
import { createProject } from "../support/project.js";

// `migrate:status --pending --tenants`: each tenant's pending migrations only, and exit 1
// when any tenant has one (the single-database CI check, over a fleet).

test("status --pending --tenants lists pending migrations per tenant and exits 1 while any tenant has one", async () => {
  const project = createProject("module");
  try {
    project.write("mortar.config.mjs", `export default { tenants: { glob: "databases/tenants/*.sqlite" } };\n`);
    for (const [file, table] of [["2026_01_01_000000_create_a", "a"], ["2026_01_02_000000_create_b", "b"]] as const) {
      project.write(
        `databases/migrations/${file}.ts`,
        `import { Migration } from "mortar";\nexport default class M extends Migration {\n  async up() { await this.schema.create("${table}", (t) => { t.id(); }); }\n  async down() { await this.schema.drop("${table}"); }\n}\n`,
      );
    }
    for (const id of ["one", "two"]) project.write(`databases/tenants/${id}.sqlite`, "");
    assert.equal((await project.mortar(["migrate", "--tenant", "one"])).code, 0);
    assert.equal((await project.mortar(["migrate", "--tenant", "two", "--migration", "2026_01_01_000000_create_a"])).code, 0);

    const pending = await project.mortar(["migrate:status", "--tenants", "--pending", "--json"]);
    assert.equal(pending.code, 1, pending.stderr);
    const report = JSON.parse(pending.stdout) as { tenants: { id: string; status: string; migrations: { name: string; status: string }[] }[] };
    const byId = Object.fromEntries(report.tenants.map((t) => [t.id, t.migrations.map((m) => `${m.name}:${m.status}`)]));
    assert.deepEqual(byId, { one: [], two: ["2026_01_02_000000_create_b:pending"] });
    assert.ok(report.tenants.every((t) => t.status === "ok"), "a pending migration does not fail the tenant itself");

    const all = await project.mortar(["migrate:status", "--tenants", "--json"]);
    assert.equal(all.code, 0, "without --pending, pending migrations are not a failure");

    assert.equal((await project.mortar(["migrate", "--tenants"])).code, 0);
    const none = await project.mortar(["migrate:status", "--tenants", "--pending"]);
    assert.equal(none.code, 0, none.stdout + none.stderr);
  } finally {
    project.cleanup();
  }
});
