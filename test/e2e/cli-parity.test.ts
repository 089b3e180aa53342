import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createTestDatabase, DIALECTS, tablesOf, type TestDatabase } from "../support/databases.js";
import { createProject, type TempProject } from "../support/project.js";

const DIR = "databases/migrations";
const STAMP = String.raw`\d{4}_\d{2}_\d{2}_\d{6}`;

const createTable = (className: string, table: string, upExtra = "") => `import { Migration } from "mortar";
export default class ${className} extends Migration {
  async up() {
    await this.schema.create("${table}", (t) => { t.increments("id"); t.string("code").nullable(); });${upExtra}
  }
  async down() { await this.schema.drop("${table}"); }
}
`;

const M1 = "2026_01_01_000001_create_alpha_table";
const M2 = "2026_01_01_000002_create_beta_table";
const M3 = "2026_01_01_000003_create_gamma_table";

interface StatusDoc {
  migrations: { name: string; status: string; batch: number | null; executedAt: string | null; durationMs: number | null }[];
  warnings: string[];
}

/** `2026-03-04 16:06:07` in the time zone given. */
function wallClock(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

// migrate:status on SQLite and one server: when each migration ran and how long it took,
// --pending as a CI check; the run headers; --database as --connection.
for (const dialect of DIALECTS.filter((d) => d !== "mysql")) {
  describe(`CLI parity on ${dialect}: status, --pending, headers`, () => {
    let project: TempProject;
    let database: TestDatabase;
    // A time zone 14 hours from UTC: a local time shown as UTC (or the reverse) would show.
    const env = () => ({ ...database.env, TZ: "Pacific/Kiritimati" });
    const mortar = (...args: string[]) => project.mortar(args, env());

    before(async () => {
      database = await createTestDatabase(dialect);
      project = createProject("module");
      project.write(`${DIR}/${M1}.ts`, createTable("CreateAlphaTable", "alpha"));
      // Slower than the one second after which a terminal shows RUNNING; a pipe never does.
      project.write(`${DIR}/${M2}.ts`, createTable("CreateBetaTable", "beta", "\n    await new Promise((r) => setTimeout(r, 1100));"));
    });
    after(async () => {
      project.cleanup();
      await database.drop();
    });

    test("migrate:status --pending exits 1 listing the pending ones (text and --json)", async () => {
      let r = await mortar("migrate:status", "--pending");
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, new RegExp(`${M1} \\.+ Pending`));
      assert.match(r.stdout, new RegExp(`${M2} \\.+ Pending`));
      r = await mortar("migrate:status", "--pending", "--json");
      assert.equal(r.code, 1, r.stderr);
      const doc = JSON.parse(r.stdout) as StatusDoc;
      assert.deepEqual(doc.migrations, [
        { name: M1, status: "pending", batch: null, executedAt: null, durationMs: null },
        { name: M2, status: "pending", batch: null, executedAt: null, durationMs: null },
      ]);
      // Plain status is no check: exit 0 with pending migrations.
      assert.equal((await mortar("migrate:status")).code, 0);
    });

    test("migrate prints Laravel's header before its lines; never RUNNING into a pipe", async () => {
      const r = await mortar("migrate");
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.split("\n");
      assert.equal(lines[0], "  INFO  Running migrations.");
      assert.match(lines[2]!, new RegExp(`^  ${M1} \\.+ \\d+ms DONE$`));
      assert.match(lines[3]!, new RegExp(`^  ${M2} \\.+ (\\d+)ms DONE$`));
      assert.ok(Number(/(\d+)ms DONE$/.exec(lines[3]!)![1]) >= 1000, lines[3]);
      assert.doesNotMatch(r.stdout, /RUNNING|\r/);
      const again = await mortar("migrate");
      assert.equal(again.code, 0, again.stderr);
      assert.equal(again.stdout, "  INFO  Nothing to migrate.\n");
    });

    test("migrate:status shows batch, when each ran (local time) and how long it took; --json in UTC", async () => {
      const json = await mortar("migrate:status", "--json");
      assert.equal(json.code, 0, json.stderr);
      const doc = JSON.parse(json.stdout) as StatusDoc;
      assert.deepEqual(
        doc.migrations.map((m) => [m.name, m.status, m.batch]),
        [
          [M1, "ran", 1],
          [M2, "ran", 1],
        ],
      );
      for (const m of doc.migrations) {
        assert.match(m.executedAt!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
        const ageMs = Date.now() - Date.parse(m.executedAt!);
        assert.ok(ageMs > -5000 && ageMs < 120_000, `${m.executedAt} is about now`);
      }
      assert.ok(doc.migrations[1]!.durationMs! >= 1000, String(doc.migrations[1]!.durationMs));
      assert.ok(doc.migrations[0]!.durationMs! < doc.migrations[1]!.durationMs!);

      const text = await mortar("migrate:status");
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /Migration name \.+ Batch \/ Status \/ Ran at \/ Duration/);
      for (const m of doc.migrations) {
        const shown = wallClock(m.executedAt!, "Pacific/Kiritimati");
        assert.ok(text.stdout.includes(`${m.name} `), text.stdout);
        assert.match(text.stdout, new RegExp(`${m.name} \\.+ \\[1\\] Ran  ${shown}  ${m.durationMs}ms\\n`));
      }
    });

    test("--pending exits 0 once nothing is pending", async () => {
      project.write(`${DIR}/${M3}.ts`, createTable("CreateGammaTable", "gamma"));
      let r = await mortar("migrate:status", "--pending");
      assert.equal(r.code, 1);
      assert.match(r.stdout, new RegExp(M3));
      assert.doesNotMatch(r.stdout, new RegExp(M1));
      assert.equal((await mortar("migrate")).code, 0);
      r = await mortar("migrate:status", "--pending");
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /No pending migrations\./);
      r = await mortar("migrate:status", "--pending", "--json");
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), { migrations: [], warnings: [] });
    });

    test("rollback prints Rolling back migrations.; refresh prints both headers in order", async () => {
      let r = await mortar("migrate:rollback");
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^  INFO  Rolling back migrations\\.\\n\\n  ${M3} \\.+ \\d+ms DONE\\n$`));
      assert.equal((await mortar("migrate")).code, 0);
      r = await mortar("migrate:refresh", "--step", "1");
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^  INFO  Rolling back migrations\\.\\n\\n  ${M3} \\.+ \\d+ms DONE\\n\\n  INFO  Running migrations\\.\\n\\n  ${M3} \\.+ \\d+ms DONE\\n$`));
      r = await mortar("migrate:rollback", "--migration", "no_such_migration");
      assert.doesNotMatch(r.stdout, /Rolling back migrations/);
    });
  });
}

