import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { connect } from "../../src/dialect/connect.js";
import { createTestDatabase, DIALECTS, withConnection } from "../support/databases.js";
import { createProject, type TempProject } from "../support/project.js";

/** Safe execution through the real binary: flags, config keys, their errors, and a give-up that names the blocker. */

const ADD_NAME = `import { Migration } from "mortar";
export default class AddName extends Migration {
  async up() { await this.schema.table("users", (t) => { t.string("name").nullable(); }); }
  async down() { await this.schema.table("users", (t) => { t.dropColumn("name"); }); }
}
`;

const CREATE_USERS = `import { Migration } from "mortar";
export default class CreateUsers extends Migration {
  async up() { await this.schema.create("users", (t) => { t.increments("id"); t.string("email").nullable(); }); }
  async down() { await this.schema.drop("users"); }
}
`;

const UNIQUE_EMAIL = `import { Migration } from "mortar";
export default class UniqueEmail extends Migration {
  async up() { await this.schema.table("users", (t) => { t.unique("email"); }); }
  async down() { await this.schema.table("users", (t) => { t.dropUnique("users_email_unique"); }); }
}
`;

async function withProject(fn: (p: TempProject) => Promise<void>): Promise<void> {
  const p = createProject("module");
  try {
    p.write("databases/migrations/2026_01_01_000000_create_users.ts", CREATE_USERS);
    await fn(p);
  } finally {
    p.cleanup();
  }
}

describe("mortar --safe: flags and configuration", () => {
  test("a bad --ddl-lock-timeout is a usage error naming the flag (exit 2)", async () => {
    await withProject(async (p) => {
      const r = await p.mortar(["migrate", "--safe", "--ddl-lock-timeout", "soon"]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /--ddl-lock-timeout must be a positive number of seconds, got "soon"/);
    });
  });

  test("--ddl-lock-timeout without safe execution is refused, naming --safe (exit 2)", async () => {
    await withProject(async (p) => {
      const r = await p.mortar(["migrate", "--ddl-lock-timeout", "2"]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /--ddl-lock-timeout applies to safe execution: add --safe/);
    });
  });

  test("bad config keys and environment values are configuration errors naming them (exit 2)", async () => {
    await withProject(async (p) => {
      p.write("mortar.config.mjs", "export default { safe: true, retries: -1 };\n");
      let r = await p.mortar(["migrate"]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /mortar\.config\.mjs: retries must be a whole number \(0 or more\), got -1/);
      p.write("mortar.config.mjs", "export default { safe: true, ddlLockTimeout: \"5s\" };\n");
      r = await p.mortar(["migrate"]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /ddlLockTimeout must be a positive number of seconds, got "5s"/);
      p.write("mortar.config.mjs", "export default { safe: \"yes\" };\n");
      r = await p.mortar(["migrate"]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /safe must be true or false/);
      p.remove("mortar.config.mjs");
      r = await p.mortar(["migrate"], { MORTAR_SAFE: "1", MORTAR_DDL_LOCK_TIMEOUT: "0" });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /MORTAR_DDL_LOCK_TIMEOUT must be a positive number of seconds, got "0"/);
    });
  });

  test("SQLite accepts --safe and runs as it always does", async () => {
    await withProject(async (p) => {
      const pretend = await p.mortar(["migrate", "--safe", "--pretend"]);
      const plain = await p.mortar(["migrate", "--pretend"]);
      assert.equal(pretend.code, 0, pretend.stderr);
      assert.equal(pretend.stdout, plain.stdout, "the same statements with and without --safe");
      const r = await p.mortar(["migrate", "--safe"]);
      assert.equal(r.code, 0, r.stderr);
      const status = await p.mortar(["migrate:status", "--json"]);
      assert.deepEqual(JSON.parse(status.stdout).migrations.map((m: { status: string }) => m.status), ["ran"]);
    });
  });
});

const pg = DIALECTS.includes("postgres") ? describe : describe.skip;

pg("mortar --safe on PostgreSQL", () => {
  test("a blocker that outlives the retries: exit 1 naming its pid and query, no stack trace", async () => {
    const database = await createTestDatabase("postgres");
    const blocker = await connect(database.config);
    try {
      await withProject(async (p) => {
        assert.equal((await p.mortar(["migrate"], database.env)).code, 0);
        p.write("databases/migrations/2026_01_02_000000_add_name.ts", ADD_NAME);
        p.write("mortar.config.mjs", "export default { safe: true, retries: 1 };\n");
        const [{ pid }] = (await blocker.read<{ pid: number }>("select pg_backend_pid() as pid")) as [{ pid: number }];
        await blocker.execute("begin");
        await blocker.execute("select count(*) /* report builder */ from users");
        const r = await p.mortar(["migrate", "--ddl-lock-timeout", "0.5"], database.env);
        assert.equal(r.code, 1, r.stdout + r.stderr);
        const output = r.stdout + r.stderr;
        assert.match(output, /2026_01_02_000000_add_name/);
        assert.match(output, new RegExp(`blocked by pid ${pid}\\b`));
        assert.match(output, /report builder/);
        assert.doesNotMatch(output, /\n\s+at /, "no stack trace without --verbose");
        await blocker.execute("rollback");
        const again = await p.mortar(["migrate", "--safe"], database.env);
        assert.equal(again.code, 0, again.stderr);
      });
    } finally {
      await blocker.close();
      await database.drop();
    }
  });

  test("a run stopped between steps: migrate:status shows Partial (step k/n), and --json the step", async () => {
    const database = await createTestDatabase("postgres");
    try {
      await withProject(async (p) => {
        assert.equal((await p.mortar(["migrate"], database.env)).code, 0);
        await withConnection(database.config, (db) => db.execute("insert into users (email) values ('a@x'), ('a@x')"));
        p.write("databases/migrations/2026_01_02_000000_unique_email.ts", UNIQUE_EMAIL);
        const failed = await p.mortar(["migrate", "--safe"], database.env);
        assert.equal(failed.code, 1, failed.stdout + failed.stderr);
        const status = await p.mortar(["migrate:status"], { ...database.env, NO_COLOR: "1" });
        assert.match(status.stdout, /2026_01_02_000000_unique_email.*Partial \(step 1\/2\)/);
        const json = JSON.parse((await p.mortar(["migrate:status", "--json"], database.env)).stdout);
        assert.deepEqual(json.migrations[1].step, { done: 0, total: 2 });
        assert.equal(json.migrations[1].status, "failed");
        await withConnection(database.config, (db) => db.execute("delete from users where id = 2"));
        const resumed = await p.mortar(["migrate", "--safe"], database.env);
        assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
        const after = JSON.parse((await p.mortar(["migrate:status", "--json"], database.env)).stdout);
        assert.deepEqual(after.migrations.map((m: { status: string }) => m.status), ["ran", "ran"]);
      });
    } finally {
      await database.drop();
    }
  });
});
