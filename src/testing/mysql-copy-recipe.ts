import type { Database } from "../index.js";

/**
 * How to make a MySQL/MariaDB database like the template, read once from the template:
 * its tables' `SHOW CREATE TABLE` text (foreign keys included, checked off while they
 * run), the tables holding rows (the tracking table, data a migration inserted) with
 * their stored columns, and its views with the template's name taken out of their text.
 * MySQL has no `CREATE DATABASE … TEMPLATE`; replaying this is the quickest copy measured
 * (bench/test-databases.ts), far quicker than running the migrations, whose statements
 * each wait for their own metadata changes and tracking row.
 * Not copied: triggers, routines and events (Mortar's schema builder creates none).
 */
export interface MysqlCopyRecipe {
  readonly tables: readonly string[];
  readonly createTables: readonly string[];
  readonly rows: readonly { table: string; columns: readonly string[] }[];
  readonly views: readonly { name: string; sql: string }[];
}

export async function readCopyRecipe(db: Database, template: string): Promise<MysqlCopyRecipe> {
  const q = (name: string) => db.grammar.quoteIdentifier(name);
  const objects = await db.query<{ name: string; type: string }>(
    "select table_name as name, table_type as type from information_schema.tables where table_schema = ? order by table_name",
    [template],
  );
  const tables = objects.filter((o) => o.type === "BASE TABLE").map((o) => o.name);
  const createTables: string[] = [];
  const rows: { table: string; columns: string[] }[] = [];
  for (const table of tables) {
    const [shown] = await db.query<Record<string, string>>(`show create table ${q(template)}.${q(table)}`);
    createTables.push(shown!["Create Table"]!);
    if ((await db.query(`select 1 from ${q(template)}.${q(table)} limit 1`)).length === 0) continue;
    const columns = await db.query<{ name: string }>(
      "select column_name as name from information_schema.columns where table_schema = ? and table_name = ? " +
        "and extra not like '%GENERATED%' and extra not in ('VIRTUAL', 'PERSISTENT', 'STORED') order by ordinal_position",
      [template, table],
    );
    rows.push({ table, columns: columns.map((c) => c.name) });
  }
  const views: { name: string; sql: string }[] = [];
  const qualified = `${q(template)}.`;
  for (const view of objects.filter((o) => o.type === "VIEW")) {
    const [shown] = await db.query<Record<string, string>>(`show create view ${q(template)}.${q(view.name)}`);
    // The text names the template's tables as `tpl`.`t`; unqualified they resolve in the copy.
    views.push({ name: view.name, sql: shown!["Create View"]!.split(qualified).join("") });
  }
  return { tables, createTables, rows, views };
}

/**
 * Build database `name` (already created, empty) from the recipe. The tables are spread
 * over `sessions` (connections to `name`), each sending its share in one round trip with
 * foreign-key checks off: InnoDB creates a file per table and waits for the disk, and
 * parallel sessions overlap those waits (measured 1.8× faster with four than with one).
 * Then the rows are copied server-side from the template and the views created (a view
 * over a view waits for a later pass).
 */
export async function applyCopyRecipe(sessions: readonly Database[], recipe: MysqlCopyRecipe, template: string): Promise<void> {
  const [first] = sessions;
  if (!first) return;
  const q = (id: string) => first.grammar.quoteIdentifier(id);
  await Promise.all(
    sessions.map(async (db, k) => {
      const share = recipe.createTables.filter((_, i) => i % sessions.length === k);
      if (share.length > 0) await db.execute(["set foreign_key_checks = 0", ...share, "set foreign_key_checks = 1"].join(";\n"));
    }),
  );
  if (recipe.rows.length > 0) {
    const copies = recipe.rows.map(({ table, columns }) => {
      const list = columns.map(q).join(", ");
      return `insert into ${q(table)} (${list}) select ${list} from ${q(template)}.${q(table)}`;
    });
    await first.execute(["set foreign_key_checks = 0", ...copies, "set foreign_key_checks = 1"].join(";\n"));
  }
  let pending = recipe.views;
  while (pending.length > 0) {
    const failed: (typeof pending)[number][] = [];
    let lastError: unknown;
    for (const view of pending) {
      try {
        await first.execute(view.sql);
      } catch (error) {
        failed.push(view);
        lastError = error;
      }
    }
    if (failed.length === pending.length) throw lastError;
    pending = failed;
  }
}