describe("--database is --connection's alias", () => {
  let project: TempProject;
  before(() => {
    project = createProject("module");
    project.write(`${DIR}/${M1}.ts`, createTable("CreateAlphaTable", "alpha"));
    project.write(
      "mortar.config.ts",
      `import { defineConfig } from "mortar";
export default defineConfig({
  default: "main",
  connections: { main: { driver: "sqlite", database: "main.sqlite" }, other: { driver: "sqlite", database: "other.sqlite" } },
});
`,
    );
  });
  after(() => project.cleanup());

  test("migrate --database other runs on the other connection; status --database reads it", async () => {
    const r = await project.mortar(["migrate", "--database", "other"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await tablesOf({ driver: "sqlite", database: join(project.dir, "other.sqlite") }), ["alpha", "migrations"]);
    assert.equal(existsSync(join(project.dir, "main.sqlite")), false, "the default connection untouched");
    const status = await project.mortar(["migrate:status", "--database", "other", "--json"]);
    assert.equal((JSON.parse(status.stdout) as StatusDoc).migrations[0]!.status, "ran");
  });

  test("an unknown name is named as the flag's; both flags disagreeing is a usage error", async () => {
    let r = await project.mortar(["migrate:status", "--database", "nope"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /connection "nope" is not configured/);
    r = await project.mortar(["migrate", "--database", "other", "--connection", "main"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--database is an alias of --connection/);
    r = await project.mortar(["migrate:status", "--database", "main", "--connection", "main"]);
    assert.equal(r.code, 0, r.stderr);
  });
});

// --pretend ends every statement with `;` on every dialect, without doubling one that has it.
for (const dialect of DIALECTS) {
  describe(`--pretend statements end with ; on ${dialect}`, () => {
    let project: TempProject;
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(dialect);
      project = createProject("module");
      project.write(`${DIR}/${M1}.ts`, createTable("CreateAlphaTable", "alpha", `\n    await this.db.execute("update alpha set code = 'x';");\n    await this.schema.table("alpha", (t) => { t.index("code"); });`));
    });
    after(async () => {
      project.cleanup();
      await database.drop();
    });

    test("migrate --pretend and rollback --pretend", async () => {
      let r = await project.mortar(["migrate", "--pretend"], database.env);
      assert.equal(r.code, 0, r.stderr);
      const statements = (out: string) => out.split("\n").filter((l) => l.startsWith("  ⇂ "));
      let printed = statements(r.stdout);
      assert.ok(printed.length >= 3, r.stdout);
      for (const line of printed) {
        assert.ok(line.endsWith(";"), line);
        assert.ok(!line.endsWith(";;"), line);
      }
      assert.ok(printed.some((l) => l === "  ⇂ update alpha set code = 'x';"), printed.join("\n"));
      assert.match(r.stdout, /^ {2}INFO {2}Running migrations\.\n/);
      assert.deepEqual(await tablesOf(database.config), [], "pretend changes nothing");

      assert.equal((await project.mortar(["migrate"], database.env)).code, 0);
      r = await project.mortar(["migrate:rollback", "--pretend"], database.env);
      assert.equal(r.code, 0, r.stderr);
      printed = statements(r.stdout);
      assert.ok(printed.length >= 1 && printed.every((l) => l.endsWith(";") && !l.endsWith(";;")), r.stdout);
      assert.match(r.stdout, /^ {2}INFO {2}Rolling back migrations\.\n/);
    });
  });
}

describe("make:migration like Laravel, stub:publish, init", () => {
  let esm: TempProject;
  let cjs: TempProject;
  const filesIn = (p: TempProject, dir = DIR) => (existsSync(join(p.dir, dir)) ? readdirSync(join(p.dir, dir)).sort() : []);
  /** The one file in the migrations folder named `…_${name}.${ext}`, and its text. */
  const made = (p: TempProject, name: string, ext = "ts") => {
    const found = filesIn(p).filter((f) => new RegExp(`^${STAMP}_${name}\\.${ext}$`).test(f));
    assert.equal(found.length, 1, `one ${name}.${ext} in ${filesIn(p).join(", ")}`);
    return readFileSync(join(p.dir, DIR, found[0]!), "utf8");
  };

  before(() => {
    esm = createProject("module");
    cjs = createProject("commonjs");
  });
  after(() => {
    esm.cleanup();
    cjs.cleanup();
  });

  test("guesses: create_X(_table) → create stub, add_Y_to/from/in_X(_table) → table stub, CamelCase → snake_case file", async () => {
    const cases: [string, string, RegExp][] = [
      ["create_flights", "create_flights", /this\.schema\.create\("flights"[\s\S]*table\.id\(\);[\s\S]*table\.timestamps\(\);[\s\S]*this\.schema\.dropIfExists\("flights"\)/],
      ["AddStatusToFlights", "add_status_to_flights", /async up\(\) \{\n {4}await this\.schema\.table\("flights"[\s\S]*async down\(\) \{\n {4}await this\.schema\.table\("flights"/],
      ["add_votes_to_users", "add_votes_to_users", /this\.schema\.table\("users"/],
      ["remove_votes_from_users_table", "remove_votes_from_users_table", /this\.schema\.table\("users"/],
      ["change_code_in_flights", "change_code_in_flights", /this\.schema\.table\("flights"/],
    ];
    for (const [name, file, expected] of cases) {
      const r = await esm.mortar(["make:migration", name]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(made(esm, file), expected, name);
    }
    assert.match(made(esm, "add_status_to_flights"), /export default class AddStatusToFlights extends Migration/);
    // A plain name: a blank stub; --create / --table override the guess.
    assert.equal((await esm.mortar(["make:migration", "backfill_codes"])).code, 0);
    assert.doesNotMatch(made(esm, "backfill_codes"), /this\.schema\./);
    assert.equal((await esm.mortar(["migration", "create_gates", "--table", "airports"])).code, 0);
    assert.match(made(esm, "create_gates"), /this\.schema\.table\("airports"/);
    assert.doesNotMatch(made(esm, "create_gates"), /schema\.create/);
    // Every stub runs as written (the table stubs' empty callbacks on existing tables).
    esm.write(`${DIR}/2000_01_01_000000_create_users_and_airports.ts`, `import { Migration } from "mortar";
export default class extends Migration {
  async up() { await this.schema.create("users", (t) => { t.id(); }); await this.schema.create("airports", (t) => { t.id(); }); }
  async down() { await this.schema.drop("airports"); await this.schema.drop("users"); }
}
`);
    let r = await esm.mortar(["migrate"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    r = await esm.mortar(["migrate:reset"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  test("--js writes an ES module in a type:module project and CommonJS otherwise; both run", async () => {
    for (const p of [esm, cjs]) {
      const r = await p.mortar(["make:migration", "create_pilots_table", "--js"]);
      assert.equal(r.code, 0, r.stderr);
    }
    assert.match(made(esm, "create_pilots_table", "js"), /^import \{ Migration \} from "mortar";[\s\S]*^export default class CreatePilotsTable/m);
    const commonJs = made(cjs, "create_pilots_table", "js");
    assert.match(commonJs, /^const \{ Migration \} = require\("mortar"\);[\s\S]*^module\.exports = class CreatePilotsTable/m);
    // TypeScript in a CommonJS project: the loader compiles it either way.
    assert.equal((await cjs.mortar(["make:migration", "create_crews"])).code, 0);
    for (const p of [esm, cjs]) {
      const r = await p.mortar(["migrate"]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /create_pilots_table \.+ \d+ms DONE/);
    }
    assert.deepEqual(await tablesOf({ driver: "sqlite", database: join(cjs.dir, "databases", "database.sqlite") }), ["crews", "migrations", "pilots"]);
  });

  test("stub:publish writes the stubs, keeps edited ones (--force overwrites), and make:migration uses them", async () => {
    let r = await cjs.mortar(["stub:publish"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(filesIn(cjs, "stubs"), ["migration.create.stub", "migration.stub", "migration.update.stub"]);
    const stub = readFileSync(join(cjs.dir, "stubs", "migration.create.stub"), "utf8");
    assert.match(stub, /\{\{ class \}\}/);
    assert.match(stub, /\{\{ table \}\}/);
    const edited = stub.replace("table.timestamps();", 'table.timestamps();\n      table.string("house_rule");');
    cjs.write("stubs/migration.create.stub", edited);

    r = await cjs.mortar(["stub:publish"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /stubs\/migration\.create\.stub exists, kept/);
    assert.equal(readFileSync(join(cjs.dir, "stubs", "migration.create.stub"), "utf8"), edited);

    r = await cjs.mortar(["make:migration", "create_hangars_table"]);
    assert.equal(r.code, 0, r.stderr);
    const source = made(cjs, "create_hangars_table");
    assert.match(source, /export default class CreateHangarsTable/);
    assert.match(source, /this\.schema\.create\("hangars"[\s\S]*table\.string\("house_rule"\)/);
    r = await cjs.mortar(["migrate"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);

    r = await cjs.mortar(["stub:publish", "--force"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(cjs.dir, "stubs", "migration.create.stub"), "utf8"), stub);
  });

  test("init writes the scaffold, twice changes nothing, and never overwrites", async () => {
    const p = createProject("module");
    try {
      p.write(".gitignore", "node_modules\n.env");
      let r = await p.mortar(["init"]);
      assert.equal(r.code, 0, r.stderr);
      for (const file of ["mortar.config.ts", ".env.example"]) assert.ok(existsSync(join(p.dir, file)), file);
      for (const dir of ["databases/migrations", "databases/seeders"]) assert.ok(existsSync(join(p.dir, dir)), dir);
      assert.equal(readFileSync(join(p.dir, ".gitignore"), "utf8"), "node_modules\n.env\ndatabases/*.sqlite\n");
      const snapshot = () => ["mortar.config.ts", ".env.example", ".gitignore"].map((f) => readFileSync(join(p.dir, f), "utf8"));
      const first = snapshot();

      r = await p.mortar(["init"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /mortar\.config\.ts exists, kept/);
      assert.match(r.stdout, /\.env\.example exists, kept/);
      assert.deepEqual(snapshot(), first);

      // The scaffold works: the config loads and the default SQLite database is used.
      assert.equal((await p.mortar(["make:migration", "create_flights"])).code, 0);
      p.write(".env", "DB_CONNECTION=sqlite\nDB_DATABASE=databases/database.sqlite\n");
      r = await p.mortar(["migrate"]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(await tablesOf({ driver: "sqlite", database: join(p.dir, "databases", "database.sqlite") }), ["flights", "migrations"]);

      // A config file of the user's own is kept.
      p.write("mortar.config.ts", "export default {};\n");
      r = await p.mortar(["init"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(readFileSync(join(p.dir, "mortar.config.ts"), "utf8"), "export default {};\n");
    } finally {
      p.cleanup();
    }
  });
});
