import type { TableSnapshot } from "../schema/live-schema.js";
import {
  RawExpression,
  type ColumnSpec,
  type ColumnType,
  type CommandOf,
  type ForeignKeySpec,
  type IndexSpec,
  type SchemaCommand,
} from "../schema/commands.js";
import { Grammar, mapColumnType, query, type ColumnTypeMap, type CommandHandlers, type CompiledQuery } from "./grammar.js";
import { planTableRebuild, type RebuildCommand, type RebuildPlan } from "./sqlite-table-rebuild.js";

/** What SQLite accepts after DEFAULT without parentheses (numbers, strings, blobs, keyword literals). */
const BARE_DEFAULT = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?|0x[0-9a-f]+|'(?:[^']|'')*'|x'[0-9a-f]*'|null|true|false|current_(?:date|time|timestamp))$/i;

const FULLTEXT_HINT = "SQLite has no fulltext indexes; use an FTS5 virtual table through raw SQL";

/**
 * The type names a STRICT table takes, for each column type: the one that stores its
 * values as the usual name would (dates as text, as SQLite's date functions read them;
 * booleans as integers).
 */
const STRICT_TYPES: Readonly<Record<ColumnType, "integer" | "real" | "text" | "blob">> = {
  integer: "integer",
  bigInteger: "integer",
  smallInteger: "integer",
  tinyInteger: "integer",
  mediumInteger: "integer",
  boolean: "integer",
  year: "integer",
  float: "real",
  double: "real",
  decimal: "real",
  binary: "blob",
  string: "text",
  char: "text",
  text: "text",
  tinyText: "text",
  mediumText: "text",
  longText: "text",
  json: "text",
  jsonb: "text",
  uuid: "text",
  date: "text",
  time: "text",
  datetime: "text",
  timestamp: "text",
  timestampTz: "text",
  enum: "text",
  inet: "text",
  cidr: "text",
  macAddress: "text",
  point: "text",
  geometry: "text",
};

/**
 * SQLite's grammar. SQLite's ALTER TABLE can only rename, add and drop columns, so
 * everything else (keys, column changes) is refused here until the table-rebuild
 * module takes those handlers over.
 *
 * @example
 * new SqliteGrammar().compile(blueprint.toCommands()); // [{ sql: 'create table "users" (...)', parameters: [] }]
 */
export class SqliteGrammar extends Grammar {
  readonly dialect = "sqlite" as const;
  /** SQLite has no practical identifier limit; this only bounds generated names. */
  readonly maxIdentifierLength = 1024;

  protected readonly handlers: CommandHandlers = {
    createTable: (c) => this.compileCreateTable(c),
    dropTable: (c) => [query(`drop table ${c.ifExists ? "if exists " : ""}${this.quoteIdentifier(c.table)}`)],
    renameTable: (c) => [query(`alter table ${this.quoteIdentifier(c.from)} rename to ${this.quoteIdentifier(c.to)}`)],
    truncateTable: (c) => [
      query(`delete from ${this.quoteIdentifier(c.table)}`),
      // Resets the AUTOINCREMENT counter, as TRUNCATE does elsewhere. sqlite_sequence
      // exists once any AUTOINCREMENT table does, so it is only touched for one.
      ...(c.autoIncrement ? [query(`delete from "sqlite_sequence" where "name" = ?`, [c.table])] : []),
    ],
    addColumn: (c) => this.compileAddColumn(c),
    changeColumn: (c) => this.needsSnapshot(c),
    renameColumn: (c) => [
      query(
        `alter table ${this.quoteIdentifier(c.table)} rename column ${this.quoteIdentifier(c.from)} to ${this.quoteIdentifier(c.to)}`,
      ),
    ],
    dropColumns: (c) => this.needsSnapshot(c),
    addIndex: (c) => [this.compileIndex(c.table, c.index)],
    dropIndex: (c) => this.compileDropIndex(c),
    renameIndex: (c) => this.needsSnapshot(c),
    addForeignKey: (c) => this.needsSnapshot(c),
    dropForeignKey: (c) => this.needsSnapshot(c),
  };

  /**
   * SQLite's ALTER TABLE only renames, adds and drops plain columns; everything else is
   * a table rebuild planned against the live table, and dropping a column needs the
   * live table to know whether SQLite can do it in place.
   */
  override snapshotTable(command: SchemaCommand): string | undefined {
    switch (command.kind) {
      case "changeColumn":
      case "dropColumns":
      case "renameIndex":
      case "addForeignKey":
      case "dropForeignKey":
        return command.table;
      case "addIndex":
        return command.index.type === "primary" ? command.table : undefined;
      case "dropIndex":
        return command.type === "primary" ? command.table : undefined;
      case "addColumn":
        return addColumnNeedsRebuild(command.column) ? command.table : undefined;
      default:
        return undefined;
    }
  }

