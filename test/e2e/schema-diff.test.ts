import assert from "node:assert/strict";
import { cpSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { connect } from "../../src/dialect/connect.js";
import type { DialectName } from "../../src/dialect/dialect.js";
import { createTestDatabase, DIALECTS, withConnection, type TestDatabase } from "../support/databases.js";
import { createProject, REPO_ROOT, type RunOutput, type TempProject } from "../support/project.js";
import { startMortar } from "../support/spawn.js";

/** Only node's own folder on PATH: no pg_dump, mysqldump or sqlite3 to fall back on. */
const NODE_ONLY_PATH = { PATH: dirname(process.execPath) };
const FIXTURE = join(REPO_ROOT, "test", "fixtures", "schema-project");

/** Scratch databases on the server (none on SQLite: it uses memory). */
async function scratchDatabases(dialect: DialectName): Promise<string[]> {
  if (dialect === "sqlite") return [];
  const server = dialect === "postgres"
    ? { driver: "postgres" as const, host: "127.0.0.1", port: 5432, username: "postgres", database: "test" }
    : { driver: "mysql" as const, host: "127.0.0.1", port: 3306, username: "root", password: "", database: "test" };
  return withConnection(server, async (db) => {
    const rows = await db.read<{ name: string }>(
      dialect === "postgres"
        ? "select datname as name from pg_database where datname like 'mortar\\_diff\\_%'"
        : "select schema_name as name from information_schema.schemata where schema_name like 'mortar\\_diff\\_%'",
    );
    return rows.map((r) => String(r.name)).sort();
  });
}

function json(output: RunOutput): { differences: { kind: string; table: string | null; name: string; expected: string | null; actual: string | null }[]; warnings: string[] } {
  return JSON.parse(output.stdout) as ReturnType<typeof json>;
}

for (const dialect of DIALECTS) {
  describe(`schema:diff on ${dialect}`, () => {
    let project: TempProject;
    let database: TestDatabase;
    let scratchBefore: string[];
    const mortar = (args: string[]) => project.mortar(args, { ...database.env, ...NODE_ONLY_PATH });

    before(async () => {
      project = createProject("module");
      cpSync(FIXTURE, join(project.dir, "databases", "migrations"), { recursive: true });
      database = await createTestDatabase(dialect);
      scratchBefore = await scratchDatabases(dialect);
      const migrated = await mortar(["migrate"]);
      assert.equal(migrated.code, 0, migrated.stderr + migrated.stdout);
    });

    after(async () => {
      await database?.drop();
      project?.cleanup();
    });

    test("is silent on a database migrated by the files (exit 0)", async () => {
      const text = await mortar(["schema:diff"]);
      assert.equal(text.code, 0, text.stderr + text.stdout);
      assert.match(text.stdout, /No differences/);
      const doc = await mortar(["schema:diff", "--json"]);
      assert.equal(doc.code, 0, doc.stderr);
      assert.deepEqual(json(doc).differences, []);
    });

    test("finds an added column, a dropped index, a changed default and a changed foreign-key action (exit 1)", async () => {
      const db = await connect(database.config);
      try {
        await db.schema.table("authors", (t) => {
          t.string("nickname").nullable();
        });
        await db.schema.table("authors", (t) => {
          t.string("country", 2).default("GB").change();
        });
        await db.schema.table("articles", (t) => {
          t.dropIndex("articles_published_index");
        });
        await db.schema.table("articles", (t) => {
          t.dropForeign("articles_editor_id_foreign");
        });
        await db.schema.table("articles", (t) => {
          t.foreign("editor_id").references("id").on("authors").cascadeOnDelete();
        });
      } finally {
        await db.close();
      }
      const doc = await mortar(["schema:diff", "--json"]);
      assert.equal(doc.code, 1, doc.stderr + doc.stdout);
      const found = json(doc).differences;
      const find = (kind: string, name: string) => found.find((d) => d.kind === kind && d.name === name);
      assert.deepEqual(find("column", "nickname") && { table: find("column", "nickname")!.table, expected: find("column", "nickname")!.expected }, { table: "authors", expected: null });
      assert.equal(find("index", "articles_published_index")?.actual, null);
      assert.ok(find("index", "articles_published_index")?.expected);
      assert.match(find("columnDefault", "country")?.expected ?? "", /US/);
      assert.match(find("columnDefault", "country")?.actual ?? "", /GB/);
      const fk = find("foreignKey", "articles_editor_id_foreign");
      assert.match(fk?.expected ?? "", /on delete set null/);
      assert.match(fk?.actual ?? "", /on delete cascade/);
      assert.equal(found.length, 4, JSON.stringify(found, null, 2));

      const text = await mortar(["schema:diff"]);
      assert.equal(text.code, 1);
      assert.match(text.stdout, /4 differences/);
      assert.match(text.stdout, /columnDefault authors\.country/);
    });

    test("leaves no scratch database behind", async () => {
      assert.deepEqual(await scratchDatabases(dialect), scratchBefore);
    });
  });
}

/** A migration that waits, on the scratch database only, long enough to be interrupted there. */
const SLOW_ON_SCRATCH = `import { Migration } from "mortar";
export default class SlowOnScratch extends Migration {
  async up() {
    if (String(this.db.config.database).startsWith("mortar_diff_")) {
      console.log("WAITING ON SCRATCH");
      await new Promise((resolve) => setTimeout(resolve, 20000));
    }
    await this.schema.create("slow", (t) => { t.id(); });
  }
  async down() { await this.schema.dropIfExists("slow"); }
}
`;

for (const dialect of DIALECTS.filter((d) => d !== "sqlite")) {
  test(`schema:diff on ${dialect} drops its scratch database when interrupted (Ctrl-C)`, async () => {
    const project = createProject("module");
    const database = await createTestDatabase(dialect);
    try {
      project.write("databases/migrations/2025_01_01_000000_slow_on_scratch.ts", SLOW_ON_SCRATCH);
      const env = { ...database.env, ...NODE_ONLY_PATH };
      assert.equal((await project.mortar(["migrate"], env)).code, 0);
      const before = await scratchDatabases(dialect);
      const diff = startMortar(project.dir, ["schema:diff"], env);
      await diff.waitFor(/WAITING ON SCRATCH/);
      assert.equal((await scratchDatabases(dialect)).length, before.length + 1, "the scratch database exists while the diff runs");
      diff.kill("SIGINT");
      const finished = await diff.exited;
      assert.notEqual(finished.code, 0);
      assert.ok(finished.elapsedMs < 15000, `exited after ${finished.elapsedMs} ms`);
      assert.deepEqual(await scratchDatabases(dialect), before);
    } finally {
      await database.drop();
      project.cleanup();
    }
  });
}
