import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Database } from "../../src/dialect/database.js";
import { Migrator, type MigrationEvent } from "../../src/migration/migrator.js";
import { DIALECTS, withDatabase } from "../support/databases.js";
import { withMigrationFiles } from "../support/migration-files.js";

/**
 * Reversible migrations through the library: the error contract of a refused rollback
 * (RunResult.error, never a throw), events, and what a change() may and may not do while
 * its rollback is recorded (reads are real; writes of any kind are refused, even when
 * change() catches the refusal).
 */

const change = (body: string) => `import { Migration } from "mortar";
export default class extends Migration {
  async change() {
${body}
  }
}
`;

const CREATE = change(`    await this.schema.create("widgets", (t) => { t.increments("id"); t.string("label"); });`);

async function tracked(db: Database): Promise<string[]> {
  return (await db.query<{ migration: string }>("select migration from migrations order by id")).map((r) => r.migration);
}

for (const dialect of DIALECTS) {
  describe(`reversible migrations through the Migrator on ${dialect}`, () => {
    test("rollback of change() runs the inverse with the usual events and tracking", async () => {
      await withDatabase(dialect, async (db) => {
        await withMigrationFiles(
          {
            "2026_03_01_000001_create_widgets.mjs": CREATE,
            "2026_03_01_000002_add_color.mjs": change(`
    // A read while recording sees the live database (here: after the up).
    if (await this.schema.hasTable("widgets")) {
      await this.schema.withoutForeignKeyConstraints(async () => {
        await this.schema.table("widgets", (t) => { t.string("color").nullable().index(); });
      });
    }`),
          },
          async (dir) => {
            const migrator = new Migrator(db, { path: dir });
            const up = await migrator.migrate();
            assert.equal(up.error, undefined, up.error?.message);
            assert.deepEqual((await db.schema.getColumns("widgets")).map((c) => c.name), ["id", "label", "color"]);
            const events: string[] = [];
            migrator.on("migration:start", (e: MigrationEvent) => events.push(`start ${e.direction} ${e.name}`));
            migrator.on("migration:end", (e: MigrationEvent) => events.push(`end ${e.direction} ${e.name}`));
            const down = await migrator.rollback();
            assert.equal(down.error, undefined, down.error?.message);
            assert.deepEqual(events, [
              "start down 2026_03_01_000002_add_color",
              "end down 2026_03_01_000002_add_color",
              "start down 2026_03_01_000001_create_widgets",
              "end down 2026_03_01_000001_create_widgets",
            ]);
            assert.deepEqual(await db.schema.getTables(), ["migrations"]);
            assert.deepEqual(await tracked(db), []);
          },
        );
      });
    });

    test("an irreversible change() is RunResult.error IRREVERSIBLE_MIGRATION at stage start, nothing run", async () => {
      await withDatabase(dialect, async (db) => {
        const cases: [string, string, RegExp][] = [
          ["raw_query", `    await this.db.query("select 1");`, /query "select 1"/],
          ["create_if_missing", `    await this.schema.createIfNotExists("gadgets", (t) => { t.increments("id"); });`, /createIfNotExists "gadgets"/],
          // change() swallowing the refusal does not make the rollback forget it.
          ["swallowed", `    try { await this.db.execute("delete from widgets"); } catch {}
    await this.schema.table("widgets", (t) => { t.string("size").nullable(); });`, /execute "delete from widgets"/],
          ["truncate", `    await this.schema.truncate("widgets");`, /truncate "widgets"/],
        ];
        for (const [name, body, operation] of cases) {
          const file = `2026_03_02_000001_${name}`;
          await withMigrationFiles({ "2026_03_01_000001_create_widgets.mjs": CREATE, [`${file}.mjs`]: change(body) }, async (dir) => {
            const migrator = new Migrator(db, { path: dir });
            const up = await migrator.migrate({ step: true });
            assert.equal(up.error, undefined, up.error?.message);
            const columns = (await db.schema.getColumns("widgets")).map((c) => c.name);
            const started: string[] = [];
            migrator.on("migration:start", (e: MigrationEvent) => started.push(e.name));
            const down = await migrator.rollback();
            assert.equal(down.error?.code, "IRREVERSIBLE_MIGRATION", `${name}: ${down.error?.message}`);
            assert.equal(down.error?.stage, "start");
            assert.equal(down.error?.migration, file);
            assert.match(down.error!.message, new RegExp(`${file}\\.mjs`));
            assert.match(down.error!.message, operation);
            assert.match(down.error!.message, /write a down\(\) method/);
            assert.deepEqual(started, [], `${name}: no migration started`);
            assert.deepEqual(await tracked(db), ["2026_03_01_000001_create_widgets", file]);
            assert.deepEqual((await db.schema.getColumns("widgets")).map((c) => c.name), columns);
            await db.schema.drop("widgets");
            await db.schema.drop("migrations");
          });
        }
      });
    });

    test("change() that throws while recorded fails the rollback as MIGRATION_FAILED before anything runs", async () => {
      await withDatabase(dialect, async (db) => {
        await withMigrationFiles(
          {
            "2026_03_01_000001_create_widgets.mjs": CREATE,
            "2026_03_01_000002_flaky.mjs": change(`
    if (await this.schema.hasColumn("widgets", "flag")) throw new Error("already flagged");
    await this.schema.table("widgets", (t) => { t.boolean("flag").default(false); });`),
          },
          async (dir) => {
            const migrator = new Migrator(db, { path: dir });
            assert.equal((await migrator.migrate()).error, undefined);
            const down = await migrator.rollback();
            assert.equal(down.error?.code, "MIGRATION_FAILED");
            assert.match(down.error!.message, /2026_03_01_000002_flaky\.mjs: down\(\) failed: already flagged/);
            assert.equal(down.error?.stage, "start");
            assert.deepEqual(down.migrations, []);
            assert.ok(await db.schema.hasColumn("widgets", "flag"));
          },
        );
      });
    });
  });
}
