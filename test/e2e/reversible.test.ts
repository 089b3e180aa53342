import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestDatabase, type TestDatabase, withConnection } from "../support/databases.js";
import { createProject, type TempProject } from "../support/project.js";
import { schemaSnapshot, type TableShape } from "../support/schema.js";

/**
 * Reversible migrations (change()) through the real binary: migrate runs change(), rollback
 * runs its derived inverse (and --pretend prints it), and a change() that cannot be
 * reversed makes the rollback fail with exit 1 before any statement runs, naming the
 * file, the operation and down(), with the database and the tracking row untouched.
 */

const CREATE_ACCOUNTS = `import { Migration } from "mortar";
export default class CreateAccounts extends Migration {
  async change() {
    await this.schema.create("accounts", (t) => {
      t.increments("id");
      t.string("name");
      t.string("legacy").nullable();
      t.index(["name"]);
    });
  }
}
`;

const EXTEND_ACCOUNTS = `import { Migration } from "mortar";
export default class ExtendAccounts extends Migration {
  async change() {
    await this.schema.table("accounts", (t) => {
      t.string("nick").nullable().unique();
      t.renameColumn("name", "full_name");
    });
    await this.schema.create("teams", (t) => { t.increments("id"); });
    await this.schema.table("accounts", (t) => {
      t.integer("team_id").unsigned().nullable();
      t.index(["team_id"]);
      t.foreign("team_id").references("id").on("teams");
    });
    await this.schema.rename("accounts", "members");
  }
}
`;

const DROP_LEGACY = `import { Migration } from "mortar";
export default class DropLegacy extends Migration {
  async change() {
    await this.schema.table("members", (t) => { t.string("note").nullable(); });
    await this.schema.table("members", (t) => { t.dropColumn("legacy"); });
  }
}
`;

const RAW_SQL = `import { Migration } from "mortar";
export default class Backfill extends Migration {
  async change() {
    await this.db.execute("update members set nick = full_name");
  }
}
`;

const BOTH = `import { Migration } from "mortar";
export default class Both extends Migration {
  async change() { await this.schema.create("both_ways", (t) => { t.increments("id"); }); }
  async up() { await this.schema.create("both_ways", (t) => { t.increments("id"); }); }
}
`;

const FILES = {
  create: "databases/migrations/2026_02_01_000001_create_accounts.ts",
  extend: "databases/migrations/2026_02_01_000002_extend_accounts.ts",
  drop: "databases/migrations/2026_02_01_000003_drop_legacy.ts",
  raw: "databases/migrations/2026_02_01_000004_backfill.ts",
  both: "databases/migrations/2026_02_01_000005_both.ts",
};

interface State {
  readonly shapes: Record<string, TableShape>;
  readonly tracking: string[];
}

function readState(database: TestDatabase): Promise<State> {
  return withConnection(database.config, async (db) => {
    const tables = (await db.schema.getTables()).filter((t) => t !== "migrations").sort();
    const shapes = await schemaSnapshot(db, ...tables);
    const tracking = (await db.schema.hasTable("migrations"))
      ? (await db.query<{ migration: string }>("select migration from migrations order by id")).map((r) => r.migration)
      : [];
    return { shapes, tracking };
  });
}

const columnsOf = (state: State, table: string) => state.shapes[table]?.columns.map((c) => c.name);

