import { defaultIndexName } from "../../schema/naming.js";
import { InvalidSchemaError } from "../../errors.js";
import type { ColumnInfo, ForeignKeyInfo, IndexInfo, Introspector, Queryable, TableSnapshot } from "../dialect.js";
import {
  hasKeyword,
  inlineForeignKeyName,
  parseCreateTable,
  sameIdentifier,
  type ParsedConstraint,
  type ParsedCreateTable,
} from "../../grammar/sqlite-create-table-parser.js";

interface TableXInfoRow {
  cid: number;
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
  hidden: number;
}

interface IndexListRow {
  name: string;
  unique: number;
  origin: string;
}

interface IndexInfoRow {
  seqno: number;
  name: string | null;
}

interface ForeignKeyRow {
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string | null;
  on_update: string;
  on_delete: string;
}

/** Generated-name space for unnamed constraints: large, as the grammar's identifier limit. */
const NAME_LIMIT = 1024;

/** Leaves out SQLite's own objects (sqlite_sequence, sqlite_stat1, …). */
const USER_OBJECTS = "name not like 'sqlite\\_%' escape '\\'";

/**
 * Reads a SQLite schema through sqlite_schema and the table-valued pragmas. What the
 * pragmas do not report (constraint names, comments, AUTOINCREMENT) comes from the
 * CREATE TABLE text SQLite keeps verbatim.
 *
 * @example
 * const introspector = new SqliteIntrospector(db);
 * await introspector.getColumns("users"); // [{ name: "id", typeName: "integer", autoIncrement: true, … }]
 */
export class SqliteIntrospector implements Introspector {
  readonly #db: Queryable;

  constructor(db: Queryable) {
    this.#db = db;
  }

  getTables(): Promise<string[]> {
    return this.#names("table");
  }

