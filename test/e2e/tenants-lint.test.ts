import assert from "node:assert/strict";
import { test } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import { createProject } from "../support/project.js";

// `mortar lint --tenants` (issue 16: lint is one of the commands a fleet runs): each tenant's
// pending migrations are linted against that tenant's own database; a finding fails the tenant.

const migration = (name: string, body: string) => `import { Migration } from "mortar";
export default class ${name} extends Migration {
  async up() { ${body} }
  async down() {}
}
`;

test("lint --tenants: each tenant is linted against its own database; a finding fails only that tenant", async () => {
  const project = createProject("module");
  try {
    project.write("mortar.config.mjs", `export default { tenants: { glob: "databases/tenants/*.sqlite" } };\n`);
    project.write(
      "databases/migrations/2026_01_01_000000_create_users.ts",
      migration("CreateUsers", `await this.schema.create("users", (t) => { t.id(); t.string("name"); });`),
    );
    project.write(
      "databases/migrations/2026_01_02_000000_drop_users.ts",
      migration("DropUsers", `await this.schema.drop("users");`),
    );
    for (const id of ["alpha", "beta", "gamma"]) project.write(`databases/tenants/${id}.sqlite`, "");
    // gamma already ran both migrations: nothing pending, nothing to report.
    const gamma = await project.mortar(["migrate", "--tenant", "gamma"]);
    assert.equal(gamma.code, 0, gamma.stderr);
    // beta ran the first one, and its users table holds a row: dropping it is reported.
    const beta = await project.mortar(["migrate", "--tenant", "beta", "--migration", "2026_01_01_000000_create_users"]);
    assert.equal(beta.code, 0, beta.stderr + beta.stdout);
    const file = `${project.dir}/databases/tenants/beta.sqlite`;
    const raw = new BetterSqlite3(file);
    raw.prepare("insert into users (name) values ('Ada')").run();
    raw.close();

    const run = await project.mortar(["lint", "--tenants", "--json"]);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as { tenants: { id: string; status: string; migrations: { rule: string; migration: string }[] }[] };
    const byId = Object.fromEntries(report.tenants.map((t) => [t.id, t]));
    assert.deepEqual(Object.keys(byId).sort(), ["alpha", "beta", "gamma"]);
    assert.equal(byId.gamma!.status, "ok");
    assert.deepEqual(byId.gamma!.migrations, []);
    assert.equal(byId.beta!.status, "failed");
    assert.deepEqual(byId.beta!.migrations.map((f) => [f.rule, f.migration]), [["drop-table", "2026_01_02_000000_drop_users"]]);
    // alpha has nothing yet: users is created by a pending migration, so its drop is not reported on a busy table;
    // whatever alpha reports, it is its own database's view, not beta's.
    assert.ok(byId.alpha!.migrations.every((f) => f.migration !== undefined));

    const sarif = await project.mortar(["lint", "--tenants", "--format", "sarif"]);
    assert.equal(sarif.code, 2);
    assert.match(sarif.stderr, /--format sarif describes one database/);
  } finally {
    project.cleanup();
  }
});
