import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { DialectName } from "../../src/dialect/dialect.js";
import { createTestDatabase, DIALECTS, type TestDatabase, withConnection } from "../support/databases.js";
import { createProject, type TempProject } from "../support/project.js";

/**
 * Seeders (spec §8) through the real binary: make:seeder, db:seed, --seed on the run
 * commands, one transaction per seeding, the production guard.
 */

const USERS_MIGRATION = `import { Migration } from "mortar";
export default class CreateUsersTable extends Migration {
  async up() {
    await this.schema.create("users", (t) => { t.increments("id"); t.string("name"); });
  }
  async down() { await this.schema.drop("users"); }
}
`;

const USER_SEEDER = `import { Seeder } from "mortar";
export default class UserSeeder extends Seeder {
  async run() {
    await this.db.execute("insert into users (name) values ('ada')");
  }
}
`;

/** Seeds through `this.schema` too: the schema builder of the seeding connection. */
const GRACE_SEEDER = `import { Seeder } from "mortar";
export default class GraceSeeder extends Seeder {
  async run() {
    if (!(await this.schema.hasTable("users"))) throw new Error("no users table");
    const placeholder = this.db.dialect === "postgres" ? "$1" : "?";
    await this.db.execute(\`insert into users (name) values (\${placeholder})\`, ["grace:" + this.db.dialect]);
  }
}
`;

/** Calls a class and a list, and UserSeeder twice: each call runs it again (Laravel's way). */
const DATABASE_SEEDER = `import { Seeder } from "mortar";
import UserSeeder from "./UserSeeder.js";
import GraceSeeder from "./GraceSeeder.js";
export default class DatabaseSeeder extends Seeder {
  async run() {
    await this.call([UserSeeder, GraceSeeder]);
    await this.call(UserSeeder);
  }
}
`;

/** Inserts two rows, then throws: neither row may stay. */
const FAILING_SEEDER = `import { Seeder } from "mortar";
import UserSeeder from "./UserSeeder.js";
export default class FailingSeeder extends Seeder {
  async run() {
    await this.call(UserSeeder);
    await this.db.execute("insert into users (name) values ('doomed')");
    throw new Error("seeding broke on purpose");
  }
}
`;

const MIGRATION_FILE = "databases/migrations/2026_01_01_000001_create_users_table.ts";

function names(test: TestDatabase): Promise<string[]> {
  return withConnection(test.config, async (db) => {
    if (!(await db.schema.hasTable("users"))) return [];
    return (await db.query<{ name: string }>("select name from users order by id")).map((r) => r.name);
  });
}

function seededProject(type: "module" | "commonjs" = "module"): TempProject {
  const project = createProject(type);
  project.write(MIGRATION_FILE, USERS_MIGRATION);
  project.write("databases/seeders/UserSeeder.ts", USER_SEEDER);
  project.write("databases/seeders/GraceSeeder.ts", GRACE_SEEDER);
  project.write("databases/seeders/DatabaseSeeder.ts", DATABASE_SEEDER);
  project.write("databases/seeders/FailingSeeder.ts", FAILING_SEEDER);
  return project;
}

