import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { connect } from "../../src/dialect/connect.js";
import { createProject, REPO_ROOT, runNode, type TempProject } from "../support/project.js";

const STAMP = String.raw`\d{4}_\d{2}_\d{2}_\d{6}`;
const DIR = "databases/migrations";

describe("mortar make:migration", () => {
  let project: TempProject;
  const mortar = (...args: string[]) => project.mortar(args);
  const filesIn = (dir: string) => (existsSync(join(project.dir, dir)) ? readdirSync(join(project.dir, dir)).sort() : []);
  /** The one file in `dir` whose name ends with `_${name}.ts`. */
  const fileNamed = (dir: string, name: string) => {
    const found = filesIn(dir).filter((f) => new RegExp(`^${STAMP}_${name}\\.ts$`).test(f));
    assert.equal(found.length, 1, `one ${name} migration in ${dir}: ${filesIn(dir).join(", ")}`);
    return { file: found[0]!, source: readFileSync(join(project.dir, dir, found[0]!), "utf8") };
  };
  const sqlite = () => ({ driver: "sqlite" as const, database: join(project.dir, "databases", "database.sqlite") });
  async function columnsOf(table: string): Promise<string[] | undefined> {
    const db = await connect(sqlite());
    try {
      if (!(await db.schema.hasTable(table))) return undefined;
      return (await db.schema.getColumns(table)).map((c) => c.name);
    } finally {
      await db.close();
    }
  }

  before(() => {
    project = createProject("module");
  });
  after(() => project.cleanup());

  test("create_flights_table writes a create stub that migrate runs as written", async () => {
    const made = await mortar("make:migration", "create_flights_table");
    assert.equal(made.code, 0, made.stderr);
    const { file, source } = fileNamed(DIR, "create_flights_table");
    assert.ok(made.stdout.includes(`${DIR}/${file}`), made.stdout);
    assert.ok(file.startsWith(String(new Date().getUTCFullYear())) || file.startsWith(String(new Date().getFullYear())), file);
    assert.match(source, /from "mortar"/);
    assert.match(source, /export default class CreateFlightsTable extends Migration/);
    assert.match(source, /this\.schema\.create\("flights"/);
    assert.match(source, /this\.schema\.drop(IfExists)?\("flights"\)/);

    const run = await mortar("migrate");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /create_flights_table \.+ \d+ms DONE/);
    const columns = await columnsOf("flights");
    assert.ok(columns, "flights exists");
    assert.ok(columns.includes("id"), columns.join());

    // down() as written too.
    const back = await mortar("migrate:rollback");
    assert.equal(back.code, 0, back.stderr);
    assert.equal(await columnsOf("flights"), undefined);
    const again = await mortar("migrate");
    assert.equal(again.code, 0, again.stderr);
  });

  test("add_votes_to_users_table gives a schema.table(\"users\") stub", async () => {
    const made = await mortar("make:migration", "add_votes_to_users_table");
    assert.equal(made.code, 0, made.stderr);
    const { source } = fileNamed(DIR, "add_votes_to_users_table");
    assert.match(source, /export default class AddVotesToUsersTable extends Migration/);
    assert.match(source, /this\.schema\.table\("users"/);
    assert.doesNotMatch(source, /schema\.create\(/);
    // It alters a table that does not exist: keep it out of the later runs.
    project.remove(`${DIR}/${fileNamed(DIR, "add_votes_to_users_table").file}`);
  });

  test("--table writes an alter stub that runs as written; --create a create stub", async () => {
    let made = await mortar("make:migration", "add_code_to_flights", "--table", "flights");
    assert.equal(made.code, 0, made.stderr);
    assert.match(fileNamed(DIR, "add_code_to_flights").source, /this\.schema\.table\("flights"/);

    made = await mortar("make:migration", "airports", "--create", "airports");
    assert.equal(made.code, 0, made.stderr);
    const airports = fileNamed(DIR, "airports").source;
    assert.match(airports, /this\.schema\.create\("airports"/);
    assert.match(airports, /this\.schema\.drop(IfExists)?\("airports"\)/);

    const run = await mortar("migrate");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /add_code_to_flights \.+ \d+ms DONE/);
    assert.match(run.stdout, /airports \.+ \d+ms DONE/);
    assert.ok(await columnsOf("airports"), "airports exists");
  });

  test("--path writes to another folder; the alias `mortar migration` works", async () => {
    let made = await mortar("make:migration", "create_gates_table", "--path", "custom/migs");
    assert.equal(made.code, 0, made.stderr);
    assert.match(fileNamed("custom/migs", "create_gates_table").source, /this\.schema\.create\("gates"/);
    assert.deepEqual(filesIn(DIR).filter((f) => f.includes("gates")), []);

    made = await mortar("migration", "create_pilots_table");
    assert.equal(made.code, 0, made.stderr);
    assert.match(fileNamed(DIR, "create_pilots_table").source, /this\.schema\.create\("pilots"/);
  });

  test("migrations.path from mortar.config.ts is where new files go", async () => {
    project.write("mortar.config.ts", `import { defineConfig } from "mortar";\nexport default defineConfig({ migrations: { path: "db/changes" } });\n`);
    try {
      const made = await mortar("make:migration", "create_crews_table");
      assert.equal(made.code, 0, made.stderr);
      assert.match(fileNamed("db/changes", "create_crews_table").source, /this\.schema\.create\("crews"/);
    } finally {
      project.remove("mortar.config.ts");
    }
  });

  test("no name exits 2", async () => {
    const before = filesIn(DIR);
    const made = await mortar("make:migration");
    assert.equal(made.code, 2);
    assert.match(made.stderr, /name/);
    assert.doesNotMatch(made.stderr, /\n\s+at /);
    assert.deepEqual(filesIn(DIR), before);
  });

  test("a name that already exists fails naming the existing file", async () => {
    const before = filesIn(DIR);
    const { file } = fileNamed(DIR, "create_flights_table");
    const made = await mortar("make:migration", "create_flights_table");
    assert.notEqual(made.code, 0);
    assert.ok(made.stderr.includes(file), made.stderr);
    assert.doesNotMatch(made.stderr, /\n\s+at /);
    assert.deepEqual(filesIn(DIR), before, "no second file");
  });

  test("every generated stub type-checks under strict TypeScript", async () => {
    await mortar("make:migration", "add_votes_to_users_table");
    await mortar("make:migration", "do_something_else");
    project.write(
      "tsconfig.json",
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", lib: ["ES2022", "ESNext.Disposable"], skipLibCheck: true },
        include: [`${DIR}/**/*.ts`, "custom/migs/*.ts", "db/changes/*.ts"],
      }),
    );
    const tsc = await runNode([join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], project.dir);
    assert.equal(tsc.code, 0, tsc.stdout + tsc.stderr);
  });
});
