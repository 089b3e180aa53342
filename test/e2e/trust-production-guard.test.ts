import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ConnectionConfig } from "../../src/dialect/dialect.js";
import { createTestDatabase, DIALECTS, type TestDatabase, withConnection } from "../support/databases.js";
import { createProject, type TempProject } from "../support/project.js";

/**
 * The production guard (spec §6): with NODE_ENV or APP_ENV = production — any case,
 * stray spaces, from the environment or from `.env` — every command that changes the
 * database refuses without a TTY and without --force (exit 2), and the rows stay.
 */

function createTable(table: string): string {
  return `import { Migration } from "mortar";
export default class Create_${table} extends Migration {
  async up() { await this.schema.create(${JSON.stringify(table)}, (t) => { t.increments("id"); t.string("name"); }); }
  async down() { await this.schema.drop(${JSON.stringify(table)}); }
}
`;
}

const M1 = "2026_04_01_000001_create_alpha_table";
const M2 = "2026_04_01_000002_create_beta_table";
const M3 = "2026_04_01_000003_create_gamma_table";

/** Every command that changes the database, with the arguments it needs to do something. */
const CHANGING_COMMANDS: readonly (readonly string[])[] = [
  ["migrate"],
  ["migrate:fresh"],
  ["migrate:reset"],
  ["migrate:rollback"],
  ["migrate:refresh"],
  ["migrate:resolve", M2, "--applied"],
  ["migrate:install"],
];

/** Where production is declared: the environment, `.env`, or both disagreeing. */
const PRODUCTION_FORMS: readonly { name: string; env: Record<string, string>; dotenv?: string }[] = [
  { name: 'NODE_ENV=" Production " in the environment', env: { NODE_ENV: " Production " } },
  { name: "APP_ENV=PRODUCTION in the environment", env: { APP_ENV: "PRODUCTION" } },
  { name: "NODE_ENV=production only in .env", env: {}, dotenv: "NODE_ENV=production\n" },
  { name: 'APP_ENV=" Production " only in .env, NODE_ENV=development in the environment', env: { NODE_ENV: "development" }, dotenv: 'APP_ENV=" Production "\n' },
];

interface State {
  readonly tables: string[];
  readonly tracked: string[];
  readonly alphaRows: string[];
}

function stateOf(config: ConnectionConfig): Promise<State> {
  return withConnection(config, async (db) => {
    const tables = [...(await db.schema.getTables())].sort();
    const tracked = (await db.query<{ migration: string }>("select migration from migrations order by id")).map((r) => r.migration);
    const alphaRows = (await db.query<{ name: string }>("select name from alpha order by id")).map((r) => r.name);
    return { tables, tracked, alphaRows };
  });
}

for (const dialect of DIALECTS) {
  describe(`production guard on ${dialect}`, () => {
    let database: TestDatabase;
    let project: TempProject;
    let before_: State;

    before(async () => {
      database = await createTestDatabase(dialect);
      project = createProject("module");
      project.write(`databases/migrations/${M1}.ts`, createTable("alpha"));
      assert.equal((await project.mortar(["migrate"], database.env)).code, 0);
      project.write(`databases/migrations/${M2}.ts`, createTable("beta"));
      assert.equal((await project.mortar(["migrate"], database.env)).code, 0);
      await withConnection(database.config, (db) => db.execute("insert into alpha (name) values ('kept-1'), ('kept-2')"));
      // A pending migration, so `migrate` too would change something if let through.
      project.write(`databases/migrations/${M3}.ts`, createTable("gamma"));
      before_ = await stateOf(database.config);
      assert.deepEqual(before_.tracked, [M1, M2]);
      assert.deepEqual(before_.alphaRows, ["kept-1", "kept-2"]);
    });

    after(async () => {
      project.cleanup();
      await database.drop();
    });

    for (const form of PRODUCTION_FORMS) {
      test(`${form.name}: every changing command refuses without a TTY and --force, rows stay`, async () => {
        if (form.dotenv) project.write(".env", form.dotenv);
        else project.remove(".env");
        try {
          for (const command of CHANGING_COMMANDS) {
            // --json only where the command takes it; the refusal is then the JSON document.
            for (const json of command[0] === "migrate" ? [false, true] : [false]) {
              const args = json ? [...command, "--json"] : [...command];
              const run = await project.mortar(args, { ...database.env, ...form.env });
              assert.equal(run.code, 2, `${args.join(" ")}: exit ${run.code}\n${run.stdout}${run.stderr}`);
              assert.match(json ? run.stdout : run.stderr, /production.*--force/, `${args.join(" ")} names the way out`);
            }
          }
        } finally {
          project.remove(".env");
        }
        assert.deepEqual(await stateOf(database.config), before_, "no table, tracking row or data row changed");
      });
    }

    test("not production (`productionish`, `development`, from .env or the environment): the guard stays out of the way", async () => {
      project.write(".env", "NODE_ENV=productionish\n");
      try {
        const run = await project.mortar(["migrate:install"], { ...database.env, APP_ENV: "development" });
        assert.equal(run.code, 0, run.stdout + run.stderr);
      } finally {
        project.remove(".env");
      }
    });

    test("--force lets a production run through", async () => {
      project.write(".env", "APP_ENV=production\n");
      try {
        const run = await project.mortar(["migrate", "--force"], database.env);
        assert.equal(run.code, 0, run.stdout + run.stderr);
        assert.deepEqual((await stateOf(database.config)).tracked, [M1, M2, M3]);
        assert.deepEqual((await stateOf(database.config)).alphaRows, ["kept-1", "kept-2"]);
      } finally {
        project.remove(".env");
      }
    });
  });
}