describe("make:seeder", () => {
  let project: TempProject;
  before(() => (project = createProject("module")));
  after(() => project.cleanup());

  test("writes databases/seeders/NAME.ts, a stub extending Seeder that db:seed runs", async () => {
    const made = await project.mortar(["make:seeder", "UserSeeder"]);
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /Seeder \[databases\/seeders\/UserSeeder\.ts\] created successfully/);
    const text = readFileSync(join(project.dir, "databases/seeders/UserSeeder.ts"), "utf8");
    assert.match(text, /^import \{ Seeder \} from "mortar";/);
    assert.match(text, /export default class UserSeeder extends Seeder \{\n  async run\(\) \{/);
    const run = await project.mortar(["db:seed", "--class", "UserSeeder", "--json"]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { seeded: ["UserSeeder"], warnings: [] });
  });

  test("refuses to overwrite an existing seeder, in any extension (exit 2), and leaves it as it was", async () => {
    project.write("databases/seeders/PostSeeder.js", "// mine\n");
    const run = await project.mortar(["make:seeder", "PostSeeder"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /seeder PostSeeder already exists: databases\/seeders\/PostSeeder\.js/);
    assert.equal(readFileSync(join(project.dir, "databases/seeders/PostSeeder.js"), "utf8"), "// mine\n");
    assert.ok(!existsSync(join(project.dir, "databases/seeders/PostSeeder.ts")));
  });

  test("a name that is not a class name, or none, is a usage error (exit 2)", async () => {
    for (const args of [["make:seeder", "../Evil"], ["make:seeder", "user-seeder"], ["make:seeder"]]) {
      const run = await project.mortar(args);
      assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, /ERROR {2}(seeder name|make:seeder needs a name)/);
    }
    assert.ok(!existsSync(join(project.dir, "databases/Evil.ts")));
  });

  test("--js in a CommonJS project writes a require()/module.exports stub that runs", async () => {
    const cjs = createProject("commonjs");
    try {
      const made = await cjs.mortar(["make:seeder", "TagSeeder", "--js"]);
      assert.equal(made.code, 0, made.stderr);
      const text = readFileSync(join(cjs.dir, "databases/seeders/TagSeeder.js"), "utf8");
      assert.match(text, /^const \{ Seeder \} = require\("mortar"\);/);
      assert.match(text, /module\.exports = class TagSeeder extends Seeder/);
      const run = await cjs.mortar(["db:seed", "--class", "TagSeeder"]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /TagSeeder \.+ \d+ms DONE/);
    } finally {
      cjs.cleanup();
    }
  });
});

describe("db:seed on sqlite", () => {
  let project: TempProject;
  let database: TestDatabase;
  const mortar = (args: string[], env: Record<string, string> = {}) => project.mortar(args, { ...database.env, ...env });

  before(async () => {
    database = await createTestDatabase("sqlite");
    project = seededProject();
  });
  after(async () => {
    project.cleanup();
    await database.drop();
  });

  test("a missing seeder is exit 2 naming the file looked for, and opens no database", async () => {
    for (const args of [["db:seed", "--class", "NoSuchSeeder"], ["migrate", "--seeder", "NoSuchSeeder"]]) {
      const run = await mortar(args);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /seeder NoSuchSeeder not found: looked for databases\/seeders\/NoSuchSeeder\.\{ts,mts,cts,js,mjs,cjs\}/);
    }
    assert.ok(!existsSync(database.config.database!), "no SQLite file was created");
  });

  test("migrate --seed runs DatabaseSeeder after the migrations, on the same connection", async () => {
    const run = await mortar(["migrate", "--seed"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /create_users_table \.+ \d+ms DONE[\s\S]*Seeding database\.[\s\S]*DatabaseSeeder \.+ \d+ms DONE/);
    assert.deepEqual(await names(database), ["ada", "grace:sqlite", "ada"]);
  });

  test("db:seed --json lists every seeder as it started; called twice runs twice", async () => {
    const run = await mortar(["db:seed", "--json"]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { seeded: ["DatabaseSeeder", "UserSeeder", "GraceSeeder", "UserSeeder"], warnings: [] });
    assert.deepEqual(await names(database), ["ada", "grace:sqlite", "ada", "ada", "grace:sqlite", "ada"]);
  });

  test("db:seed --class runs only that seeder", async () => {
    const run = await mortar(["db:seed", "--class", "GraceSeeder"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /GraceSeeder \.+ \d+ms DONE/);
    assert.doesNotMatch(run.stdout, /UserSeeder|DatabaseSeeder/);
    assert.equal((await names(database)).length, 7);
  });

  test("a seeder file that is not a Seeder is exit 1 naming the file", async () => {
    project.write("databases/seeders/BrokenSeeder.ts", "export default class BrokenSeeder {}\n");
    const run = await mortar(["db:seed", "--class", "BrokenSeeder"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /databases\/seeders\/BrokenSeeder\.ts: its default export is not a class extending Seeder/);
    assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace without --verbose");
  });

  test("the production guard refuses db:seed without a terminal unless --force", async () => {
    const before = (await names(database)).length;
    const refused = await mortar(["db:seed", "--class", "UserSeeder"], { NODE_ENV: "production" });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /db:seed in production .* needs --force/);
    assert.equal((await names(database)).length, before);
    const forced = await mortar(["db:seed", "--class", "UserSeeder", "--force"], { NODE_ENV: "production" });
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal((await names(database)).length, before + 1);
  });

  test("--seed with --pretend seeds nothing and says so", async () => {
    const before = await names(database);
    const run = await mortar(["migrate:refresh", "--seed", "--pretend"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Not seeding: --pretend changes nothing\./);
    assert.deepEqual(await names(database), before);
  });

  test("migrate:refresh --seeder NAME re-creates the tables and runs that seeder (--json: one document)", async () => {
    const run = await mortar(["migrate:refresh", "--seeder", "GraceSeeder", "--json"]);
    assert.equal(run.code, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as { migrations: { status: string }[]; seeded: string[] };
    assert.ok(doc.migrations.length >= 1);
    assert.deepEqual(doc.seeded, ["GraceSeeder"]);
    assert.deepEqual(await names(database), ["grace:sqlite"]);
  });

  test("no seeding after a failed migration", async () => {
    project.write("databases/migrations/2026_01_01_000002_broken.ts", `import { Migration } from "mortar";
export default class Broken extends Migration {
  async up() { throw new Error("migration broke"); }
}
`);
    try {
      const run = await mortar(["migrate:fresh", "--seed", "--json"]);
      assert.equal(run.code, 1, run.stderr);
      const doc = JSON.parse(run.stdout) as { error: { message: string }; seeded: string[] };
      assert.match(doc.error.message, /migration broke/);
      assert.deepEqual(doc.seeded, []);
      assert.deepEqual(await names(database), []);
    } finally {
      project.remove("databases/migrations/2026_01_01_000002_broken.ts");
    }
  });
});

describe("a CommonJS project's TypeScript seeders importing each other", () => {
  test("db:seed runs them", async () => {
    const database = await createTestDatabase("sqlite");
    const project = seededProject("commonjs");
    try {
      const run = await project.mortar(["migrate", "--seed"], database.env);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(await names(database), ["ada", "grace:sqlite", "ada"]);
    } finally {
      project.cleanup();
      await database.drop();
    }
  });
});

/** SQLite, PostgreSQL and MariaDB all roll back a seeding's rows when a seeder throws. */
for (const dialect of DIALECTS as DialectName[]) {
  describe(`seeding is one transaction on ${dialect}`, () => {
    let project: TempProject;
    let database: TestDatabase;
    const mortar = (...args: string[]) => project.mortar(args, database.env);

    before(async () => {
      database = await createTestDatabase(dialect);
      project = seededProject();
    });
    after(async () => {
      project.cleanup();
      await database.drop();
    });

    test("migrate --seed --json: rows seeded, one document", async () => {
      const run = await mortar("migrate", "--seed", "--json");
      assert.equal(run.code, 0, run.stderr);
      const doc = JSON.parse(run.stdout) as { batch: number; seeded: string[]; warnings: string[] };
      assert.equal(doc.batch, 1);
      assert.deepEqual(doc.seeded, ["DatabaseSeeder", "UserSeeder", "GraceSeeder", "UserSeeder"]);
      assert.deepEqual(await names(database), ["ada", `grace:${dialect}`, "ada"]);
    });

    test("a seeder that throws: exit 1 naming it, and the rows it and its callees inserted are gone", async () => {
      const run = await mortar("db:seed", "--class", "FailingSeeder");
      assert.equal(run.code, 1);
      assert.match(run.stderr, /ERROR {2}seeder FailingSeeder failed: seeding broke on purpose/);
      assert.match(run.stderr, /rolled back/);
      assert.deepEqual(await names(database), ["ada", `grace:${dialect}`, "ada"]);
    });

    test("a caller that catches a callee's failed statement goes on; the callee's rows are undone", async () => {
      project.write(
        "databases/seeders/ShakySeeder.ts",
        `import { Seeder } from "mortar";
export default class ShakySeeder extends Seeder {
  async run() {
    await this.db.execute("insert into users (name) values ('shaky')");
    await this.db.execute("insert into no_such_table (name) values ('x')");
  }
}
`,
      );
      project.write(
        "databases/seeders/ForgivingSeeder.ts",
        `import { Seeder } from "mortar";
import ShakySeeder from "./ShakySeeder.js";
export default class ForgivingSeeder extends Seeder {
  async run() {
    try { await this.call(ShakySeeder); } catch {}
    await this.db.execute("insert into users (name) values ('forgiven')");
  }
}
`,
      );
      const before = await names(database);
      const run = await mortar("db:seed", "--class", "ForgivingSeeder");
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /ShakySeeder \.+ \d+ms FAIL[\s\S]*ForgivingSeeder \.+ \d+ms DONE/);
      assert.deepEqual(await names(database), [...before, "forgiven"]);
    });

    test("a failing callee is named with its caller; --json carries the error and no seeded rows", async () => {
      project.write(
        "databases/seeders/OuterSeeder.ts",
        `import { Seeder } from "mortar";
import UserSeeder from "./UserSeeder.js";
import FailingSeeder from "./FailingSeeder.js";
export default class OuterSeeder extends Seeder {
  async run() { await this.call([UserSeeder, FailingSeeder]); }
}
`,
      );
      const before = await names(database);
      const run = await mortar("db:seed", "--class", "OuterSeeder", "--json");
      assert.equal(run.code, 1);
      const doc = JSON.parse(run.stdout) as { seeded: string[]; error: { code: string; seeder: string; message: string } };
      assert.deepEqual(doc.seeded, []);
      assert.equal(doc.error.code, "SEEDER_FAILED");
      assert.equal(doc.error.seeder, "FailingSeeder");
      assert.match(doc.error.message, /seeder FailingSeeder \(called by OuterSeeder\) failed: seeding broke on purpose/);
      assert.deepEqual(await names(database), before);
    });
  });
}
