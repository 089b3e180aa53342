import assert from "node:assert/strict";
import { test } from "node:test";
import { createProject } from "../support/project.js";

// A migration's raw SQL may carry a password, and the configured one may be quoted in it:
// `mortar lint` prints neither, in text, `--json` or SARIF (spec §6: no output ever
// contains a password).

const SECRET = "Sup3rS3cretPW";

test("lint output masks the configured password and the string literals of raw SQL in every format", async () => {
  const project = createProject("module");
  try {
    project.write(
      "databases/migrations/2026_01_01_000000_create_app_user.ts",
      `import { Migration } from "mortar";
export default class CreateAppUser extends Migration {
  async up() { await this.db.execute("create user app with password '${SECRET}'"); }
}
`,
    );
    // The configured password is the same string: it must be masked wherever it shows.
    const env = { DATABASE_URL: `postgres://root:${SECRET}@127.0.0.1:5432/unreachable_db_for_lint` };
    for (const format of [[], ["--json"], ["--format", "sarif"]]) {
      const run = await project.mortar(["lint", "--offline", ...format], env);
      assert.equal(run.code, 1, run.stderr);
      assert.ok(!run.stdout.includes(SECRET) && !run.stderr.includes(SECRET), `${format.join(" ") || "text"}: ${run.stdout}${run.stderr}`);
      assert.match(run.stdout, /raw-sql/);
      assert.match(run.stdout, /create user app with password '…'/);
    }
    // Without any configured password, the literal is still masked by the operation's description.
    const plain = await project.mortar(["lint", "--offline", "--json"], { DB_CONNECTION: "postgres" });
    assert.ok(!plain.stdout.includes(SECRET), plain.stdout);
  } finally {
    project.cleanup();
  }
});
