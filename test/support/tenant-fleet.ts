import { mkdirSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { TempProject } from "./project.js";

/**
 * Three migrations for fleet tests. The second fails on a tenant holding a `poison`
 * table, so a test chooses exactly which tenants fail (and cures them by dropping it).
 * `MORTAR_TEST_SLOW_MS` makes each up() wait, for a run killed part-way.
 */
export const FLEET_MIGRATIONS: Record<string, string> = {
  "2026_01_01_000001_create_users_table.ts": `import { Migration } from "mortar";
export default class CreateUsersTable extends Migration {
  async up() {
    const slow = Number(process.env.MORTAR_TEST_SLOW_MS ?? 0);
    if (slow) await new Promise((resolve) => setTimeout(resolve, slow));
    await this.schema.create("users", (t) => { t.increments("id"); t.string("email"); });
  }
  async down() { await this.schema.drop("users"); }
}
`,
  "2026_01_01_000002_create_posts_table.ts": `import { Migration } from "mortar";
export default class CreatePostsTable extends Migration {
  async up() {
    if (await this.schema.hasTable("poison")) throw new Error("this tenant is poisoned on purpose");
    await this.schema.create("posts", (t) => { t.increments("id"); t.string("title"); });
  }
  async down() { await this.schema.drop("posts"); }
}
`,
  "2026_01_01_000003_add_body_to_posts_table.ts": `import { Migration } from "mortar";
export default class AddBodyToPostsTable extends Migration {
  async up() {
    await using table = await this.schema.table("posts");
    table.text("body").nullable();
  }
  async down() {
    await using table = await this.schema.table("posts");
    table.dropColumn("body");
  }
}
`,
};

export const FLEET_MIGRATION_NAMES = Object.keys(FLEET_MIGRATIONS).map((file) => file.replace(/\.ts$/, "")).sort();

export function writeFleetMigrations(project: TempProject): void {
  for (const [name, source] of Object.entries(FLEET_MIGRATIONS)) project.write(`databases/migrations/${name}`, source);
}

/** `count` empty SQLite tenant files `databases/tenants/t001.sqlite` …; the `poisoned` ids get a `poison` table. */
export function createSqliteTenants(project: TempProject, count: number, poisoned: readonly string[] = []): string[] {
  const dir = join(project.dir, "databases", "tenants");
  mkdirSync(dir, { recursive: true });
  const ids = Array.from({ length: count }, (_, i) => `t${String(i + 1).padStart(3, "0")}`);
  for (const id of ids) {
    const db = new BetterSqlite3(join(dir, `${id}.sqlite`));
    if (poisoned.includes(id)) db.exec("create table poison (id integer)");
    db.close();
  }
  return ids;
}

export function sqliteTenantFile(project: TempProject, id: string): string {
  return join(project.dir, "databases", "tenants", `${id}.sqlite`);
}

/** The migrations recorded in a SQLite tenant's tracking table, in order. */
export function sqliteRan(project: TempProject, id: string): string[] {
  const db = new BetterSqlite3(sqliteTenantFile(project, id), { readonly: true });
  try {
    const exists = db.prepare("select 1 from sqlite_master where name = 'migrations'").get();
    if (!exists) return [];
    return (db.prepare("select migration from migrations order by id").all() as { migration: string }[]).map((r) => r.migration);
  } finally {
    db.close();
  }
}

export function cureSqliteTenant(project: TempProject, id: string): void {
  const db = new BetterSqlite3(sqliteTenantFile(project, id));
  db.exec("drop table poison");
  db.close();
}