  override compileWithSnapshot(commands: readonly SchemaCommand[], snapshot: TableSnapshot): RebuildPlan {
    for (const command of commands) {
      if (this.snapshotTable(command) !== snapshot.table) {
        throw new Error(`internal: ${command.kind} is not a rebuild of table "${snapshot.table}"`);
      }
    }
    return planTableRebuild(snapshot, commands as readonly RebuildCommand[], this);
  }

  quoteIdentifier(name: string): string {
    return `"${name.replaceAll('"', '""')}"`;
  }

  parameter(_index: number): string {
    return "?";
  }

  /**
   * Views first (they may read the tables); foreign keys off so tables drop in any order.
   * The pragma is a no-op inside a transaction, so callers run this outside one.
   */
  compileDropAll(tables: readonly string[], views: readonly string[]): CompiledQuery[] {
    const statements = views.map((v) => query(`drop view if exists ${this.quoteIdentifier(v)}`));
    if (tables.length === 0) return statements;
    return [
      ...statements,
      query("pragma foreign_keys = off"),
      ...tables.map((t) => query(`drop table if exists ${this.quoteIdentifier(t)}`)),
      query("pragma foreign_keys = on"),
    ];
  }

  /**
   * `"name" type [primary key autoincrement] [not null] [default …] [/* comment: "…" *\/]`.
   * `strict`: for a STRICT table, which takes only its own type names.
   */
  compileColumn(column: ColumnSpec, { strict = false }: { readonly strict?: boolean } = {}): string {
    const type = column.autoIncrement ? this.autoIncrementType(column) : strict ? this.strictColumnType(column) : this.columnType(column);
    let sql = `${this.quoteIdentifier(column.name)} ${type}`;
    if (column.primary && !column.autoIncrement) sql += " primary key";
    if (!column.nullable) sql += " not null";
    if (column.useCurrentOnUpdate) {
      this.unsupported("use on update CURRENT_TIMESTAMP", `set "${column.name}" from a trigger or from the application`);
    }
    sql += this.defaultClause(column);
    if (column.charset !== undefined) {
      this.unsupported(`set charset "${column.charset}" on column "${column.name}"`, "SQLite stores all text in the database's one encoding");
    }
    if (column.collation !== undefined) sql += ` collate ${this.quoteIdentifier(column.collation)}`;
    sql += this.generatedClause(column);
    sql += this.checkClauses(column);
    if (column.comment !== undefined) sql += ` ${this.commentClause(column.comment)}`;
    return sql;
  }

  /** A column placed in `create table` is where it is declared; Laravel ignores the placement too. */
  override warningsFor(command: SchemaCommand): string[] {
    if (command.kind !== "createTable") return [];
    return this.ignoredPlacements(command, "columns are created in the order they are declared");
  }

  /** Only `integer primary key` aliases the rowid, whatever integer size was asked for. */
  protected autoIncrementType(column: ColumnSpec): string {
    if (!column.primary) this.unsupported(`auto-increment column "${column.name}" unless it is the primary key`);
    return "integer primary key autoincrement";
  }

  /** SQLite takes an expression default only in parentheses: `raw("datetime('now')")` needs them. */
  protected override defaultClause(column: ColumnSpec): string {
    const value = column.default;
    if (!column.useCurrent && value instanceof RawExpression && !BARE_DEFAULT.test(value.sql.trim())) {
      return ` default (${value.sql})`;
    }
    return super.defaultClause(column);
  }

  /**
   * SQLite keeps the CREATE TABLE text verbatim, so a comment lives there as an SQL
   * comment holding JSON, which the introspector parses back. A star-slash in the text
   * is written with an escaped slash: JSON reads it back the same, and it cannot end the
   * SQL comment early.
   */
  commentClause(comment: string): string {
    return `/* comment: ${JSON.stringify(comment).replaceAll("*/", "*\\/")} */`;
  }

