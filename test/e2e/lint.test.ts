import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { DialectName } from "../../src/dialect/dialect.js";
import { createTestDatabase, DIALECTS, tablesOf, type TestDatabase, withConnection } from "../support/databases.js";
import { createProject, type TempProject } from "../support/project.js";

/**
 * `mortar lint` through the real binary on every dialect: exit codes, the `--json` and
 * SARIF documents, `--offline`, `static safe` validation, nothing sent to the database,
 * and the findings of real rules (`add-index-not-concurrent` on PostgreSQL, `drop-table`,
 * `rename-column`, `raw-sql`) with their suppression.
 */

const M = "databases/migrations";
const CREATE = "2026_04_01_000001_create_users";
const INDEX = "2026_04_01_000002_index_users";
const CLEANUP = "2026_04_01_000003_cleanup";

const CREATE_USERS = `import { Migration } from "mortar";
export default class CreateUsers extends Migration {
  async up() {
    await this.schema.create("users", (t) => { t.increments("id"); t.string("email"); t.string("name"); });
    await this.schema.create("legacy", (t) => { t.increments("id"); });
  }
  async down() {
    await this.schema.drop("legacy");
    await this.schema.drop("users");
  }
}
`;

const INDEX_USERS = `import { Migration } from "mortar";
export default class IndexUsers extends Migration {
  async up() {
    await this.schema.table("users", (t) => { t.index("email"); });
  }
}
`;

const cleanup = (options: { safe?: string; assured?: boolean } = {}) => {
  const raw = `await this.db.execute("update users set email = lower(email)");`;
  return `import { Migration } from "mortar";
export default class Cleanup extends Migration {
${options.safe ? `  static safe = ${options.safe};\n` : ""}  async up() {
    await this.schema.drop("legacy");
    await this.schema.table("users", (t) => { t.renameColumn("name", "full_name"); });
    ${options.assured ? `await this.safetyAssured(async () => { ${raw} });` : raw}
  }
}
`;
};


interface LintDocument {
  findings: { rule: string; migration: string; operation: string; dialect: string; message: string; fix: string }[];
  undecided: { rule: string; migration: string; operation: string; dialect: string; reason: string }[];
  suppressed: number;
  notes: string[];
  warnings: string[];
}

function parse(stdout: string): LintDocument {
  const lines = stdout.trim().split("\n");
  assert.equal(lines.length, 1, `one JSON document and nothing else:\n${stdout}`);
  return JSON.parse(lines[0]!) as LintDocument;
}

async function tracked(database: TestDatabase): Promise<string> {
  return withConnection(database.config, async (db) => JSON.stringify(await db.read("select migration, batch, checksum from migrations order by id")));
}

/** A connection that cannot be reached: --offline must never try it. */
const UNREACHABLE: Record<DialectName, Record<string, string>> = {
  sqlite: { DB_CONNECTION: "sqlite", DB_DATABASE: "/nonexistent-folder/never.sqlite" },
  postgres: { DB_CONNECTION: "postgres", DB_HOST: "127.0.0.1", DB_PORT: "1", DB_DATABASE: "nothing" },
  mysql: { DB_CONNECTION: "mysql", DB_HOST: "127.0.0.1", DB_PORT: "1", DB_DATABASE: "nothing" },
};

