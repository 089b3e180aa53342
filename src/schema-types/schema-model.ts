import type { Database } from "../dialect/database.js";
import type { ColumnInfo, DialectName, ForeignKeyInfo, IndexInfo } from "../schema/live-schema.js";
import { enumValuesOf } from "./enum-values.js";

/**
 * The schema as `schema:types` and `schema:erd` need it: every table (and view) with
 * its columns, keys and the values of its enum columns, read through Mortar's own
 * introspectors. Plain data, so both renderers are pure functions of it.
 */

export interface ModelColumn extends ColumnInfo {
  /** The values an enum column allows (MySQL `enum(…)`, Mortar's `in (…)` check elsewhere), or null. */
  readonly enumValues: readonly string[] | null;
}

export interface ModelTable {
  readonly name: string;
  readonly kind: "table" | "view";
  /** Columns in the table's own order. */
  readonly columns: readonly ModelColumn[];
  /** The primary key's columns in key order (empty when there is none, and for views). */
  readonly primaryKey: readonly string[];
  /** Unique indexes and constraints other than the primary key, by their columns. */
  readonly uniqueKeys: readonly (readonly string[])[];
  /** Sorted by name. */
  readonly foreignKeys: readonly ForeignKeyInfo[];
}

export interface SchemaModel {
  readonly dialect: DialectName;
  /** Tables, then views, each sorted by name. */
  readonly tables: readonly ModelTable[];
}

export interface ReadSchemaOptions {
  /** Tables left out: the migrations tracking table. */
  readonly exclude?: readonly string[];
  /** Read views too (their columns; they have no keys). Default true. */
  readonly views?: boolean;
}

/** Plain code-unit order: the same on every machine, whatever the server's collation. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export async function readSchemaModel(db: Database, options: ReadSchemaOptions = {}): Promise<SchemaModel> {
  const excluded = new Set(options.exclude ?? []);
  const introspector = db.introspector;
  const tableNames = (await introspector.getTables()).filter((t) => !excluded.has(t)).sort(byCodeUnits);
  const viewNames = options.views === false ? [] : (await introspector.getViews()).filter((v) => !excluded.has(v)).sort(byCodeUnits);
  const enums = await enumValuesOf(db);
  const tables: ModelTable[] = [];
  for (const name of tableNames) {
    // One after another: a Database is one connection, which runs one query at a time.
    const columns = await introspector.getColumns(name);
    const indexes = await introspector.getIndexes(name);
    const foreignKeys = await introspector.getForeignKeys(name);
    const values = await enums.forTable(name, columns);
    tables.push({
      name,
      kind: "table",
      columns: columns.map((c) => ({ ...c, enumValues: values.get(c.name) ?? null })),
      primaryKey: indexes.find((i) => i.primary)?.columns ?? [],
      uniqueKeys: uniqueKeys(indexes),
      foreignKeys: [...foreignKeys].sort((a, b) => byCodeUnits(a.name, b.name)),
    });
  }
  for (const name of viewNames) {
    const columns = await introspector.getColumns(name);
    tables.push({ name, kind: "view", columns: columns.map((c) => ({ ...c, enumValues: null })), primaryKey: [], uniqueKeys: [], foreignKeys: [] });
  }
  return { dialect: db.dialect, tables };
}

function uniqueKeys(indexes: readonly IndexInfo[]): string[][] {
  return indexes.filter((i) => i.unique && !i.primary).map((i) => [...i.columns]);
}