  columnType(column: ColumnSpec): string {
    return mapColumnType(this.#types, column);
  }

  readonly #types: ColumnTypeMap = {
    integer: () => "integer",
    bigInteger: () => "bigint",
    smallInteger: () => "smallint",
    tinyInteger: () => "tinyint",
    mediumInteger: () => "mediumint",
    decimal: (c) => `numeric(${c.precision}, ${c.scale})`,
    // Laravel 11+: float(53), the default, is double precision; SQLite stores both as 8-byte REAL.
    float: (c) => (c.precision <= 24 ? "float" : "double"),
    double: () => "double",
    boolean: () => "boolean",
    string: (c) => `varchar(${c.length})`,
    char: (c) => `char(${c.length})`,
    text: () => "text",
    tinyText: () => "text",
    mediumText: () => "text",
    longText: () => "text",
    json: () => "text",
    jsonb: () => "text",
    uuid: () => "char(36)",
    binary: () => "blob",
    date: () => "date",
    time: () => "time",
    datetime: () => "datetime",
    timestamp: () => "timestamp",
    // Laravel's name; SQLite keeps no time zone (values are text, as for timestamp).
    timestampTz: () => "datetime",
    year: () => "integer",
    enum: (c) => `varchar(255) check (${this.quoteIdentifier(c.name)} in (${c.values.map((v) => this.quoteString(v)).join(", ")}))`,
    inet: () => "varchar(45)",
    cidr: () => "varchar(43)",
    macAddress: () => "varchar(17)",
    point: (c) => this.#noSpatialType(c),
    geometry: (c) => this.#noSpatialType(c),
  };

  #noSpatialType(column: ColumnSpec): never {
    return this.unsupported(`create the spatial column "${column.name}" (${column.type})`, "no spatial types without SpatiaLite");
  }

  /**
   * A STRICT table rejects any type name but INT, INTEGER, REAL, TEXT, BLOB and ANY, so
   * a column restated there gets its STRICT_TYPES name (an enum keeps its check).
   */
  strictColumnType(column: ColumnSpec): string {
    const usual = this.columnType(column); // refuses what SQLite cannot store at all
    const checked = column.type === "enum" ? usual.replace(/^varchar\(255\)/, "") : "";
    return `${STRICT_TYPES[column.type]}${checked}`;
  }

  protected compileCreateTable(command: CommandOf<"createTable">): CompiledQuery[] {
    const parts = command.columns.map((c) => this.compileColumn(c));
    if (command.primaryKey) parts.push(this.primaryKeyClause(command.primaryKey));
    // SQLite cannot add a foreign key later without a rebuild, so they are declared here.
    parts.push(...command.foreignKeys.map((fk: ForeignKeySpec) => this.foreignKeyClause(fk)));
    const create = query(
      `create table ${command.ifNotExists ? "if not exists " : ""}${this.quoteIdentifier(command.table)} (${parts.join(", ")})`,
    );
    return [create, ...command.indexes.map((index) => this.compileIndex(command.table, index))];
  }

  primaryKeyClause(index: IndexSpec): string {
    return `constraint ${this.quoteIdentifier(index.name)} primary key (${this.indexColumns(index)})`;
  }

  protected compileAddColumn(command: CommandOf<"addColumn">): CompiledQuery[] {
    const { column, table } = command;
    if (addColumnNeedsRebuild(column)) this.needsSnapshot(command);
    return [query(`alter table ${this.quoteIdentifier(table)} add column ${this.compileColumn(column)}`)];
  }

  protected compileIndex(table: string, index: IndexSpec): CompiledQuery {
    switch (index.type) {
      case "unique":
      case "index":
        return query(
          `create ${index.type === "unique" ? "unique " : ""}index ${this.quoteIdentifier(index.name)} ` +
            `on ${this.quoteIdentifier(table)} (${this.indexColumns(index)})`,
        );
      case "primary":
        return this.needsSnapshot({ kind: "addIndex", table, index });
      case "fulltext":
        return this.unsupported(`create fulltext index "${index.name}" on table "${table}"`, FULLTEXT_HINT);
    }
  }

  protected compileDropIndex(command: CommandOf<"dropIndex">): CompiledQuery[] {
    switch (command.type) {
      case "unique":
      case "index":
        return [query(`drop index ${this.quoteIdentifier(command.name)}`)];
      case "primary":
        return this.needsSnapshot(command);
      case "fulltext":
        return this.unsupported(`drop fulltext index "${command.name}" of table "${command.table}"`, FULLTEXT_HINT);
    }
  }

  /** Reached only when a caller compiles a rebuild command without the live table. */
  protected needsSnapshot(command: SchemaCommand): never {
    throw new Error(`internal: sqlite compiles ${command.kind} with compileWithSnapshot(), against the live table`);
  }
}

/**
 * What `ALTER TABLE … ADD COLUMN` cannot do: a key column, a placed column, a NOT NULL
 * column without a default, a CURRENT_TIMESTAMP default (SQLite refuses a
 * non-constant default on a table with rows), or a STORED generated column (SQLite adds
 * only VIRTUAL ones in place).
 */
function addColumnNeedsRebuild(column: ColumnSpec): boolean {
  return (
    column.generated?.kind === "stored" ||
    column.primary ||
    column.autoIncrement ||
    column.useCurrent ||
    column.first ||
    column.after !== undefined ||
    (!column.nullable && column.default == null)
  );
}
