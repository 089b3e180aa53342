import type { Database } from "../dialect/database.js";
import { columnChecks, parseCreateTable } from "../grammar/sqlite-create-table-parser.js";
import { byName, type CheckModel, type ColumnModel, type IndexModel, type SchemaModel, type TableModel } from "./model.js";

interface MasterRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

/**
 * SQLite keeps every object's CREATE text verbatim in sqlite_master: that text is the
 * model's `definition` (and what a dump replays), and the pragmas behind the
 * introspector give the structured columns, indexes and keys a diff reads.
 */
export async function readSqliteModel(db: Database): Promise<SchemaModel> {
  const rows = await db.read<MasterRow>(
    "select type, name, tbl_name, sql from sqlite_master where name not like 'sqlite\\_%' escape '\\' order by name",
  );
  const tables: TableModel[] = [];
  for (const row of rows.filter((r) => r.type === "table")) {
    tables.push(await readTable(db, row, rows));
  }
  const views = rows.filter((r) => r.type === "view").map((r) => ({ name: r.name, definition: r.sql ?? "" }));
  return { dialect: "sqlite", tables: tables.sort(byName), views: views.sort(byName), sequences: [], enumTypes: [] };
}

async function readTable(db: Database, row: MasterRow, all: readonly MasterRow[]): Promise<TableModel> {
  const introspector = db.introspector;
  const sql = row.sql ?? "";
  const parsed = parseCreateTable(sql);
  const columns: ColumnModel[] = (await introspector.getColumns(row.name)).map((c) => ({
    ...c,
    collation: collationOf(parsed.columns.find((p) => p.name === c.name)?.definition ?? ""),
    generated: null,
    generatedKind: null,
    identity: null,
  }));
  const stored = new Map(all.filter((r) => r.type === "index" && r.tbl_name === row.name).map((r) => [r.name, r.sql]));
  const indexes: IndexModel[] = (await introspector.getIndexes(row.name)).map((i) => ({
    ...i,
    definition: stored.get(i.name) ?? null,
    constraint: !stored.get(i.name),
  }));
  const checks: CheckModel[] = [
    ...parsed.constraints.filter((c) => c.kind === "check").map((c) => ({ name: c.name ?? "", expression: checkExpression(c.text) })),
    ...parsed.columns.flatMap((column) => columnChecks(column.definition).map((c) => ({ name: c.name ?? "", expression: c.expression }))),
  ].sort((a, b) => byName(a, b) || (a.expression < b.expression ? -1 : a.expression > b.expression ? 1 : 0));
  const triggers = all
    .filter((r) => r.type === "trigger" && r.tbl_name === row.name)
    .map((r) => ({ name: r.name, definition: r.sql ?? "" }))
    .sort(byName);
  return {
    name: row.name,
    columns,
    indexes: indexes.sort(byName),
    foreignKeys: (await introspector.getForeignKeys(row.name)).map((fk) => ({ ...fk, definition: null })).sort(byName),
    checks,
    comment: null,
    options: parsed.options.trim() === "" ? {} : { options: parsed.options.trim().toLowerCase() },
    definition: sql,
    triggers,
  };
}

function collationOf(definition: string): string | null {
  return /\bcollate\s+("?)(\w+)\1/i.exec(definition)?.[2]?.toLowerCase() ?? null;
}

/** `constraint "x" check (a > 0)` → `(a > 0)`. */
function checkExpression(text: string): string {
  const at = text.search(/\bcheck\s*\(/i);
  return at < 0 ? text : text.slice(at).replace(/^check\s*/i, "");
}