for (const dialect of ["sqlite", "postgres"] as const) {
  describe(`reversible migrations through the binary on ${dialect}`, () => {
    let project: TempProject;
    let database: TestDatabase;
    const mortar = (...args: string[]) => project.mortar(args, database.env);

    before(async () => {
      database = await createTestDatabase(dialect);
      project = createProject("module");
    });
    after(async () => {
      project.cleanup();
      await database.drop();
    });

    test("change() migrates, and rolling back runs its inverse (printed by --pretend)", async () => {
      project.write(FILES.create, CREATE_ACCOUNTS);
      const first = await mortar("migrate");
      assert.equal(first.code, 0, first.stderr);
      const afterCreate = await readState(database);
      assert.deepEqual(columnsOf(afterCreate, "accounts"), ["id", "name", "legacy"]);

      project.write(FILES.extend, EXTEND_ACCOUNTS);
      const second = await mortar("migrate");
      assert.equal(second.code, 0, second.stderr);
      const extended = await readState(database);
      assert.deepEqual(Object.keys(extended.shapes), ["members", "teams"]);
      assert.deepEqual(columnsOf(extended, "members"), ["id", "full_name", "legacy", "nick", "team_id"]);
      assert.equal(extended.shapes.members!.foreignKeys.length, 1);

      // SQLite cannot pretend this one: dropping the foreign key rebuilds "accounts", which
      // it plans against the live table, still named "members" while pretending (a limit
      // of --pretend with rebuilds after a rename, with a hand-written down() as well).
      if (dialect === "postgres") {
        const pretend = await mortar("migrate:rollback", "--pretend");
        assert.equal(pretend.code, 0, pretend.stderr);
        assert.match(pretend.stdout, /2026_02_01_000002_extend_accounts/);
        // The inverse, last operation first: the table renamed back before anything else.
        const renameBack = pretend.stdout.search(/alter table "members" rename to "accounts"/);
        const dropTeams = pretend.stdout.search(/drop table "teams"/);
        assert.ok(renameBack >= 0 && dropTeams > renameBack, pretend.stdout);
        assert.match(pretend.stdout, /rename column "full_name" to "name"/);
        assert.deepEqual(await readState(database), extended, "--pretend changed nothing");
      }

      const rollback = await mortar("migrate:rollback");
      assert.equal(rollback.code, 0, rollback.stderr);
      assert.match(rollback.stdout, /2026_02_01_000002_extend_accounts/);
      assert.deepEqual(await readState(database), afterCreate, "the schema is back to what it was before the migration");

      const pretend = await mortar("migrate:rollback", "--pretend");
      assert.equal(pretend.code, 0, pretend.stderr);
      assert.match(pretend.stdout, /drop table "accounts"/);
      assert.deepEqual(await readState(database), afterCreate, "--pretend changed nothing");

      const again = await mortar("migrate:rollback");
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(await readState(database), { shapes: {}, tracking: [] });

      const remigrate = await mortar("migrate");
      assert.equal(remigrate.code, 0, remigrate.stderr);
      assert.deepEqual(await readState(database), extended, "migrating again gives the same schema");
    });

    test("an irreversible change() fails the rollback before any statement, naming file, operation and down()", async () => {
      project.write(FILES.drop, DROP_LEGACY);
      const migrated = await mortar("migrate");
      assert.equal(migrated.code, 0, migrated.stderr);
      const before = await readState(database);
      assert.deepEqual(columnsOf(before, "members"), ["id", "full_name", "nick", "team_id", "note"]);

      const rollback = await mortar("migrate:rollback");
      assert.equal(rollback.code, 1, rollback.stderr);
      assert.match(rollback.stderr, /2026_02_01_000003_drop_legacy\.ts/);
      assert.match(rollback.stderr, /dropColumn "members\.legacy"/);
      assert.match(rollback.stderr, /down\(\)/);
      assert.doesNotMatch(rollback.stderr, /\n\s+at /, "no stack trace without --verbose");
      // The reversible add before the drop was not undone either: nothing ran.
      assert.deepEqual(await readState(database), before, "the database and the tracking row are unchanged");

      const json = await mortar("migrate:rollback", "--pretend", "--json");
      assert.equal(json.code, 1);
      const doc = JSON.parse(json.stdout) as { error?: { code?: string } };
      assert.equal(doc.error?.code, "IRREVERSIBLE_MIGRATION", json.stdout);
    });

    test("a batch is checked whole: an irreversible older migration stops the newer one's inverse too", async () => {
      project.remove(FILES.drop);
      // Settle the previous test's migration by hand so the batch below holds two migrations.
      await withConnection(database.config, (db) => db.execute("delete from migrations where migration = '2026_02_01_000003_drop_legacy'"));
      project.write(FILES.drop, DROP_LEGACY.replace('t.string("note").nullable();', 't.string("memo").nullable();').replace('t.dropColumn("legacy");', 't.dropColumn("note");'));
      project.write(FILES.raw, RAW_SQL);
      const migrated = await mortar("migrate");
      assert.equal(migrated.code, 0, migrated.stderr);
      const before = await readState(database);
      assert.deepEqual(before.tracking.slice(-2), ["2026_02_01_000003_drop_legacy", "2026_02_01_000004_backfill"]);

      const rollback = await mortar("migrate:rollback");
      assert.equal(rollback.code, 1, rollback.stderr);
      // The newest migration (raw SQL) is named first: it is the first one of the batch checked.
      assert.match(rollback.stderr, /2026_02_01_000004_backfill\.ts/);
      assert.match(rollback.stderr, /execute "update members set nick = full_name"/);
      assert.deepEqual(await readState(database), before);

      project.write(FILES.raw, RAW_SQL.replace('await this.db.execute("update members set nick = full_name");', 'await this.schema.table("members", (t) => { t.string("extra").nullable(); });'));
      const rollbackBatch = await mortar("migrate:rollback");
      assert.equal(rollbackBatch.code, 1, rollbackBatch.stderr);
      assert.match(rollbackBatch.stderr, /2026_02_01_000003_drop_legacy\.ts/);
      assert.match(rollbackBatch.stderr, /dropColumn "members\.note"/);
      assert.deepEqual(await readState(database), before, "the newer, reversible migration was not rolled back either");
    });

    test("a class with both change() and up() is refused, naming the file", async () => {
      project.write(FILES.both, BOTH);
      const run = await mortar("migrate");
      project.remove(FILES.both);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /2026_02_01_000005_both\.ts/);
      assert.match(run.stderr, /change\(\) and also up\(\) or down\(\)/);
      assert.equal((await readState(database)).shapes.both_ways, undefined);
    });
  });
}