  async hasTable(table: string): Promise<boolean> {
    const rows = await this.#db.query(
      `select name from sqlite_master where type = 'table' and name = ? and ${USER_OBJECTS}`,
      [table],
    );
    return rows.length > 0;
  }

  getViews(): Promise<string[]> {
    return this.#names("view");
  }

  async getColumns(table: string): Promise<ColumnInfo[]> {
    const rows = await this.#tableInfo(table);
    const parsed = await this.#parsed(table);
    const keyColumns = rows.filter((r) => r.pk > 0);
    return rows.map((row) => {
      const declared = row.type.toLowerCase();
      const written = parsed?.columns.find((c) => sameIdentifier(c.name, row.name));
      return {
        name: row.name,
        typeName: declared.split("(")[0]!.trim(),
        type: declared,
        nullable: row.notnull === 0 && row.pk === 0,
        default: row.dflt_value,
        autoIncrement: keyColumns.length === 1 && row.pk === 1 && declared === "integer" && isAutoIncrement(parsed, written?.definition),
        comment: written?.comment ?? null,
      };
    });
  }

  async getIndexes(table: string): Promise<IndexInfo[]> {
    const list = await this.#db.query<IndexListRow>("select * from pragma_index_list(?)", [table]);
    const parsed = await this.#parsed(table);
    const primaryName = parsed?.constraints.find((c) => c.kind === "primary key")?.name ?? "primary";
    const indexes: IndexInfo[] = [];
    for (const index of list) {
      const info = await this.#db.query<IndexInfoRow>("select * from pragma_index_info(?) order by seqno", [index.name]);
      const primary = index.origin === "pk";
      indexes.push({
        name: primary ? primaryName : index.name,
        columns: info.map((c) => c.name ?? "(expression)"),
        unique: index.unique === 1,
        primary,
        type: "btree",
      });
    }
    if (!indexes.some((i) => i.primary)) {
      // A rowid-alias `integer primary key` has no index row; report the key anyway.
      const keyColumns = (await this.#tableInfo(table)).filter((r) => r.pk > 0).sort((a, b) => a.pk - b.pk);
      if (keyColumns.length > 0) {
        indexes.push({ name: primaryName, columns: keyColumns.map((c) => c.name), unique: true, primary: true, type: "btree" });
      }
    }
    return indexes.sort((a, b) => Number(b.primary) - Number(a.primary) || compare(a.name, b.name));
  }

  async getForeignKeys(table: string): Promise<ForeignKeyInfo[]> {
    const rows = await this.#db.query<ForeignKeyRow>("select * from pragma_foreign_key_list(?) order by id, seq", [table]);
    const groups = new Map<number, ForeignKeyRow[]>();
    for (const row of rows) groups.set(row.id, [...(groups.get(row.id) ?? []), row]);
    const parsed = await this.#parsed(table);
    const named = (parsed?.constraints ?? []).filter((c) => c.kind === "foreign key");
    const keys: ForeignKeyInfo[] = [];
    // pragma ids run opposite to declaration order; walk them in declaration order.
    for (const group of [...groups.values()].reverse()) {
      const first = group[0]!;
      const columns = group.map((r) => r.from);
      const foreignColumns = group.some((r) => r.to === null) ? await this.#primaryKeyOf(first.table) : group.map((r) => r.to!);
      keys.push({
        name: this.#foreignKeyName(table, parsed, named, columns, first.table),
        columns,
        foreignTable: first.table,
        foreignColumns,
        onDelete: first.on_delete.toLowerCase(),
        onUpdate: first.on_update.toLowerCase(),
      });
    }
    return keys;
  }

  /** The table's definition, indexes, triggers and AUTOINCREMENT counter, for a table rebuild. */
  async getTableSnapshot(table: string): Promise<TableSnapshot> {
    const objects = await this.#db.query<{ type: string; name: string; sql: string | null }>(
      "select type, name, sql from sqlite_master where tbl_name = ? and type in ('table', 'index', 'trigger') order by rowid",
      [table],
    );
    const definition = objects.find((o) => o.type === "table" && o.name === table);
    if (!definition?.sql) throw new InvalidSchemaError(`table "${table}" does not exist`);
    const indexes = [];
    for (const index of objects.filter((o) => o.type === "index")) {
      const info = await this.#db.query<IndexInfoRow>("select * from pragma_index_info(?) order by seqno", [index.name]);
      indexes.push({ name: index.name, sql: index.sql, columns: info.map((c) => c.name) });
    }
    const hasSequence = (await this.#names("table", true)).includes("sqlite_sequence");
    const sequence = hasSequence
      ? (await this.#db.query<{ seq: number }>("select seq from sqlite_sequence where name = ?", [table]))[0]?.seq ?? null
      : null;
    return {
      table,
      createSql: definition.sql,
      indexes,
      triggers: objects.filter((o) => o.type === "trigger" && o.sql).map((o) => ({ name: o.name, sql: o.sql! })),
      sequence: sequence === null ? null : Number(sequence),
    };
  }

  async #names(type: "table" | "view", includeInternal = false): Promise<string[]> {
    if (includeInternal) {
      const rows = await this.#db.query<{ name: string }>("select name from sqlite_master where type = ? order by name", [type]);
      return rows.map((r) => r.name);
    }
    const rows = await this.#db.query<{ name: string }>(
      `select name from sqlite_master where type = ? and ${USER_OBJECTS} order by name`,
      [type],
    );
    return rows.map((r) => r.name);
  }

  async #tableInfo(table: string): Promise<TableXInfoRow[]> {
    const rows = await this.#db.query<TableXInfoRow>("select * from pragma_table_xinfo(?) order by cid", [table]);
    // hidden = 1 marks a virtual table's hidden columns; generated columns (2, 3) are real.
    return rows.filter((r) => r.hidden !== 1);
  }

  async #parsed(table: string): Promise<ParsedCreateTable | null> {
    const rows = await this.#db.query<{ sql: string | null }>(
      "select sql from sqlite_master where type = 'table' and name = ?",
      [table],
    );
    const sql = rows[0]?.sql;
    return sql ? parseCreateTable(sql) : null;
  }

  async #primaryKeyOf(table: string): Promise<string[]> {
    const rows = await this.#tableInfo(table);
    return rows.filter((r) => r.pk > 0).sort((a, b) => a.pk - b.pk).map((r) => r.name);
  }

  /** The declared name, taken from the constraint (consumed so duplicates pair up in order), else Laravel's default. */
  #foreignKeyName(
    table: string,
    parsed: ParsedCreateTable | null,
    named: ParsedConstraint[],
    columns: string[],
    foreignTable: string,
  ): string {
    const at = named.findIndex((c) => sameNames(c.columns, columns) && c.foreignTable !== null && sameIdentifier(c.foreignTable, foreignTable));
    if (at !== -1) {
      const [constraint] = named.splice(at, 1);
      if (constraint!.name) return constraint!.name;
    } else if (columns.length === 1) {
      const column = parsed?.columns.find((c) => sameIdentifier(c.name, columns[0]!));
      const inline = column ? inlineForeignKeyName(column.definition) : null;
      if (inline) return inline;
    }
    return defaultIndexName(table, columns, "foreign", NAME_LIMIT);
  }
}

/** AUTOINCREMENT is written on the column, or (rarely) in a table-level `primary key (id autoincrement)`. */
function isAutoIncrement(parsed: ParsedCreateTable | null, definition: string | undefined): boolean {
  if (definition && hasKeyword(definition, "autoincrement")) return true;
  const key = parsed?.constraints.find((c) => c.kind === "primary key");
  return key ? hasKeyword(key.text, "autoincrement") : false;
}

/** SQLite compares identifiers folding ASCII letters only. */
function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => sameIdentifier(name, b[i]!));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