for (const dialect of DIALECTS) {
  describe(`mortar lint on ${dialect}`, () => {
    let database: TestDatabase;
    let project: TempProject;
    const mortar = (...args: string[]) => project.mortar(["lint", ...args], database.env);

    before(async () => {
      database = await createTestDatabase(dialect);
      project = createProject("module");
    });
    after(async () => {
      project.cleanup();
      await database.drop();
    });

    test("before anything ran: every file is pending, nothing is created, --json shape, exit by findings", async () => {
      project.write(`${M}/${CREATE}.ts`, CREATE_USERS);
      const r = await mortar("--json");
      const doc = parse(r.stdout);
      assert.deepEqual(Object.keys(doc).sort(), ["findings", "notes", "suppressed", "undecided", "warnings"]);
      assert.ok(Array.isArray(doc.findings) && Array.isArray(doc.undecided) && Array.isArray(doc.warnings));
      assert.equal(typeof doc.suppressed, "number");
      assert.equal(r.code, doc.findings.length > 0 ? 1 : 0, r.stderr);
      assert.deepEqual(await tablesOf(database.config), [], "lint created nothing, not even the tracking table");
    });

    test("pending migrations against a busy table: nothing sent, tracking rows unchanged", async () => {
      const migrated = await project.mortar(["migrate"], database.env);
      assert.equal(migrated.code, 0, migrated.stderr);
      await withConnection(database.config, async (db) => {
        await db.execute("insert into users (email, name) values ('A@example.com', 'a'), ('B@example.com', 'b'), ('C@example.com', 'c')");
        await db.execute("insert into legacy (id) values (1)");
      });
      project.write(`${M}/${INDEX}.ts`, INDEX_USERS);
      project.write(`${M}/${CLEANUP}.ts`, cleanup());
      const before = await tracked(database);
      const tables = await tablesOf(database.config);
      const r = await mortar("--json");
      const doc = parse(r.stdout);
      assert.equal(r.code, doc.findings.length > 0 ? 1 : 0, r.stderr);
      assert.ok(doc.findings.every((f) => f.migration !== CREATE), "a migration that ran is not linted");
      assert.equal(await tracked(database), before, "tracking table unchanged");
      assert.deepEqual(await tablesOf(database.config), tables, "legacy is still there: nothing ran");
      await withConnection(database.config, async (db) => {
        assert.deepEqual((await db.schema.getIndexes("users")).filter((i) => !i.primary), [], "no index was built");
        assert.deepEqual((await db.schema.getColumns("users")).map((c) => c.name), ["id", "email", "name"]);
      });
    });

    test("findings of the rules: index on a busy table (PostgreSQL), drop-table, rename-column, raw-sql; exit 1", async () => {
      project.write(`${M}/${CLEANUP}.ts`, cleanup());
      const r = await mortar("--json");
      const doc = parse(r.stdout);
      assert.equal(r.code, 1, r.stderr);
      const rulesOf = (migration: string) => [...new Set(doc.findings.filter((f) => f.migration === migration).map((f) => f.rule))].sort();
      for (const rule of ["drop-table", "raw-sql", "rename-column"]) assert.ok(rulesOf(CLEANUP).includes(rule), `${rule} in ${JSON.stringify(doc.findings)}`);
      if (dialect === "postgres") assert.deepEqual(rulesOf(INDEX), ["add-index-not-concurrent"]);
      for (const f of doc.findings) {
        assert.equal(f.dialect, dialect);
        assert.ok(f.message.length > 0 && f.fix.length > 0 && f.operation.length > 0);
      }
      const text = await mortar();
      assert.equal(text.code, 1);
      assert.match(text.stdout, /drop-table\s+databases\/migrations\/2026_04_01_000003_cleanup\.ts/);
      assert.match(text.stdout, /fix: /);
      assert.match(text.stdout, /FAIL  \d+ findings? in 2 migrations/);
    });

    test("suppression: static safe and safetyAssured leave findings out and count them", async () => {
      project.write(`${M}/${CLEANUP}.ts`, cleanup({ safe: `["drop-table", "rename-column"]`, assured: true }));
      const doc = parse((await mortar("--json")).stdout);
      const rules = doc.findings.filter((f) => f.migration === CLEANUP).map((f) => f.rule);
      assert.ok(!rules.includes("drop-table") && !rules.includes("rename-column") && !rules.includes("raw-sql"), JSON.stringify(doc.findings));
      assert.ok(doc.suppressed >= 3, `suppressed ${doc.suppressed}`);
      project.write(`${M}/${CLEANUP}.ts`, cleanup());
    });

    test("--format sarif: a SARIF 2.1.0 log with the driver, its rules and a result per finding", async () => {
      const r = await mortar("--format", "sarif");
      const lines = r.stdout.trim().split("\n");
      assert.equal(lines.length, 1, r.stdout);
      const sarif = JSON.parse(lines[0]!);
      assert.equal(sarif.version, "2.1.0");
      assert.match(sarif.$schema, /sarif-2\.1\.0\.json$/);
      const [run] = sarif.runs;
      assert.equal(run.tool.driver.name, "mortar");
      const ruleIds = run.tool.driver.rules.map((rule: { id: string }) => rule.id);
      for (const rule of run.tool.driver.rules) assert.ok(rule.help.text.length > 0, `help text of ${rule.id}`);
      assert.equal(r.code, run.results.length > 0 ? 1 : 0, r.stderr);
      for (const result of run.results) {
        assert.ok(ruleIds.includes(result.ruleId), result.ruleId);
        assert.equal(result.level, "error");
        assert.ok(result.message.text.length > 0);
        const location = result.locations[0].physicalLocation;
        assert.match(location.artifactLocation.uri, /^databases\/migrations\/2026_04_01_00000[23]_[a-z_]+\.ts$/);
        assert.ok(location.region.startLine >= 1);
      }
      const drop = run.results.find((x: { ruleId: string }) => x.ruleId === "drop-table");
      assert.equal(drop.locations[0].physicalLocation.region.startLine, 4, "the line of schema.drop(\"legacy\")");
    });

    test("--all lints the migrations that ran too", async () => {
      assert.match((await mortar("--all")).stdout, / in 3 migrations/);
      assert.match((await mortar()).stdout, / in 2 migrations/);
    });

    test("--offline never connects: lints every file, says so in a note", async () => {
      const env = { ...UNREACHABLE[dialect] };
      const text = await project.mortar(["lint", "--offline"], env);
      assert.ok(text.code === 0 || text.code === 1, `${text.code}\n${text.stderr}`);
      assert.match(text.stdout, /NOTE {2}offline: .*every migration file is linted/);
      const json = await project.mortar(["lint", "--offline", "--json"], env);
      const doc = parse(json.stdout);
      assert.equal(doc.notes.length, 1);
      assert.match(doc.notes[0]!, /^offline:/);
      assert.ok(doc.findings.some((f) => f.rule === "drop-table" && f.migration === CLEANUP));
      assert.ok(doc.findings.every((f) => f.dialect === dialect), "the dialect comes from the configured driver");
    });

    test("an unknown rule id in static safe: exit 2 naming the file and the id", async () => {
      project.write(`${M}/${CLEANUP}.ts`, cleanup({ safe: `["drop-tabel"]` }));
      try {
        const r = await mortar();
        assert.equal(r.code, 2, r.stdout + r.stderr);
        assert.match(r.stderr, /databases\/migrations\/2026_04_01_000003_cleanup\.ts: static safe names "drop-tabel", which is not a lint rule/);
        assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace without --verbose");
        const json = await mortar("--json");
        assert.equal(json.code, 2);
        assert.equal(JSON.parse(json.stdout).error.code, "USAGE");
      } finally {
        project.write(`${M}/${CLEANUP}.ts`, cleanup());
      }
    });

    test("usage mistakes exit 2: an unknown --format, --json with --format sarif, a missing folder", async () => {
      const format = await mortar("--format", "xml");
      assert.equal(format.code, 2);
      assert.match(format.stderr, /xml/);
      const both = await mortar("--json", "--format", "sarif");
      assert.equal(both.code, 2);
      assert.match(JSON.parse(both.stdout).error.message, /--json and --format sarif/);
      const folder = await mortar("--path", "nowhere");
      assert.equal(folder.code, 2);
      assert.match(folder.stderr, /nowhere: migrations folder does not exist/);
    });

    test("an up() that throws while recorded: exit 1 naming the migration", async () => {
      const name = "2026_04_01_000004_boom";
      project.write(`${M}/${name}.ts`, `import { Migration } from "mortar";
export default class Boom extends Migration {
  async up() { throw new Error("boom on purpose"); }
}
`);
      try {
        const r = await mortar();
        assert.equal(r.code, 1, r.stdout + r.stderr);
        assert.match(r.stderr, new RegExp(`${name} \\(up\\) failed: boom on purpose`));
      } finally {
        project.remove(`${M}/${name}.ts`);
      }
    });
  });
}
